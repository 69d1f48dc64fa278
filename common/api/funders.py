"""Wire types of the funder side 资金方: co-lending agreements (admin), remittances (admin), and
the funder's portfolio (its API key, or a funder user in the app). No lessee personal data
beyond masks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from common.api import limits

Money = Annotated[str, limits.line(40)]  # yuan, e.g. "1500.00"
Percent = Annotated[str, limits.line(12, min_length=1)]  # "80", "4.2125": at most 4 decimals


class AgreementBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A new version of a funder's agreement (PUT /api/funder/agreements/{funder_id}, admin)."""

    share_percent: Percent  # of each contract's financed amount the funder puts up
    yield_percent: Percent  # a year, simple, ACT/365, on the funder's share
    reason: Annotated[str, limits.line(200)] | None = None


class AgreementView(msgspec.Struct, kw_only=True):
    funder_id: str
    version: int
    share_percent: str
    yield_percent: str
    created_at: datetime


class RemittanceBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Pay a funder everything owed to it now (POST /api/funder/remittances, admin)."""

    funder_id: Annotated[str, limits.line(32, min_length=1)]
    bank_reference: Annotated[str, limits.line(64)] | None = None


class RemittanceView(msgspec.Struct, kw_only=True):
    id: str
    funder_id: str
    amount: Money
    contracts: int
    at: datetime


class BucketFigures(msgspec.Struct, kw_only=True):
    """Delinquency 逾期 in one bucket (M0 current ... M7 over 180 days)."""

    bucket: str
    count: int
    outstanding: Money  # principal, the whole contracts
    funder_outstanding: Money  # the funder's share of it


class MonthFigures(msgspec.Struct, kw_only=True):
    """Repayments allocated to the funder's share in a month (Shanghai dates)."""

    month: str  # "2026-11"
    principal: Money
    yield_: Money = msgspec.field(name="yield")
    repayments: int


class PortfolioContract(msgspec.Struct, kw_only=True):
    id: str
    number: str
    lessee: str  # masked
    status: str
    bucket: str
    days_past_due: int
    share_percent: str
    yield_percent: str | None  # None: funded before any agreement, whole
    financed: Money
    funded: Money  # the funder's part
    outstanding: Money  # principal, the whole contract
    funder_outstanding: Money
    received_principal: Money  # allocated to the funder to date
    received_yield: Money
    value_date: date | None


class Allocation(msgspec.Struct, kw_only=True):
    reference: str
    paid_on: date
    paid: Money  # the whole repayment
    principal: Money  # the funder's
    yield_: Money = msgspec.field(name="yield")


class PortfolioContractDetail(msgspec.Struct, kw_only=True):
    contract: PortfolioContract
    owed_now: Money  # this contract's part of what the lessor owes the funder
    allocations: list[Allocation]  # newest first


class Portfolio(msgspec.Struct, kw_only=True):
    """GET /api/funder/portfolio: the funder's book at a glance."""

    funder_id: str
    funder_name: str
    as_of: date
    agreement: AgreementView | None  # in force now (contracts keep theirs)
    contracts: int
    financed: Money  # the whole contracts
    funded: Money  # the funder's parts
    outstanding: Money
    funder_outstanding: Money
    owed_now: Money  # funder_payable, party = the funder: what the lessor owes it now
    received_principal: Money
    received_yield: Money
    buckets: list[BucketFigures]  # M0..M7, every one
    months: list[MonthFigures]  # the last twelve, oldest first
    items: list[PortfolioContract]  # newest first
