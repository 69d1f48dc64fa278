"""Early payoff quote (提前结清报价) with every line item, dated and with an expiry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from common.daycount import add_months
from common.errors import DomainError
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
    QUOTE_DATE = "quote_date"  # interest accrued by the day to the settlement date
    PERIOD_END = "period_end"  # the current period's full interest


@dataclass(frozen=True, slots=True)
class PayoffPolicy:
    penalty: PrepaymentPenalty | None = None
    interest_to: InterestTo = InterestTo.QUOTE_DATE
    purchase_price: Decimal = ZERO  # 留购价: nominal price for title at the end (e.g. 100.00)
    validity_days: int = 7  # a settlement date may be chosen up to this many days ahead
    penalty_rule: PenaltyRule | None = None  # 罚息 on arrears to the settlement date


@dataclass(frozen=True, slots=True)
class QuoteLine:
    code: str
    label_zh: str
    amount: Decimal  # the deposit offset is negative


@dataclass(frozen=True, slots=True)
class PayoffQuote:
    """What settles the contract by a payment ON `settle_on`: interest and penalty accrue to
    that date, so one amount holds for one stated date. `per_day` says what each further day
    adds (interest on the principal, penalty on the arrears), to help choose the date."""

    as_of: date  # the quote date
    settle_on: date  # the settlement date the amounts are computed for
    valid_until: date  # = settle_on: the amount holds for a payment on that date
    lines: tuple[QuoteLine, ...]
    total: Decimal  # what the lessee pays to settle (never negative)
    deposit_refund: Decimal  # deposit left over after the offset
    per_day: Decimal = ZERO  # informational: interest + penalty of one more day

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
    *,
    settle_on: date | None = None,
) -> PayoffQuote:
    """What settles the contract by a payment on `settle_on` (default `as_of`, the quote date):
    principal not yet due, interest for the current period (to the settlement date or to the
    period's end), arrears with their penalty interest to the settlement date, the prepayment
    penalty, the nominal purchase price, less the deposit held (default: the whole deposit).

    `settle_on` may be up to `policy.validity_days` after `as_of`, and before the next due
    date (which changes what is owed); otherwise `DomainError` payoff_date_invalid."""
    pos = position(schedule, as_of)
    settle = as_of if settle_on is None else settle_on
    nxt = pos.next
    latest = as_of + timedelta(days=policy.validity_days)
    if nxt is not None:
        latest = min(latest, max(as_of, nxt.due_date - timedelta(days=1)))
    if not as_of <= settle <= latest:
        raise DomainError(
            "payoff_date_invalid", f"结清日须在报价日至{latest.isoformat()}之间（下一还款日之前）",
            f"the settlement date must be from the quote date to {latest.isoformat()}",
            fields={"settle_on": "payoff_date_invalid"},
        )  # fmt: skip
    outstanding = pos.outstanding_principal
    interest = ZERO
    per_day = ZERO
    if nxt is not None:
        interest = (
            nxt.interest if policy.interest_to is InterestTo.PERIOD_END
            else pos.accrued_fraction(nxt.interest, settle)
        )  # fmt: skip
        if policy.interest_to is InterestTo.QUOTE_DATE:
            per_day = round_fen(nxt.interest / (nxt.due_date - pos.period_start).days)
    penalty = sum((a.penalty_to(settle, policy.penalty_rule) for a in arrears), ZERO)
    if policy.penalty_rule is not None:
        day_later = settle + timedelta(days=1)
        per_day += sum((a.penalty_to(day_later, policy.penalty_rule) for a in arrears), ZERO)
        per_day -= penalty
    gross = [
        QuoteLine("outstanding_principal", "剩余本金", outstanding),
        QuoteLine("accrued_interest", "当期利息", interest),
        QuoteLine("overdue_principal", "逾期本金", sum((a.principal for a in arrears), ZERO)),
        QuoteLine("overdue_interest", "逾期利息", sum((a.interest for a in arrears), ZERO)),
        QuoteLine("overdue_fees", "逾期费用", sum((a.fees for a in arrears), ZERO)),
        QuoteLine("penalty_interest", "罚息", penalty),
        QuoteLine(
            "prepayment_penalty",
            "提前还款违约金",
            prepayment_penalty(policy.penalty, outstanding, schedule, settle),
        ),
        QuoteLine("purchase_price", "留购价", policy.purchase_price),
    ]
    subtotal = sum((ln.amount for ln in gross), ZERO)
    held = schedule.terms.deposit if deposit_held is None else deposit_held
    offset = min(held, subtotal)
    return PayoffQuote(
        as_of=as_of,
        settle_on=settle,
        valid_until=settle,
        lines=(*gross, QuoteLine("deposit_offset", "保证金抵扣", -offset)),
        total=subtotal - offset,
        deposit_refund=held - offset,
        per_day=per_day,
    )
