"""Co-lending splits: for any repayment the funder's and the lessor's parts add up to what was
paid, to the fen, neither negative; the funder's principal over a contract's life is exactly its
funded share, however the repayments fall; its yield is its share's rate for the period, never
more than the interest paid; and the yield on interest a reschedule lifts back to 溢缴款 is taken
back exactly, no more, leaving what the rows kept earned."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.colending import (
    Period,
    Terms,
    agreement_problems,
    allocate,
    funded_share,
    percent_e4,
    percent_text,
    periods,
    yield_lifted,
    yield_on,
)

TERMS = Terms(share_e4=800_000, yield_e4=42_000)  # 80 %, 4.2 %
shares = st.integers(1, 1_000_000)
yields = st.integers(0, 360_000)


def test_an_agreements_figures_are_plain_percentages_with_four_decimals_at_most():
    assert percent_e4("80") == 800_000 and percent_e4("4.2125") == 42_125
    assert percent_text(42_000) == "4.2000"
    assert agreement_problems("80", "4.2") == {}
    assert agreement_problems("100", "0") == {}
    assert agreement_problems("0", "4.2") == {"share_percent": "funder_share_invalid"}
    assert agreement_problems("100.0001", "4.2") == {"share_percent": "funder_share_invalid"}
    assert agreement_problems("80", "4.21251") == {"yield_percent": "funder_yield_invalid"}
    for bad in ("-1", "1e2", "８０", " 80", "80.", "NaN"):
        assert "share_percent" in agreement_problems(bad, "4")


def test_the_funder_funds_its_share_truncated_and_the_lessor_the_odd_fen():
    assert funded_share(TERMS, 100_000_00) == 80_000_00
    assert funded_share(TERMS, 333) == 266  # 266.4: the 0.4 fen is the lessor's


def test_a_worked_example_the_one_in_the_docs():
    # 100,000.00 financed, first monthly rent of 31 days repays 2,700.00 principal and
    # 500.00 interest; the funder's share outstanding is 80,000.00 at 4.2 %.
    schedule = periods([(1, date(2026, 2, 1), 2_700_00, 500_00),
                        (2, date(2026, 3, 1), 2_713_50, 486_50)], date(2026, 1, 1))  # fmt: skip
    assert schedule[0] == Period(1, 5_413_50, 31, 500_00)
    assert schedule[1] == Period(2, 2_713_50, 28, 486_50)
    full = [Period(1, 100_000_00, 31, 500_00)]  # the first row of the whole schedule
    split = allocate(TERMS, paid=3_200_00, principal=2_700_00, interest_by_row={1: 500_00},
                     schedule=full, financed=100_000_00, outstanding_after=97_300_00,
                     allocated_before=0)  # fmt: skip
    assert split.funder_principal == 2_160_00  # 80 % of 2,700.00
    assert split.funder_yield == 285_36  # 80,000.00 x 4.2 % x 31 / 365 = 285.369...
    assert split.lessor == 3_200_00 - 2_160_00 - 285_36  # the margin and the 0.99 fen truncated
    half = allocate(TERMS, paid=250_00, principal=0, interest_by_row={1: 250_00},
                    schedule=full, financed=100_000_00, outstanding_after=100_000_00,
                    allocated_before=0)  # fmt: skip
    assert half.funder_yield == 142_68  # half the interest paid: half the period's yield


def test_the_yield_is_never_more_than_the_interest_paid():
    greedy = Terms(share_e4=1_000_000, yield_e4=360_000)
    split = allocate(greedy, paid=100, principal=0, interest_by_row={1: 100},
                     schedule=[Period(1, 100_000_00, 31, 100)], financed=100_000_00,
                     outstanding_after=100_000_00, allocated_before=0)  # fmt: skip
    assert split.funder_yield == 100 and split.lessor == 0


def test_inconsistent_figures_are_refused():
    with pytest.raises(ValueError, match="part of what was paid"):
        allocate(TERMS, paid=10, principal=10, interest_by_row={1: 1}, schedule=[],
                 financed=100, outstanding_after=90, allocated_before=0)  # fmt: skip
    with pytest.raises(ValueError, match="share"):
        Terms(0, 1)


@st.composite
def histories(draw):
    """A contract's schedule and a run of repayments over it: amounts that may cover part of a
    row, several rows, or principal only."""
    n = draw(st.integers(1, 12))
    principals = draw(st.lists(st.integers(0, 5_000_000), min_size=n, max_size=n))
    interests = draw(st.lists(st.integers(0, 300_000), min_size=n, max_size=n))
    days = draw(st.lists(st.integers(0, 62), min_size=n, max_size=n))
    cuts = draw(st.lists(st.integers(1, 12), min_size=1, max_size=30))
    return principals, interests, days, cuts


@settings(max_examples=300, deadline=None)
@given(shares, yields, histories(), st.integers(0, 10_000))
def test_every_repayment_splits_to_the_fen_and_the_funder_gets_exactly_its_share(
    share, rate, history, extra
):
    terms = Terms(share, rate)
    principals, interests, days, cuts = history
    financed = sum(principals)
    opening, schedule = financed, []
    for k, (p, i, d) in enumerate(zip(principals, interests, days, strict=True), start=1):
        schedule.append(Period(k, opening, d, i))
        opening -= p
    # Pay the rows in order, in pieces (each piece one repayment), then a final sweep.
    owed = [x for k, (p, i) in enumerate(zip(principals, interests, strict=True), 1)
            for x in ((k, "i", i), (k, "p", p))]  # fmt: skip
    outstanding, allocated, total_yield = financed, 0, 0
    queue = list(owed)
    for cut in [*cuts, 10**9]:
        budget = cut * 100_000
        principal, by_row = 0, {}
        while queue and budget:
            k, part, fen = queue[0]
            take = min(fen, budget)
            budget -= take
            if part == "p":
                principal += take
            else:
                by_row[k] = by_row.get(k, 0) + take
            queue[0] = (k, part, fen - take)
            if queue[0][2] == 0:
                queue.pop(0)
        outstanding -= principal
        paid = principal + sum(by_row.values()) + extra  # fees, penalty: the lessor's
        split = allocate(terms, paid=paid, principal=principal, interest_by_row=by_row,
                         schedule=schedule, financed=financed, outstanding_after=outstanding,
                         allocated_before=allocated)  # fmt: skip
        assert split.funder + split.lessor == paid
        assert 0 <= split.funder_principal <= principal
        assert 0 <= split.funder_yield <= sum(by_row.values())
        assert split.lessor >= extra
        allocated += split.funder_principal
        total_yield += split.funder_yield
    assert outstanding == 0
    assert allocated == funded_share(terms, financed)  # to the fen, over the whole life
    full = sum(share * p.opening * rate * p.days for p in schedule if p.interest > 0)
    assert total_yield <= full // (1_000_000 * 1_000_000 * 365) + len(schedule)


@settings(max_examples=200, deadline=None)
@given(shares, st.integers(1, 10**9), st.integers(0, 10**9))
def test_principal_lifted_back_and_paid_again_is_not_allocated_twice(share, financed, part):
    """A prepayment or an extension lifts rents paid ahead back to 溢缴款 and applies them
    again: the outstanding principal rises, then falls back; the funder is owed nothing new."""
    terms = Terms(share, 0)
    part = min(part, financed)
    first = allocate(
        terms,
        paid=part,
        principal=part,
        interest_by_row={},
        schedule=[],
        financed=financed,
        outstanding_after=financed - part,
        allocated_before=0,
    )
    again = allocate(terms, paid=part, principal=part, interest_by_row={}, schedule=[],
                     financed=financed, outstanding_after=financed - part,
                     allocated_before=first.funder_principal)  # fmt: skip
    assert again.funder_principal == 0 and again.lessor == part


def test_the_yield_on_rent_paid_ahead_and_lifted_is_taken_back_to_the_fen():
    # the worked example's first two rows; the first rent and ¥123.45 of the second's interest
    # paid ahead, allocated in one repayment
    schedule = [Period(1, 100_000_00, 31, 500_00), Period(2, 97_300_00, 28, 486_50)]
    ahead = {1: 500_00, 2: 123_45}
    allocated = yield_on(TERMS, ahead, schedule)
    assert allocated == 349_00  # 285.369... + 80 % x 97,300.00 x 4.2 % x 28/365 x 123.45/486.50
    # a prepayment before the first due date lifts both rows: all of it comes back
    assert yield_lifted(TERMS, allocated=allocated, interest_by_row=ahead, lifted={1, 2},
                        schedule=schedule) == allocated  # fmt: skip
    # after the first due date only the second is lifted: the first keeps what it earned alone,
    # ¥285.36, so ¥63.64 comes back — the fen the one truncation gave goes with it (63.639...)
    assert yield_lifted(TERMS, allocated=allocated, interest_by_row=ahead, lifted={2},
                        schedule=schedule) == 63_64  # fmt: skip
    assert yield_lifted(TERMS, allocated=allocated, interest_by_row=ahead, lifted={3},
                        schedule=schedule) == 0  # fmt: skip


@st.composite
def lease_histories(draw):
    """A schedule whose rows' interest is at a lease rate of at least the funder's yield (so the
    yield never reaches the interest's cap), and the interest paid in pieces."""
    rate = draw(yields)
    n = draw(st.integers(1, 12))
    principals = draw(st.lists(st.integers(0, 5_000_000), min_size=n, max_size=n))
    days = draw(st.lists(st.integers(0, 62), min_size=n, max_size=n))
    lease_e4 = draw(st.integers(rate, 360_000))
    opening, schedule = sum(principals), []
    for k, (p, d) in enumerate(zip(principals, days, strict=True), start=1):
        interest = -(-opening * lease_e4 * d // (1_000_000 * 365))  # rounded up
        schedule.append(Period(k, opening, d, interest))
        opening -= p
    cuts = draw(st.lists(st.integers(1, 12), min_size=1, max_size=30))
    return rate, schedule, cuts


@settings(max_examples=300, deadline=None)
@given(shares, lease_histories(), st.integers(0, 12))
def test_what_a_lift_takes_back_leaves_each_repayment_the_yield_of_the_rows_it_kept(
    share, history, kept_rows
):
    """Repayments pay the rows' interest in pieces; a reschedule lifts the rows after the first
    `kept_rows`. Each repayment keeps exactly the yield its kept rows alone would have earned,
    the reversal is never more than it was given, and the funder's yield over the whole is its
    rate on the interest still earned, less under a fen per repayment (each truncates once)."""
    rate, schedule, cuts = history
    terms = Terms(share, rate)
    queue = [(p.number, p.interest) for p in schedule]
    repayments: list[dict[int, int]] = []
    for cut in [*cuts, 10**9]:
        budget, by_row = cut * 50_000, {}
        while queue and budget:
            k, fen = queue[0]
            take = min(fen, budget)
            budget -= take
            by_row[k] = by_row.get(k, 0) + take
            queue[0] = (k, fen - take)
            if queue[0][1] == 0:
                queue.pop(0)
        repayments.append(by_row)
    lifted = {p.number for p in schedule if p.number > kept_rows}
    kept_total = 0
    for by_row in repayments:
        given_ = yield_on(terms, by_row, schedule)
        back = yield_lifted(terms, allocated=given_, interest_by_row=by_row, lifted=lifted,
                            schedule=schedule)  # fmt: skip
        assert 0 <= back <= given_
        kept = {n: f for n, f in by_row.items() if n not in lifted}
        assert given_ - back == yield_on(terms, kept, schedule)
        kept_total += given_ - back
    exact = sum(Fraction(share * p.opening * rate * p.days, 1_000_000 * 1_000_000 * 365)
                for p in schedule if p.number not in lifted and p.interest > 0)  # fmt: skip
    assert exact - len(repayments) < kept_total <= exact
