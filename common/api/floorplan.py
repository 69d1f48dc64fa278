"""Wire types of floor-plan financing 库存融资: the dealer's line, drawdowns, units, repayments,
stock audits 盘库 and the temporary-increase rule 临时提额规则."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

import msgspec

from common.api import limits
from common.api.contracts import Money
from common.api.quotes import parse_rate
from common.money import parse_money

PAYEE = 100
MODEL = 40


class UnitStatus(StrEnum):
    FINANCED = "financed"  # 在库融资中
    PAID_OFF = "paid_off"  # 已结清
    SOLD_OUT_OF_TRUST = "sold_out_of_trust"  # 盘库未见：疑似售出未还款


class CurtailmentPlanBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """`percent` of the original principal `first_after_days` after the drawdown, then
    `percent` more every `every_days`; the rest at the line's `max_days`."""

    first_after_days: Annotated[int, msgspec.Meta(ge=1, le=720)] = 90
    every_days: Annotated[int, msgspec.Meta(ge=1, le=365)] = 30
    percent: Annotated[str, limits.line(12)] = "10"

    def __post_init__(self) -> None:
        parse_rate(self.percent, field="plan.percent")


class LineBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """设置授信: an admin sets a dealer's line or changes it (`version` of the line changed)."""

    limit: Money
    annual_rate_percent: Annotated[str, limits.line(12)]
    max_days: Annotated[int, msgspec.Meta(ge=1, le=720)] = 180
    plan: CurtailmentPlanBody = msgspec.field(default_factory=CurtailmentPlanBody)
    status: Literal["active", "suspended"] = "active"
    version: limits.Version | None = None  # required to change an existing line
    reason: Annotated[str, limits.line(200)] = ""

    def __post_init__(self) -> None:
        parse_money(self.limit, field="limit")
        parse_rate(self.annual_rate_percent, field="annual_rate_percent")


class IncreaseView(msgspec.Struct, kw_only=True):
    model: str
    amount: Money
    granted_on: date
    expires_on: date  # the first day it no longer applies
    z_score: str
    rule_version: int


class LineView(msgspec.Struct, kw_only=True):
    dealer_id: str
    dealer_name: str
    limit: Money
    temporary_increase: Money  # in force today (sum of the increases below)
    used: Money  # principal outstanding of every unit still owed
    available: Money  # limit + temporary increase - used, never below 0
    annual_rate_percent: str
    day_count: str  # "ACT/360"
    max_days: int
    plan: CurtailmentPlanBody
    status: str
    version: int
    units_financed: int
    curtailments_overdue: Money
    alerts: int  # sold-out-of-trust alerts raised on the dealer's units
    increases: list[IncreaseView] = msgspec.field(default_factory=list)


class DealerLine(msgspec.Struct, kw_only=True):
    """The lessor's list 经销商授信一览: every dealer, with its line if it has one."""

    dealer_id: str
    dealer_name: str
    line: LineView | None  # None: no line set yet


class DrawdownBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """单车放款: a new vehicle on the lot, paid to the OEM or distributor (`payee`)."""

    vin: Annotated[str, limits.line(limits.VIN_INPUT, min_length=1)]
    invoice_amount: Money
    payee: Annotated[str, limits.line(PAYEE, min_length=1)]
    model: Annotated[str, limits.line(MODEL)] | None = None  # default: the VIN's WMI + VDS

    def __post_init__(self) -> None:
        parse_money(self.invoice_amount, field="invoice_amount")
        self.payee = self.payee.strip()
        if not self.payee:
            raise ValueError("payee: must not be blank")


class UnitView(msgspec.Struct, kw_only=True):
    id: str
    vin: str
    model: str
    payee: str
    status: str
    drawn_on: date
    maturity: date  # the whole principal is due
    age_days: int  # 库龄
    principal: Money  # financed
    principal_left: Money
    interest_accrued: Money  # billed and unpaid + accrued and not yet billed, to today
    interest_billed_unpaid: Money
    curtailment_due: Money  # due today or before and not repaid
    overdue: Money  # due before today and not repaid
    next_curtailment_on: date | None
    next_curtailment_amount: Money
    payoff_amount: Money  # principal left + interest accrued: what the payoff takes today
    paid_off_on: date | None = None
    contract_id: str | None = None  # the lease whose funding repaid it


class UnitPage(msgspec.Struct, kw_only=True):
    """A page of units (`common.api.paging`): newest drawdown first, then by id."""

    units: list[UnitView]
    next_cursor: str | None  # None: this was the last page


class CurtailmentBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """还本 through the payment provider: `amount`, or by default the curtailment due today
    with the interest billed and unpaid; it pays billed interest first, then principal."""

    amount: Money | None = None

    def __post_init__(self) -> None:
        if self.amount is not None:
            parse_money(self.amount, field="amount")


class AuditBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """开启盘库: every unit the dealer has financed now is to be scanned by `deadline`."""

    dealer_id: Annotated[str, limits.line(32, min_length=1)]
    deadline: date


class AuditUnitView(msgspec.Struct, kw_only=True):
    unit_id: str
    vin: str
    model: str
    scanned_at: datetime | None
    status: str  # the unit's
    # the scan's photo and its thumbnail (bearer-authorised, like an application's photos)
    photo_url: str | None = None
    thumbnail_url: str | None = None


class AuditView(msgspec.Struct, kw_only=True):
    id: str
    dealer_id: str
    opened_on: date
    deadline: date
    status: str  # open | closed
    units: list[AuditUnitView]
    scanned: int
    missing: int  # closed: units not seen (alerts); open: not yet scanned
    closed_at: datetime | None = None


class AlertView(msgspec.Struct, kw_only=True):
    id: str
    dealer_id: str
    unit_id: str
    vin: str
    audit_id: str
    kind: str
    raised_at: datetime


class IncreaseRuleBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The temporary-increase rule: a model's paid-off units this week against the dealer's
    weekly history (robust z over `history_weeks`, at least `min_weeks`); beyond `threshold`
    the line gains `increase_percent` of its limit for `days`."""

    threshold: Annotated[str, limits.line(12)] = "3.5"
    increase_percent: Annotated[str, limits.line(12)] = "20"
    days: Annotated[int, msgspec.Meta(ge=1, le=180)] = 30
    history_weeks: Annotated[int, msgspec.Meta(ge=2, le=104)] = 12
    min_weeks: Annotated[int, msgspec.Meta(ge=2, le=104)] = 4
    note: Annotated[str, limits.line(200)] = ""

    def __post_init__(self) -> None:
        parse_rate(self.threshold, field="threshold")
        parse_rate(self.increase_percent, field="increase_percent")


class IncreaseRuleView(msgspec.Struct, kw_only=True):
    version: int
    rule: IncreaseRuleBody
    published_at: datetime
