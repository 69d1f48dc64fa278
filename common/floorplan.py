"""Floor-plan financing 库存融资: the figures of one financed vehicle (a unit) on a dealer's line.

The lessor pays the OEM or distributor for each VIN (the drawdown); the dealer pays interest on
what is outstanding, curtailments 分期还本 by the line's plan, and the rest when the unit is sold.

Interest accrues daily on the principal outstanding at the end of each day, on ACT/360 — the
People's Bank's convention for RMB loans (日利率 = 年利率 / 360), the basis the lease schedules use
for their broken periods too. A day counts from the drawdown day and not the payoff day (算头不算
尾): `interest_to(unit, terms, d)` is the interest of the days [drawn_on, d). It is kept exact (a
Fraction) and rounded once, cumulatively, with `div_half_up`; what a month-end bill or a payoff
adds is the rounded total to its day less what was billed before, so the bills never drift from
the exact interest by more than half a fen, however many there are.

Curtailments are cumulative requirements: by each date of the plan the dealer must have repaid at
least so much principal (10 % of the original principal 90 days after the drawdown, 10 % more every
30 days, and all of it at the line's maximum days per unit). Paying early counts towards the next
ones; what is due on a day is the requirement to that day less what was repaid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from common.daycount import DayCount
from common.errors import DomainError
from common.money import div_half_up

DAY_COUNT = DayCount.ACT_360
MAX_DAYS_LIMIT = 720  # the longest a unit may stay financed under any line
RATE_MAX_PERCENT = Decimal(36)


def _invalid(field_name: str, zh: str, en: str) -> DomainError:
    return DomainError(
        "floorplan_terms_invalid", zh, en, fields={field_name: "floorplan_terms_invalid"}
    )


@dataclass(frozen=True, slots=True)
class CurtailmentPlan:
    """The line's curtailment plan 还本计划, as data: `percent` of the original principal due
    `first_after_days` after the drawdown, then `percent` more every `every_days`."""

    first_after_days: int = 90
    every_days: int = 30
    percent: Decimal = Decimal(10)

    def __post_init__(self) -> None:
        if not 1 <= self.first_after_days <= MAX_DAYS_LIMIT:
            raise _invalid("first_after_days", "首次还本天数无效", "invalid first curtailment day")
        if not 1 <= self.every_days <= 365:
            raise _invalid("every_days", "还本间隔天数无效", "invalid curtailment interval")
        if not Decimal(0) < self.percent <= Decimal(100):
            raise _invalid("percent", "还本比例须在 0 到 100 之间", "percent must be in (0, 100]")


@dataclass(frozen=True, slots=True)
class LineTerms:
    """What a unit is financed on: the line's rate, its term and curtailment plan."""

    annual_rate_percent: Decimal
    max_days: int
    plan: CurtailmentPlan = field(default_factory=CurtailmentPlan)
    day_count: DayCount = DAY_COUNT

    def __post_init__(self) -> None:
        if not Decimal(0) <= self.annual_rate_percent <= RATE_MAX_PERCENT:
            raise _invalid("annual_rate_percent", "年利率须在 0 到 36% 之间", "rate out of range")
        if not 1 <= self.max_days <= MAX_DAYS_LIMIT:
            raise _invalid("max_days", "单车最长融资天数无效", "invalid maximum days per unit")


@dataclass(frozen=True, slots=True)
class Repayment:
    """Principal repaid on a day (a curtailment, or the payoff)."""

    on: date
    principal_fen: int


@dataclass(frozen=True, slots=True)
class UnitFigures:
    """A unit as the maths sees it: the principal drawn, on which day, and what came back."""

    principal_fen: int
    drawn_on: date
    repaid: tuple[Repayment, ...] = ()
    interest_billed_fen: int = 0
    interest_paid_fen: int = 0

    @property
    def principal_repaid_fen(self) -> int:
        return sum(r.principal_fen for r in self.repaid)

    @property
    def principal_left_fen(self) -> int:
        return self.principal_fen - self.principal_repaid_fen

    @property
    def interest_unpaid_billed_fen(self) -> int:
        return self.interest_billed_fen - self.interest_paid_fen


def maturity(unit: UnitFigures, terms: LineTerms) -> date:
    """The day the whole principal is due 到期日."""
    return unit.drawn_on + timedelta(days=terms.max_days)


def age_days(unit: UnitFigures, as_of: date) -> int:
    """Days on the floor plan 库龄 (0 on the drawdown day)."""
    return max(0, (as_of - unit.drawn_on).days)


def exact_interest(unit: UnitFigures, terms: LineTerms, end: date) -> Fraction:
    """The exact interest of the days [drawn_on, end): each day on the principal outstanding at
    its end (a repayment on day r lowers the principal from day r on)."""
    total = Fraction(0)
    principal, day = unit.principal_fen, unit.drawn_on
    for r in sorted(unit.repaid, key=lambda x: x.on):
        upto = min(max(r.on, day), end)
        if upto > day:
            rate = terms.annual_rate_percent
            total += terms.day_count.interest(principal, rate, (upto - day).days)
            day = upto
        principal -= r.principal_fen
    if end > day and principal > 0:
        total += terms.day_count.interest(principal, terms.annual_rate_percent, (end - day).days)
    return total


def interest_to(unit: UnitFigures, terms: LineTerms, end: date) -> int:
    """The interest of the days [drawn_on, end), rounded once (half up) to the fen."""
    exact = exact_interest(unit, terms, end)
    return div_half_up(exact.numerator, exact.denominator)


def interest_to_bill(unit: UnitFigures, terms: LineTerms, end: date) -> int:
    """What a bill for the days before `end` adds to what was billed (never negative)."""
    return max(0, interest_to(unit, terms, end) - unit.interest_billed_fen)


def month_end_bill(unit: UnitFigures, terms: LineTerms, month_end: date) -> int:
    """月末计息: the interest through the last day of the month (days before the 1st next)."""
    return interest_to_bill(unit, terms, month_end + timedelta(days=1))


@dataclass(frozen=True, slots=True)
class Curtailment:
    """One date of the plan: by `due_on` at least `cumulative_fen` of principal repaid."""

    due_on: date
    amount_fen: int
    cumulative_fen: int


def curtailment_plan(unit: UnitFigures, terms: LineTerms) -> tuple[Curtailment, ...]:
    """The plan's dates for this unit, the last one the maturity with whatever is left."""
    num, den = terms.plan.percent.as_integer_ratio()
    step = max(1, div_half_up(unit.principal_fen * num, den * 100))  # a fen at least
    end = maturity(unit, terms)
    out: list[Curtailment] = []
    cumulative = 0
    due = unit.drawn_on + timedelta(days=terms.plan.first_after_days)
    while due < end and cumulative < unit.principal_fen:
        amount = min(step, unit.principal_fen - cumulative)
        cumulative += amount
        out.append(Curtailment(due, amount, cumulative))
        due += timedelta(days=terms.plan.every_days)
    if cumulative < unit.principal_fen:  # the balance at maturity
        out.append(Curtailment(end, unit.principal_fen - cumulative, unit.principal_fen))
    return tuple(out)


def _required_by(unit: UnitFigures, terms: LineTerms, on: date, *, strictly: bool) -> int:
    required = 0
    for c in curtailment_plan(unit, terms):
        if c.due_on < on or (not strictly and c.due_on == on):
            required = c.cumulative_fen
    return required


def principal_due(unit: UnitFigures, terms: LineTerms, as_of: date) -> int:
    """Curtailments due on or before `as_of` and not yet repaid 应还本金."""
    return max(0, _required_by(unit, terms, as_of, strictly=False) - unit.principal_repaid_fen)


def principal_overdue(unit: UnitFigures, terms: LineTerms, as_of: date) -> int:
    """Curtailments whose day has passed (due before `as_of`) and not repaid 逾期未还本金."""
    return max(0, _required_by(unit, terms, as_of, strictly=True) - unit.principal_repaid_fen)


@dataclass(frozen=True, slots=True)
class NextCurtailment:
    due_on: date
    amount_fen: int  # still to repay by that day


def next_curtailment(unit: UnitFigures, terms: LineTerms, as_of: date) -> NextCurtailment | None:
    """The first date of the plan the repayments do not yet cover (it may have passed)."""
    if unit.principal_left_fen <= 0:
        return None
    repaid = unit.principal_repaid_fen
    for c in curtailment_plan(unit, terms):
        if c.cumulative_fen > repaid:
            return NextCurtailment(c.due_on, c.cumulative_fen - repaid)
    return None  # unreachable while principal is left: the plan ends with all of it


@dataclass(frozen=True, slots=True)
class Payoff:
    """结清金额 on a day: principal left, interest billed and unpaid, interest not yet billed."""

    on: date
    principal_fen: int
    interest_billed_fen: int
    interest_unbilled_fen: int

    @property
    def interest_fen(self) -> int:
        return self.interest_billed_fen + self.interest_unbilled_fen

    @property
    def total_fen(self) -> int:
        return self.principal_fen + self.interest_fen


def payoff(unit: UnitFigures, terms: LineTerms, on: date) -> Payoff:
    """What repays the unit on `on` (the interest of the days before it; none for `on`)."""
    return Payoff(
        on, unit.principal_left_fen, unit.interest_unpaid_billed_fen,
        interest_to_bill(unit, terms, on),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Allocation:
    interest_fen: int
    principal_fen: int


def allocate(unit: UnitFigures, amount_fen: int) -> Allocation:
    """A curtailment payment pays the interest billed and unpaid first, then principal; it must
    leave principal outstanding (repaying all of it is a payoff, which bills the last interest)."""
    if type(amount_fen) is not int or amount_fen <= 0:
        raise DomainError("money_invalid", "金额须为正数", "the amount must be positive",
                          fields={"amount": "money_invalid"})  # fmt: skip
    interest = min(amount_fen, unit.interest_unpaid_billed_fen)
    principal = amount_fen - interest
    if principal >= unit.principal_left_fen:
        raise DomainError(
            "floorplan_curtailment_too_large", "还本金额不得结清全部本金，请使用结清",
            "a curtailment must leave principal outstanding; use the payoff",
            fields={"amount": "floorplan_curtailment_too_large"},
        )  # fmt: skip
    return Allocation(interest, principal)
