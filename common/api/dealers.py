"""Wire types of the dealer's account 经销商账户: the summary of the dealer's home, its deals for
drill-down, and the commission rules (admin)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from common.api import limits
from common.commissions import CommissionRule

Money = Annotated[str, limits.line(40)]  # yuan, e.g. "1500.00"


class CommissionRules(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A new version of the commission rule set (admin)."""

    rules: list[CommissionRule]
    reason: Annotated[str, limits.line(200)] | None = None


class CommissionRulesView(msgspec.Struct, kw_only=True):
    version: int  # 0: none saved yet
    rules: list[CommissionRule]


class Stage(msgspec.Struct, kw_only=True):
    """A step of a deal's life, with how many of the dealer's deals stand there."""

    stage: str  # common.deals.DealStage
    label: str
    count: int
    amount: Money  # financed amount: the contract's, or the quote's before one exists


class Month(msgspec.Struct, kw_only=True):
    month: str  # "2026-11", Shanghai
    funded_count: int
    funded_amount: Money
    decided: int  # applications approved or declined that month
    approved: int
    approval_rate_percent: str | None  # None: nothing decided
    commission_earned: Money
    commission_clawed_back: Money


class Commissions(msgspec.Struct, kw_only=True):
    earned: Money
    paid: Money  # in cash, at funding
    set_off: Money  # kept against what the dealer owed back
    clawed_back: Money


class DealerSummary(msgspec.Struct, kw_only=True):
    """GET /api/dealer/summary: the dealer's home at a glance."""

    dealer_id: str
    dealer_name: str
    as_of: date
    deals: int
    stages: list[Stage]
    months: list[Month]  # the last twelve, oldest first
    commissions: Commissions
    owed_to_dealer: Money  # the lessor's payables to the dealer not yet paid
    owed_by_dealer: Money  # clawbacks not yet set off


class Deal(msgspec.Struct, kw_only=True):
    """One deal for the drill-down (lessee masked)."""

    application_id: str
    contract_id: str | None
    contract_number: str | None
    stage: str
    stage_label: str
    lessee: str  # masked
    vehicle: str
    amount: Money
    commission: Money | None
    updated_at: datetime
