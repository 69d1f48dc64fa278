"""Wire types of a lease quote (报价/租金试算): POST /api/quotes and `autolease quote --json`.

Money and rates travel as decimal strings ("100000", "3042.19"); msgspec cannot constrain
`Decimal` (upstream #683) and would take a float for one, so requests carry `str` and
`__post_init__` parses them, raising `DomainError` with a stable code and the field. Responses
carry `Decimal`, which msgspec encodes as a string.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

import msgspec

from common.api import limits
from common.errors import DomainError
from common.lease_terms import MAX_START_DATE, MAX_TERM_MONTHS, MIN_START_DATE
from common.money import parse_money
from common.schedule import (
    BalloonTiming,
    DepositTreatment,
    Fee,
    InstalmentKind,
    LeaseTerms,
    Method,
    Schedule,
    Timing,
)

BALLOON_DOC = (
    "尾款 balloon, only with method=balloon. In arrears it is part of the last rent. In advance"
    " (先付) it is paid at the END of the term by default (balloon_timing=term_end): its own line"
    " dated the term end, one period after the last rent, like Excel PMT(r, n, -P, B, 1); the"
    " deposit refund falls on that date too. balloon_timing=with_last_rent pays it with the last"
    " rent instead, at the start of the last period."
)
RATE_DOC = (
    "年化利率: nominal IRR x 12 including fees and deposit, 2 dp (PBOC 2021). Time axis: whole"
    " periods, a broken first period as its day count with simple interest. Root: the smallest"
    " non-negative rate at which the NPV of the flows is zero (unique for lease flows; with a"
    " deposit refunded at the end the flows change sign twice and the other root is negative,"
    " never disclosed)."
)

_RATE_RE = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,4})?")  # ASCII digits only (not ６ or ٦)


def parse_rate(s: str, field: str) -> Decimal:
    """A percentage such as "6" or "5.85" (at most four decimals, never negative)."""
    if not isinstance(s, str) or not _RATE_RE.fullmatch(s.strip()):
        raise DomainError(
            "rate_invalid",
            "利率格式不正确，应为最多四位小数的百分数",
            "rate must be a percentage string with at most four decimals",
            fields={field: "rate_invalid"},
        )
    return Decimal(s.strip())


class FeeIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, limits.line(40, min_length=1)]
    amount: str
    month: Annotated[int, msgspec.Meta(ge=0, le=MAX_TERM_MONTHS)] = 0

    def __post_init__(self) -> None:
        parse_money(self.amount, field="fees")


class QuoteRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    principal: str
    term_months: Annotated[int, msgspec.Meta(ge=1, le=MAX_TERM_MONTHS)]
    start_date: Annotated[
        date,
        msgspec.Meta(description=f"起租日, {MIN_START_DATE} to {MAX_START_DATE}"),
    ]
    annual_rate_percent: Annotated[
        str,
        msgspec.Meta(
            description='nominal annual rate in percent, e.g. "6"; must be "0" (omitted)'
            " with method=flat, which is priced by flat_monthly_rate_percent only"
        ),
    ] = "0"
    method: Method = Method.ANNUITY
    timing: Timing = Timing.ARREARS
    balloon: Annotated[str, msgspec.Meta(description=BALLOON_DOC)] = "0"
    balloon_timing: Annotated[BalloonTiming, msgspec.Meta(description=BALLOON_DOC)] = (
        BalloonTiming.TERM_END
    )
    flat_monthly_rate_percent: str = "0"
    fees: list[FeeIn] = msgspec.field(default_factory=list)
    deposit: str = "0"
    deposit_treatment: DepositTreatment = DepositTreatment.REFUND_AT_END
    first_due_date: Annotated[
        date | None,
        msgspec.Meta(
            description="irregular first due date (破期); when due_day is given too,"
            " it must fall on that day"
        ),
    ] = None
    due_day: Annotated[int, msgspec.Meta(ge=1, le=31)] | None = None
    days_in_year: Literal[360, 365] = 360

    def __post_init__(self) -> None:
        for name in ("principal", "balloon", "deposit"):
            parse_money(getattr(self, name), field=name)
        for name in ("annual_rate_percent", "flat_monthly_rate_percent"):
            parse_rate(getattr(self, name), field=name)


class InstalmentOut(msgspec.Struct, kw_only=True):
    number: int
    due_date: date
    principal: Decimal
    interest: Decimal
    payment: Decimal  # principal + interest (租金)
    balance: Decimal
    fees: Decimal
    deposit_offset: Decimal
    amount_due: Decimal  # payment + fees - deposit offset: what the lessee pays that day
    kind: InstalmentKind = InstalmentKind.RENT  # "balloon": the balloon at the term end (先付)


class CashFlowOut(msgspec.Struct, kw_only=True):
    on: date
    amount: Decimal  # lessee's side: positive received, negative paid


class QuoteResponse(msgspec.Struct, kw_only=True):
    method: Method
    timing: Timing
    principal: Decimal
    term_months: int
    annual_rate_percent: Decimal
    flat_monthly_rate_percent: Decimal
    balloon: Decimal
    deposit: Decimal
    balloon_timing: BalloonTiming
    term_end_date: date  # the balloon at term end and the deposit refund fall on it
    monthly_payment: Decimal  # the typical rent; the first for equal principal
    first_payment: Decimal
    last_payment: Decimal
    total_interest: Decimal
    total_payment: Decimal  # sum of rents, fees excluded
    total_fees: Decimal
    upfront_fees: Decimal
    total_cost: Decimal  # interest + fees: the cost of credit
    deposit_refund: Decimal
    annualised_rate_percent: Annotated[Decimal, msgspec.Meta(description=RATE_DOC)]
    effective_annual_rate_percent: Decimal
    cash_flow_sign_changes: Annotated[
        int,
        msgspec.Meta(
            description="1 for plain lease flows; 2 when a deposit refunded at the end makes the"
            " flows change sign again: NPV then has a second, negative root, never disclosed"
        ),
    ]
    first_due_date: date
    last_due_date: date
    instalments: list[InstalmentOut]
    cash_flows: list[CashFlowOut]


def terms_from_request(req: QuoteRequest) -> LeaseTerms:
    """The validated `LeaseTerms` of a request (raises `DomainError` on inconsistent terms)."""
    return LeaseTerms(
        principal=parse_money(req.principal, field="principal"),
        annual_rate_percent=parse_rate(req.annual_rate_percent, "annual_rate_percent"),
        term_months=req.term_months,
        start_date=req.start_date,
        method=req.method,
        timing=req.timing,
        first_due_date=req.first_due_date,
        due_day=req.due_day,
        balloon=parse_money(req.balloon, field="balloon"),
        balloon_timing=req.balloon_timing,
        flat_monthly_rate_percent=parse_rate(
            req.flat_monthly_rate_percent, "flat_monthly_rate_percent"
        ),
        fees=tuple(Fee(f.name, parse_money(f.amount, field="fees"), f.month) for f in req.fees),
        deposit=parse_money(req.deposit, field="deposit"),
        deposit_treatment=req.deposit_treatment,
        days_in_year=req.days_in_year,
    )


def response_from_schedule(s: Schedule) -> QuoteResponse:
    t, rows = s.terms, s.instalments
    return QuoteResponse(
        method=t.method,
        timing=t.timing,
        principal=t.principal,
        term_months=t.term_months,
        annual_rate_percent=t.annual_rate_percent,
        flat_monthly_rate_percent=t.flat_monthly_rate_percent,
        balloon=t.balloon,
        deposit=t.deposit,
        balloon_timing=t.balloon_timing,
        term_end_date=s.term_end,
        monthly_payment=s.rent,
        first_payment=rows[0].payment,
        last_payment=rows[-1].payment,
        total_interest=s.total_interest,
        total_payment=s.total_payment,
        total_fees=s.total_fees,
        upfront_fees=s.upfront_fees,
        total_cost=s.total_interest + s.total_fees,
        deposit_refund=s.deposit_refund,
        annualised_rate_percent=s.annualised_rate_percent,
        effective_annual_rate_percent=s.effective_annual_rate_percent,
        cash_flow_sign_changes=s.sign_changes,
        first_due_date=rows[0].due_date,
        last_due_date=rows[-1].due_date,
        instalments=[
            InstalmentOut(
                number=i.number,
                due_date=i.due_date,
                principal=i.principal,
                interest=i.interest,
                payment=i.payment,
                balance=i.balance,
                fees=i.fees,
                deposit_offset=i.deposit_offset,
                amount_due=i.amount_due,
                kind=i.kind,
            )
            for i in rows
        ],
        cash_flows=[CashFlowOut(on=f.on, amount=f.amount) for f in s.cash_flows],
    )
