"""Floor-plan maths: ACT/360 daily interest, cumulative curtailments, payoff, allocation."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.daycount import DayCount
from common.errors import DomainError
from common.floorplan import (
    CurtailmentPlan,
    LineTerms,
    Repayment,
    UnitFigures,
    allocate,
    curtailment_plan,
    exact_interest,
    interest_to,
    interest_to_bill,
    maturity,
    month_end_bill,
    next_curtailment,
    payoff,
    principal_due,
    principal_overdue,
)

TERMS = LineTerms(Decimal("7.2"), 180, CurtailmentPlan(90, 30, Decimal(10)))
DRAWN = date(2026, 1, 10)
UNIT = UnitFigures(principal_fen=20_000_000, drawn_on=DRAWN)  # ¥200,000


def test_interest_is_act_360_counting_the_first_day_not_the_last():
    # ¥200,000 x 7.2 % / 360 = ¥40.00 a day; 10 Jan .. 19 Jan is ten days.
    assert interest_to(UNIT, TERMS, DRAWN) == 0
    assert interest_to(UNIT, TERMS, date(2026, 1, 20)) == 400_00
    assert TERMS.day_count is DayCount.ACT_360


def test_a_curtailment_lowers_the_principal_from_its_day_on():
    unit = UnitFigures(20_000_000, DRAWN, (Repayment(date(2026, 1, 15), 10_000_000),))
    # 5 days on ¥200,000 (¥40/day) and 5 on ¥100,000 (¥20/day)
    assert interest_to(unit, TERMS, date(2026, 1, 20)) == 300_00


def test_month_end_bills_through_the_last_day_and_add_only_what_is_new():
    jan = month_end_bill(UNIT, TERMS, date(2026, 1, 31))
    assert jan == 22 * 40_00  # 10 .. 31 January
    billed = UnitFigures(UNIT.principal_fen, DRAWN, interest_billed_fen=jan)
    assert month_end_bill(billed, TERMS, date(2026, 2, 28)) == 28 * 40_00
    assert month_end_bill(billed, TERMS, date(2026, 1, 31)) == 0  # billed already


def test_the_plan_is_ten_percent_after_90_days_then_every_30_and_the_rest_at_maturity():
    plan = curtailment_plan(UNIT, TERMS)
    assert [(c.due_on - DRAWN).days for c in plan] == [90, 120, 150, 180]
    assert [c.amount_fen for c in plan] == [2_000_000, 2_000_000, 2_000_000, 14_000_000]
    assert plan[-1].due_on == maturity(UNIT, TERMS) and plan[-1].cumulative_fen == 20_000_000


def test_due_and_overdue_are_cumulative_and_early_payments_count():
    day90 = DRAWN + timedelta(days=90)
    assert principal_due(UNIT, TERMS, day90 - timedelta(days=1)) == 0
    assert principal_due(UNIT, TERMS, day90) == 2_000_000
    assert principal_overdue(UNIT, TERMS, day90) == 0  # payable on its day
    assert principal_overdue(UNIT, TERMS, day90 + timedelta(days=1)) == 2_000_000
    early = UnitFigures(20_000_000, DRAWN, (Repayment(DRAWN + timedelta(days=30), 3_000_000),))
    assert principal_due(early, TERMS, day90) == 0
    nxt = next_curtailment(early, TERMS, day90)
    assert nxt is not None and nxt.due_on == DRAWN + timedelta(days=120)
    assert nxt.amount_fen == 1_000_000  # 40 % required by then, 30 % paid


def test_payoff_is_principal_left_and_interest_not_yet_paid():
    unit = UnitFigures(20_000_000, DRAWN, interest_billed_fen=880_00, interest_paid_fen=0)
    quote = payoff(unit, TERMS, date(2026, 2, 5))  # billed through 31 Jan; 4 more days
    assert (quote.principal_fen, quote.interest_billed_fen, quote.interest_unbilled_fen) == (
        20_000_000, 880_00, 4 * 40_00,
    )  # fmt: skip
    assert quote.total_fen == 20_000_000 + 880_00 + 160_00


def test_a_payment_pays_billed_interest_first_and_must_leave_principal():
    unit = UnitFigures(20_000_000, DRAWN, interest_billed_fen=880_00)
    assert allocate(unit, 2_000_000) == allocate(unit, 2_000_000)
    a = allocate(unit, 2_000_000)
    assert (a.interest_fen, a.principal_fen) == (880_00, 2_000_000 - 880_00)
    with pytest.raises(DomainError) as e:
        allocate(unit, 20_000_000 + 880_00)
    assert e.value.code == "floorplan_curtailment_too_large"


@pytest.mark.parametrize(
    ("field", "terms"),
    [
        ("annual_rate_percent", lambda: LineTerms(Decimal(40), 180)),
        ("max_days", lambda: LineTerms(Decimal(6), 0)),
        ("percent", lambda: CurtailmentPlan(90, 30, Decimal(0))),
        ("every_days", lambda: CurtailmentPlan(90, 0, Decimal(10))),
    ],
)
def test_terms_out_of_range_are_refused_naming_the_field(field, terms):
    with pytest.raises(DomainError) as e:
        terms()
    assert e.value.code == "floorplan_terms_invalid" and field in e.value.fields


# -- properties ---------------------------------------------------------------------------------

principals = st.integers(min_value=1, max_value=10**10)
rates = st.decimals(min_value=0, max_value=36, places=2)
days = st.integers(min_value=0, max_value=400)


@st.composite
def units(draw: st.DrawFn) -> tuple[UnitFigures, LineTerms]:
    principal = draw(principals)
    terms = LineTerms(
        draw(rates), draw(st.integers(1, 360)),
        CurtailmentPlan(draw(st.integers(1, 200)), draw(st.integers(1, 60)),
                        draw(st.decimals(min_value="0.01", max_value=100, places=2))),
    )  # fmt: skip
    repaid: list[Repayment] = []
    left = principal
    for offset in sorted(draw(st.lists(days, max_size=5))):
        if left <= 1:
            break
        fen = draw(st.integers(1, left - 1))
        repaid.append(Repayment(DRAWN + timedelta(days=offset), fen))
        left -= fen
    return UnitFigures(principal, DRAWN, tuple(repaid)), terms


def _slow_interest(unit: UnitFigures, terms: LineTerms, end: date) -> Fraction:
    """One day at a time, the principal at the end of each day: the definition, literally."""
    total = Fraction(0)
    day = unit.drawn_on
    while day < end:
        left = unit.principal_fen - sum(r.principal_fen for r in unit.repaid if r.on <= day)
        total += Fraction(left) * Fraction(terms.annual_rate_percent) / 100 / 360
        day += timedelta(days=1)
    return total


@settings(max_examples=150, deadline=None)
@given(units(), days)
def test_the_exact_interest_is_the_sum_of_its_days(case, n):
    unit, terms = case
    end = DRAWN + timedelta(days=n)
    assert exact_interest(unit, terms, end) == _slow_interest(unit, terms, end)


@settings(max_examples=150, deadline=None)
@given(units(), st.lists(days, min_size=1, max_size=8))
def test_monthly_bills_then_a_payoff_sum_to_the_rounded_total(case, cut_days):
    """However the interest is billed (month ends, any days), the bills add up to the interest
    to the payoff rounded once: no drift, never a negative bill."""
    unit, terms = case
    ends = sorted(DRAWN + timedelta(days=d) for d in cut_days)
    billed = 0
    for end in ends:
        bill = interest_to_bill(
            UnitFigures(unit.principal_fen, DRAWN, unit.repaid, billed), terms, end
        )
        assert bill >= 0
        billed += bill
    assert billed == interest_to(unit, terms, ends[-1])
    assert abs(Fraction(billed) - exact_interest(unit, terms, ends[-1])) <= Fraction(1, 2)


@settings(max_examples=150, deadline=None)
@given(units())
def test_the_plan_repays_exactly_the_principal_by_maturity(case):
    unit, terms = case
    plan = curtailment_plan(unit, terms)
    assert sum(c.amount_fen for c in plan) == unit.principal_fen
    assert all(c.amount_fen > 0 for c in plan)
    assert [c.due_on for c in plan] == sorted(c.due_on for c in plan)
    assert plan[-1].due_on <= maturity(unit, terms)
    after = maturity(unit, terms) + timedelta(days=1)
    assert principal_overdue(unit, terms, after) == unit.principal_left_fen


@settings(max_examples=150, deadline=None)
@given(units(), days)
def test_overdue_never_exceeds_due_nor_what_is_left(case, n):
    unit, terms = case
    on = DRAWN + timedelta(days=n)
    assert 0 <= principal_overdue(unit, terms, on) <= principal_due(unit, terms, on)
    assert principal_due(unit, terms, on) <= unit.principal_left_fen
