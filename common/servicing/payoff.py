"""Early payoff quote (提前结清报价) with every line item, dated and with an expiry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from common.daycount import add_months
from common.money import ZERO, round_fen
from common.schedule import Method, Schedule
from common.servicing.delinquency import PenaltyRule
from common.servicing.position import Arrears, position

_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class PercentOfPrincipal:
    """违约金 = a percentage of the outstanding principal, tiered by whole months elapsed:
    tiers ((0, 3), (12, 2), (24, 1)) mean 3 % in year one, 2 % in year two, 1 % after."""

    tiers: tuple[tuple[int, Decimal], ...]


@dataclass(frozen=True, slots=True)
class MonthsOfInterest:
    """违约金 = N months of interest on the outstanding principal at the contract rate."""

    months: int


@dataclass(frozen=True, slots=True)
class FixedFee:
    amount: Decimal


PrepaymentPenalty = PercentOfPrincipal | MonthsOfInterest | FixedFee


class InterestTo(StrEnum):
    QUOTE_DATE = "quote_date"  # interest accrued by the day to the quote date
    PERIOD_END = "period_end"  # the current period's full interest


@dataclass(frozen=True, slots=True)
class PayoffPolicy:
    penalty: PrepaymentPenalty | None = None
    interest_to: InterestTo = InterestTo.QUOTE_DATE
    purchase_price: Decimal = ZERO  # 留购价: nominal price for title at the end (e.g. 100.00)
    validity_days: int = 7
    penalty_rule: PenaltyRule | None = None  # 罚息 on arrears to the quote date


@dataclass(frozen=True, slots=True)
class QuoteLine:
    code: str
    label_zh: str
    amount: Decimal  # the deposit offset is negative


@dataclass(frozen=True, slots=True)
class PayoffQuote:
    as_of: date
    valid_until: date  # the quote holds for a payment on or before this date
    lines: tuple[QuoteLine, ...]
    total: Decimal  # what the lessee pays to settle (never negative)
    deposit_refund: Decimal  # deposit left over after the offset

    def line(self, code: str) -> Decimal:
        return next(ln.amount for ln in self.lines if ln.code == code)


def prepayment_penalty(
    penalty: PrepaymentPenalty | None, base: Decimal, schedule: Schedule, as_of: date
) -> Decimal:
    """违约金 on `base` (the principal repaid early) under `penalty`."""
    t = schedule.terms
    if isinstance(penalty, FixedFee):
        return penalty.amount
    if isinstance(penalty, MonthsOfInterest):
        monthly = (
            t.flat_monthly_rate_percent / _HUNDRED if t.method is Method.FLAT
            else t.annual_rate_percent / 1200
        )  # fmt: skip
        return round_fen(base * monthly * penalty.months)
    if isinstance(penalty, PercentOfPrincipal):
        elapsed = (as_of.year - t.start_date.year) * 12 + as_of.month - t.start_date.month
        if add_months(t.start_date, elapsed) > as_of:
            elapsed -= 1
        rates = [pct for start, pct in sorted(penalty.tiers) if start <= elapsed]
        return round_fen(base * rates[-1] / _HUNDRED) if rates else ZERO
    return ZERO


def payoff_quote(
    schedule: Schedule,
    as_of: date,
    policy: PayoffPolicy = PayoffPolicy(),  # frozen, so safe to share as a default
    arrears: Sequence[Arrears] = (),
    deposit_held: Decimal | None = None,
) -> PayoffQuote:
    """What settles the contract on `as_of`: principal not yet due, interest for the current
    period (to the day or to its end), arrears with their penalty interest, the prepayment
    penalty, the nominal purchase price, less the deposit held (default: the whole deposit)."""
    pos = position(schedule, as_of)
    outstanding = pos.outstanding_principal
    nxt = pos.next
    interest = ZERO
    if nxt is not None:
        interest = (
            nxt.interest if policy.interest_to is InterestTo.PERIOD_END
            else pos.accrued_fraction(nxt.interest)
        )  # fmt: skip
    gross = [
        QuoteLine("outstanding_principal", "剩余本金", outstanding),
        QuoteLine("accrued_interest", "当期利息", interest),
        QuoteLine("overdue_principal", "逾期本金", sum((a.principal for a in arrears), ZERO)),
        QuoteLine("overdue_interest", "逾期利息", sum((a.interest for a in arrears), ZERO)),
        QuoteLine("overdue_fees", "逾期费用", sum((a.fees for a in arrears), ZERO)),
        QuoteLine(
            "penalty_interest",
            "罚息",
            sum((a.penalty_to(as_of, policy.penalty_rule) for a in arrears), ZERO),
        ),
        QuoteLine(
            "prepayment_penalty",
            "提前还款违约金",
            prepayment_penalty(policy.penalty, outstanding, schedule, as_of),
        ),
        QuoteLine("purchase_price", "留购价", policy.purchase_price),
    ]
    subtotal = sum((ln.amount for ln in gross), ZERO)
    held = schedule.terms.deposit if deposit_held is None else deposit_held
    offset = min(held, subtotal)
    valid_until = as_of + timedelta(days=policy.validity_days)
    if nxt is not None:
        # The next due date changes what is owed: a quote ends the day before it at the latest.
        valid_until = min(valid_until, max(as_of, nxt.due_date - timedelta(days=1)))
    return PayoffQuote(
        as_of=as_of,
        valid_until=valid_until,
        lines=(*gross, QuoteLine("deposit_offset", "保证金抵扣", -offset)),
        total=subtotal - offset,
        deposit_refund=held - offset,
    )
