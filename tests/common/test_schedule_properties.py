"""Invariants over random contracts, and numpy-financial as an independent (float) oracle."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.daycount import add_months, months_between
from common.money import round_fen
from common.schedule import (
    DepositTreatment,
    Fee,
    LeaseTerms,
    Method,
    Schedule,
    Timing,
    build_schedule,
)

D = Decimal
FAST = settings(max_examples=300, deadline=None)
# numpy-financial divides by a zero rate before choosing the zero-rate branch.
pytestmark = pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")

money = st.integers(min_value=100_000, max_value=300_000_000).map(lambda fen: D(fen) / 100)
rates = st.integers(min_value=0, max_value=3600).map(lambda bp: D(bp) / 100)
dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@st.composite
def lease_terms(draw: st.DrawFn, methods: tuple[Method, ...] = tuple(Method)) -> LeaseTerms:
    principal = draw(money)
    method = draw(st.sampled_from(methods))
    term = draw(st.integers(min_value=1, max_value=120))
    timing = Timing.ARREARS
    if method is not Method.INTEREST_ONLY and term > 1:
        timing = draw(st.sampled_from(Timing))
    start = draw(dates)
    first_due = draw(
        st.none() | st.integers(min_value=1, max_value=59).map(lambda d: start + timedelta(d))
    )
    balloon = D(0)
    if method is Method.BALLOON:
        balloon = round_fen(principal * draw(st.integers(min_value=1, max_value=60)) / 100)
    fee_fen = st.integers(min_value=1, max_value=int(principal * 10))  # up to 10 % each
    fees = tuple(
        Fee("费用", D(draw(fee_fen)) / 100, month)
        for month in draw(st.lists(st.integers(min_value=0, max_value=term), max_size=3))
    )
    return LeaseTerms(
        principal=principal,
        annual_rate_percent=draw(rates),
        term_months=term,
        start_date=start,
        method=method,
        timing=timing,
        first_due_date=first_due if first_due and first_due <= add_months(start, 2) else None,
        balloon=balloon,
        flat_monthly_rate_percent=(
            D(draw(st.integers(min_value=1, max_value=200))) / 100
            if method is Method.FLAT
            else D(0)
        ),
        fees=fees,
        deposit=round_fen(principal * draw(st.integers(min_value=0, max_value=20)) / 100),
        deposit_treatment=draw(st.sampled_from(DepositTreatment)),
        days_in_year=draw(st.sampled_from([360, 365])),
    )


@FAST
@given(lease_terms())
def test_every_schedule_keeps_the_invariants(terms: LeaseTerms) -> None:
    s = build_schedule(terms)
    rows = s.instalments
    assert len(rows) == terms.term_months
    # Principal parts sum exactly to the financed amount (the balloon is in the last part).
    assert sum(i.principal for i in rows) == terms.principal
    balance = terms.principal
    for i in rows:
        for amount in (i.principal, i.interest, i.payment, i.balance, i.fees, i.amount_due):
            assert amount == round_fen(amount)  # fen-exact
        assert i.principal >= 0
        assert i.interest >= 0
        assert i.payment == i.principal + i.interest
        assert i.amount_due == i.payment + i.fees - i.deposit_offset
        balance -= i.principal
        assert i.balance == balance >= 0  # balances never go negative
    assert rows[-1].balance == 0
    if terms.method is Method.BALLOON and len(rows) > 1:
        assert rows[-2].balance >= terms.balloon
    assert [i.number for i in rows] == list(range(1, len(rows) + 1))
    assert all(a.due_date < b.due_date for a, b in pairwise(rows))
    assert sum(i.deposit_offset for i in rows) + s.deposit_refund == terms.deposit
    assert sum(f.amount for f in s.cash_flows) == -(s.total_interest + s.total_fees)


@FAST
@given(lease_terms(methods=(Method.ANNUITY, Method.BALLOON)))
def test_level_rents_differ_only_where_the_rules_say(terms: LeaseTerms) -> None:
    s = build_schedule(terms)
    exceptions = {0, 1, len(s.instalments) - 1}  # signing rent, broken period, residue
    assert all(i.payment == s.rent for k, i in enumerate(s.instalments) if k not in exceptions)


def _regular(terms: LeaseTerms) -> LeaseTerms:
    """The same contract without a broken period, fees or deposit."""
    return LeaseTerms(
        principal=terms.principal,
        annual_rate_percent=terms.annual_rate_percent,
        term_months=terms.term_months,
        start_date=terms.start_date,
        method=terms.method,
        timing=terms.timing,
        balloon=terms.balloon,
        flat_monthly_rate_percent=terms.flat_monthly_rate_percent,
    )


def _oracle_rent(s: Schedule) -> float:
    t = s.terms
    r = float(t.annual_rate_percent) / 1200
    when = "begin" if t.timing is Timing.ADVANCE else "end"
    fv = float(t.balloon)
    if t.timing is Timing.ADVANCE:
        fv *= 1 + r  # our balloon rides with the last (period-start) rent, a period early
    return float(-npf.pmt(r, t.term_months, float(t.principal), -fv, when=when))


@FAST
@given(lease_terms(methods=(Method.ANNUITY, Method.BALLOON)))
def test_level_rent_agrees_with_numpy_financial_pmt(terms: LeaseTerms) -> None:
    s = build_schedule(_regular(terms))
    assert abs(float(s.rent) - _oracle_rent(s)) <= 0.0051 + 1e-9


@FAST
@given(lease_terms(methods=(Method.ANNUITY,)))
def test_balances_agree_with_numpy_financial_fv_within_the_rounding_bound(
    terms: LeaseTerms,
) -> None:
    s = build_schedule(_regular(terms))
    r = float(terms.annual_rate_percent) / 1200
    when = "begin" if terms.timing is Timing.ADVANCE else "end"
    for k, i in enumerate(s.instalments[:-1], start=1):
        # Balance after k rents of our (rounded) rent, unrounded interest.
        expected = float(npf.fv(r, k, float(s.rent), -float(terms.principal), when=when))
        if when == "begin":
            expected /= 1 + r  # fv is one period on from the k-th rent
        accumulated = 0.005 * (k if r == 0 else ((1 + r) ** k - 1) / r)  # interest rounding
        assert abs(float(i.balance) - expected) <= accumulated + 1e-6


@settings(max_examples=100, deadline=None)
@given(lease_terms())
def test_annualised_rate_agrees_with_numpy_financial_irr(terms: LeaseTerms) -> None:
    s = build_schedule(
        LeaseTerms(**{**_regular(terms).__dict__, "fees": terms.fees, "deposit": terms.deposit})
    )
    monthly = [0.0] * (terms.term_months + 1)
    for f in s.cash_flows:
        monthly[(f.on.year - terms.start_date.year) * 12 + f.on.month - terms.start_date.month] += (
            float(f.amount)
        )
    expected = npf.irr(monthly)
    assert abs(float(s.period_rate) - expected) < 1e-9


@FAST
@given(lease_terms())
def test_the_annualised_rate_discounts_the_cash_flows_to_zero(terms: LeaseTerms) -> None:
    # Holds with broken periods too, where flows sit at fractional months.
    s = build_schedule(terms)
    v = 1 / (1 + float(s.period_rate))
    npv = sum(
        float(f.amount) * v ** float(months_between(terms.start_date, f.on, terms.days_in_year))
        for f in s.cash_flows
    )
    assert abs(npv) < 1e-6 * float(terms.principal)
    assert s.annualised_rate_percent == round(s.period_rate * 1200, 2)
