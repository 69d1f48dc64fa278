"""Penalty interest (罚息) on overdue amounts and delinquency buckets (逾期分类 M0-M7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from common.errors import DomainError
from common.money import ZERO, div_half_up, from_fen, to_fen


class Bucket(StrEnum):
    M0 = "M0"  # current
    M1 = "M1"  # 1-30 days past due
    M2 = "M2"  # 31-60
    M3 = "M3"  # 61-90
    M4 = "M4"  # 91-120
    M5 = "M5"  # 121-150
    M6 = "M6"  # 151-180
    M7 = "M7"  # more than 180


def days_past_due(due_date: date, as_of: date) -> int:
    """Days after the due date; 0 on the due date itself and before it."""
    return max(0, (as_of - due_date).days)


def bucket_for(days: int) -> Bucket:
    """M0 when nothing is past due; then one bucket per 30 days; M7 beyond 180."""
    if days <= 0:
        return Bucket.M0
    return Bucket(f"M{min(7, (days - 1) // 30 + 1)}")


def delinquency_bucket(oldest_unpaid_due: date | None, as_of: date) -> Bucket:
    """The bucket of a contract, from its oldest unpaid due date (None: nothing unpaid)."""
    return (
        Bucket.M0
        if oldest_unpaid_due is None
        else bucket_for(days_past_due(oldest_unpaid_due, as_of))
    )


@dataclass(frozen=True, slots=True)
class PenaltyRule:
    """罚息: `daily_rate_percent` of the overdue amount per day past due (0.05 = 万分之五).

    Within `grace_days` nothing accrues; past them, it accrues from the due date. An
    `annual_cap_percent` caps the daily rate at cap / 360 (e.g. four times the 1-year LPR).
    """

    daily_rate_percent: Decimal
    grace_days: int = 0
    annual_cap_percent: Decimal | None = None

    def __post_init__(self) -> None:
        if not (self.daily_rate_percent.is_finite() and self.daily_rate_percent >= 0) or (
            self.grace_days < 0
        ):
            raise DomainError(
                "penalty_rule_invalid", "罚息日利率与宽限期须为非负数",
                "penalty daily rate and grace days must not be negative",
                fields={"daily_rate_percent": "penalty_rule_invalid"},
            )  # fmt: skip

    @property
    def effective_daily_percent(self) -> Decimal:
        if self.annual_cap_percent is None:
            return self.daily_rate_percent
        return min(self.daily_rate_percent, self.annual_cap_percent / 360)


def penalty_for_days(amount: Decimal, days: int, rule: PenaltyRule) -> Decimal:
    """`days` of penalty interest on `amount` at the rule's (capped) daily rate: exact, rounded
    once (grace is the caller's business)."""
    if days <= 0 or amount <= 0:
        return ZERO
    if (
        rule.annual_cap_percent is not None
        and rule.annual_cap_percent / 360 < rule.daily_rate_percent
    ):
        num, den = rule.annual_cap_percent.as_integer_ratio()
        den *= 360
    else:
        num, den = rule.daily_rate_percent.as_integer_ratio()
    return from_fen(div_half_up(to_fen(amount) * num * days, den * 100))


def penalty_interest(amount: Decimal, due_date: date, as_of: date, rule: PenaltyRule) -> Decimal:
    """Penalty interest on `amount` overdue since `due_date`, to `as_of`; rounded once."""
    days = days_past_due(due_date, as_of)
    if days <= rule.grace_days:
        return ZERO
    return penalty_for_days(amount, days, rule)


def penalty_increment(
    amount: Decimal, due_date: date, through: date | None, as_of: date, rule: PenaltyRule
) -> Decimal:
    """罚息 on `amount` for the days after `through` (booked up to then; None: nothing booked)
    to `as_of`: each day once, nothing within the grace, once past it from the due date — and
    rounded on the running total (the days since the due date less the days booked), so that
    day-by-day bookings on an unchanged base sum to exactly `penalty_interest` over the period
    and a quote to a later date adds what the daily sweep would (rounding each stretch alone
    drifts a fen)."""
    if days_past_due(due_date, as_of) <= rule.grace_days:
        return ZERO
    booked = 0
    if through is not None and days_past_due(due_date, through) > rule.grace_days:
        booked = days_past_due(due_date, through)
    total = penalty_for_days(amount, days_past_due(due_date, as_of), rule)
    return total - penalty_for_days(amount, booked, rule)
