"""An independent exact oracle for schedules, in `Fraction`s: tests only, never the engine.

It knows the contract conventions (rates, periods, the balloon at the term end) but none of the
engine's code: rents come from summing discount factors, balances from stepping exact
fractions, rounding from `floor(x + 1/2)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import floor

from common.schedule import BalloonTiming, LeaseTerms, Method, Schedule, Timing

F = Fraction


def half_up(x: Fraction) -> int:
    """Half up, away from zero on a tie, to an integer."""
    return floor(x + F(1, 2)) if x >= 0 else -floor(-x + F(1, 2))


def fen(amount: object) -> int:
    value = F(str(amount)) * 100
    assert value.denominator == 1, amount
    return int(value)


def monthly(terms: LeaseTerms) -> Fraction:
    return F(str(terms.annual_rate_percent)) / 1200


@dataclass(frozen=True)
class Shape:
    """Rent times (in periods from signing) and the balloon time, on the regular axis."""

    rent_times: list[int]
    balloon_time: int


def shape(terms: LeaseTerms) -> Shape:
    n = terms.term_months
    if terms.timing is Timing.ARREARS:
        return Shape(list(range(1, n + 1)), n)
    at_end = terms.balloon_timing is BalloonTiming.TERM_END
    return Shape(list(range(n)), n if at_end else n - 1)


def exact_rent(terms: LeaseTerms) -> Fraction:
    """The level rent (annuity, balloon) in fen that repays the principal exactly."""
    v = 1 / (1 + monthly(terms))
    s = shape(terms)
    annuity = sum((v**t for t in s.rent_times), F(0))
    return (fen(terms.principal) - fen(terms.balloon) * v**s.balloon_time) / annuity


def exact_balances(terms: LeaseTerms, rent: Fraction) -> list[Fraction]:
    """Balance after each rent on the exact path of `rent` (principal + accrued interest - rent)."""
    r = monthly(terms)
    balance = F(fen(terms.principal))
    out = []
    for k in range(terms.term_months):
        if not (terms.timing is Timing.ADVANCE and k == 0):
            balance *= 1 + r
        balance -= rent
        out.append(balance)
    return out


def expected_interest(schedule: Schedule) -> list[int]:
    """Each line's interest, exactly from the schedule's own balances, rounded once."""
    t = schedule.terms
    r = monthly(t)
    rows = schedule.instalments
    out = []
    before = fen(t.principal)
    for k, row in enumerate(rows):
        if t.method is Method.FLAT:
            out.append(half_up(fen(t.principal) * F(str(t.flat_monthly_rate_percent)) / 100))
        elif t.timing is Timing.ADVANCE and k == 0:
            out.append(0)
        elif k == schedule_broken_index(schedule):
            days = (rows[k].due_date - (rows[k - 1].due_date if k else t.start_date)).days
            rate = F(str(t.annual_rate_percent)) / 100 / t.days_in_year
            out.append(half_up(before * rate * days))
        else:
            out.append(half_up(before * r))
        before -= fen(row.principal)
    return out


def schedule_broken_index(schedule: Schedule) -> int | None:
    if schedule.stub == 1.0:
        return None
    return 1 if schedule.terms.timing is Timing.ADVANCE else 0
