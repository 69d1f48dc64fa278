"""Invariants over a wide space of contracts, against an exact `Fraction` oracle and, for the
float figures, numpy-financial.

The space: terms 1-360 months, rates 0-36 %, every method, in advance and in arrears, broken
first periods (an irregular first due date or a due day), fees up to 30 % of the principal,
deposits refunded or offset, both balloon timings.
"""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

import numpy_financial as npf
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from common.amortisation import RESIDUE_LIMIT_FEN
from common.daycount import add_months
from common.errors import DomainError
from common.money import round_fen
from common.schedule import (
    BalloonTiming,
    DepositTreatment,
    Fee,
    InstalmentKind,
    LeaseTerms,
    Method,
    Schedule,
    Timing,
    build_schedule,
)
from tests.common.schedule_oracle import exact_balances, exact_rent, expected_interest, fen, half_up

D = Decimal
WIDE = settings(max_examples=250, deadline=None, derandomize=True)
# numpy-financial divides by a zero rate before choosing the zero-rate branch.
pytestmark = pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")

money = st.integers(min_value=100_000, max_value=300_000_000).map(lambda fen: D(fen) / 100)
rates = st.integers(min_value=0, max_value=3600).map(lambda bp: D(bp) / 100)
dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
terms_months = st.one_of(
    st.integers(min_value=1, max_value=60), st.integers(min_value=61, max_value=360)
)


@st.composite
def lease_terms(
    draw: st.DrawFn,
    methods: tuple[Method, ...] = tuple(Method),
    *,
    costs: bool = True,
    broken: bool = True,
    longest: int = 360,
) -> LeaseTerms:
    principal = draw(money)
    method = draw(st.sampled_from(methods))
    term = min(draw(terms_months), longest)
    timing = Timing.ARREARS
    if method is not Method.INTEREST_ONLY and term > 1:
        timing = draw(st.sampled_from(Timing))
    start = draw(dates)
    first_due, due_day = None, None
    if broken:
        kind = draw(st.sampled_from(["regular", "first_due", "due_day"]))
        if kind == "first_due":
            first_due = start + timedelta(draw(st.integers(min_value=1, max_value=59)))
            if first_due > add_months(start, 2):
                first_due = None
        elif kind == "due_day":
            due_day = draw(st.integers(min_value=1, max_value=31))
    balloon = D(0)
    balloon_timing = BalloonTiming.TERM_END
    if method is Method.BALLOON:
        balloon = round_fen(principal * draw(st.integers(min_value=1, max_value=60)) / 100)
        if timing is Timing.ADVANCE:
            balloon_timing = draw(st.sampled_from(BalloonTiming))
    fees: tuple[Fee, ...] = ()
    deposit = D(0)
    if costs:
        months = draw(st.lists(st.integers(min_value=0, max_value=term), max_size=3))
        budget = int(principal * 30)  # fen: 30 % of the principal across all fees
        fees = tuple(
            Fee("费用", D(draw(st.integers(min_value=1, max_value=budget // 3))) / 100, month)
            for month in months
        )
        deposit = round_fen(principal * draw(st.integers(min_value=0, max_value=20)) / 100)
    return LeaseTerms(
        principal=principal,
        annual_rate_percent=D(0) if method is Method.FLAT else draw(rates),
        term_months=term,
        start_date=start,
        method=method,
        timing=timing,
        first_due_date=first_due,
        due_day=due_day,
        balloon=balloon,
        balloon_timing=balloon_timing,
        flat_monthly_rate_percent=(
            D(draw(st.integers(min_value=1, max_value=200))) / 100
            if method is Method.FLAT
            else D(0)
        ),
        fees=fees,
        deposit=deposit,
        deposit_treatment=draw(st.sampled_from(DepositTreatment)),
        days_in_year=draw(st.sampled_from([360, 365])),
    )


def build(terms: LeaseTerms) -> Schedule:
    """The schedule, or a rejected example when what is paid at signing (fees, deposit and, in
    advance, the first rent) leaves the lessee nothing: refused with a code, by design."""
    try:
        return build_schedule(terms)
    except DomainError as e:
        if e.code != "deposit_invalid" or terms.timing is not Timing.ADVANCE:
            raise
        reject()


def _balloon_line(s: Schedule) -> bool:
    return s.instalments[-1].kind is InstalmentKind.BALLOON


@WIDE
@given(lease_terms())
def test_every_schedule_keeps_the_invariants(terms: LeaseTerms) -> None:
    s = build(terms)
    rows = s.instalments
    assert len(rows) == terms.term_months + _balloon_line(s)
    # Principal parts sum exactly to the financed amount (the balloon is in the last part).
    assert sum(i.principal for i in rows) == terms.principal
    balance = terms.principal
    for i in rows:
        for amount in (i.principal, i.interest, i.payment, i.balance, i.fees, i.amount_due):
            assert amount == round_fen(amount)  # fen-exact
        assert i.principal >= 0  # never a negative amortisation row
        assert i.interest >= 0
        assert i.payment == i.principal + i.interest
        assert i.amount_due == i.payment + i.fees + i.carried_forward - i.deposit_offset
        balance -= i.principal
        assert i.balance == balance >= 0  # balances never go negative
    assert rows[-1].balance == 0
    assert [i.number for i in rows] == list(range(1, len(rows) + 1))
    assert all(a.due_date < b.due_date for a, b in pairwise(rows))
    assert sum(i.deposit_offset for i in rows) + s.deposit_refund == terms.deposit
    assert sum(f.amount for f in s.cash_flows) == -(s.total_interest + s.total_fees)
    assert all(f.on <= s.term_end for f in s.cash_flows)


@WIDE
@given(lease_terms())
def test_interest_is_exact_on_the_balance_and_rounded_once(terms: LeaseTerms) -> None:
    s = build(terms)
    rows = s.instalments
    expected = expected_interest(s)
    for k, row in enumerate(rows):
        if row.kind is InstalmentKind.BALLOON:
            # The balloon line totals the balloon; its interest is within a fen of the exact one.
            assert row.payment == terms.balloon
            assert abs(fen(row.interest) - expected[k]) <= 1
        else:
            assert fen(row.interest) == expected[k]


@WIDE
@given(lease_terms(methods=(Method.ANNUITY, Method.BALLOON), costs=False))
def test_the_rent_is_the_exact_rent_rounded_and_the_residue_stays_bounded(
    terms: LeaseTerms,
) -> None:
    s = build(terms)
    exact = exact_rent(terms)
    assert fen(s.rent) == half_up(exact)
    rows = [i for i in s.instalments if i.kind is InstalmentKind.RENT]
    broken = {1 if terms.timing is Timing.ADVANCE else 0} if s.stub != 1.0 else set()
    if s.tracked:
        # Each balance is the exact balance rounded; every rent within two fen of the exact.
        path = exact_balances(terms, exact)
        target = [fen(i.balance) for i in rows]
        if _balloon_line(s):
            target[-1] = fen(s.instalments[-1].principal) + fen(rows[-1].balance)
        assert target[:-1] == [half_up(b) for b in path[:-1]]
        for k, row in enumerate(rows):
            due = fen(row.payment) - (
                fen(terms.balloon) if row is rows[-1] and not _balloon_line(s) else 0
            )
            if k not in broken:
                assert abs(due - exact) <= 2
    else:
        last = fen(rows[-1].payment) - (0 if _balloon_line(s) else fen(terms.balloon))
        assert abs(last - fen(s.rent)) <= RESIDUE_LIMIT_FEN
        assert all(i.payment == s.rent for k, i in enumerate(rows[:-1]) if k not in broken)


@WIDE
@given(lease_terms(methods=(Method.EQUAL_PRINCIPAL, Method.FLAT)))
def test_level_principal_parts_leave_a_bounded_residue(terms: LeaseTerms) -> None:
    s = build(terms)
    parts = [fen(i.principal) for i in s.instalments]
    exact = Fraction(fen(terms.principal), terms.term_months)
    if s.tracked:
        assert all(abs(p - exact) < 1 for p in parts)
    else:
        assert abs(parts[-1] - parts[0]) <= RESIDUE_LIMIT_FEN


def _rounding_bound_percent(s: Schedule) -> float:
    """How far fen rounding of the interest can move the IRR: half a fen per line, over the
    balance-periods it is earned on (x 1200 for percent a year)."""
    rows, t = s.instalments, s.terms
    balance, exposure = fen(t.principal), 0.0
    for k, row in enumerate(rows):
        if not (t.timing is Timing.ADVANCE and k == 0):
            first = k == (1 if t.timing is Timing.ADVANCE else 0)
            exposure += balance * (s.stub if first else 1.0)
        balance -= fen(row.principal)
    return 1200 * 0.5 * len(rows) / exposure if exposure else 0.0


@WIDE
@given(lease_terms(methods=tuple(m for m in Method if m is not Method.FLAT), costs=False))
def test_a_contract_without_fees_discloses_its_nominal_rate(terms: LeaseTerms) -> None:
    s = build(terms)
    gap = abs(float(s.annualised_rate_percent - terms.annual_rate_percent))
    assert gap <= 0.01 + _rounding_bound_percent(s)
    if terms.term_months >= 12 and terms.principal >= 10_000:
        assert gap <= 0.01


@WIDE
@given(lease_terms())
def test_the_npv_at_the_disclosed_rate_is_zero(terms: LeaseTerms) -> None:
    s = build(terms)
    i = float(s.period_rate)
    assert i >= 0  # the smallest non-negative root
    npv = 0.0
    for flow, t in zip(s.cash_flows, s.flow_periods, strict=True):
        discount = 1.0 if t == 0 else 1 / ((1 + i * s.stub) * (1 + i) ** (t - s.stub))
        npv += float(flow.amount) * discount
    assert abs(npv) < 1e-8 * float(terms.principal)
    assert s.annualised_rate_percent == round(s.period_rate * 1200, 2)


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
        balloon_timing=terms.balloon_timing,
        flat_monthly_rate_percent=terms.flat_monthly_rate_percent,
    )


@WIDE
@given(lease_terms(methods=(Method.ANNUITY, Method.BALLOON), broken=False))
def test_level_rent_agrees_with_numpy_financial_pmt(terms: LeaseTerms) -> None:
    s = build(_regular(terms))
    t = s.terms
    r = float(t.annual_rate_percent) / 1200
    when = "begin" if t.timing is Timing.ADVANCE else "end"
    fv = float(t.balloon)
    if t.timing is Timing.ADVANCE and t.balloon_timing is BalloonTiming.WITH_LAST_RENT:
        fv *= 1 + r  # the balloon rides with the last (period-start) rent, a period early
    expected = float(-npf.pmt(r, t.term_months, float(t.principal), -fv, when=when))
    assert abs(float(s.rent) - expected) <= 0.0051 + 1e-9 * expected


@settings(max_examples=100, deadline=None, derandomize=True)
@given(lease_terms(broken=False, longest=120))  # npf.irr solves a companion matrix: keep it small
def test_annualised_rate_agrees_with_numpy_financial_irr(terms: LeaseTerms) -> None:
    regular = _regular(terms)
    s = build(LeaseTerms(**{**regular.__dict__, "fees": terms.fees, "deposit": terms.deposit}))
    monthly = [0.0] * (terms.term_months + 1)
    for f in s.cash_flows:
        month = (f.on.year - terms.start_date.year) * 12 + f.on.month - terms.start_date.month
        monthly[month] += float(f.amount)
    expected = npf.irr(monthly)
    assert abs(float(s.period_rate) - expected) < 1e-8
