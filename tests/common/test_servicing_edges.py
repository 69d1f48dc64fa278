"""Servicing at the edges: settlement-dated payoffs, penalty days counted once, arrears carried
into an extension, balloons that stay at the term end, and properties over random contracts."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.errors import DomainError
from common.schedule import InstalmentKind, LeaseTerms, Method, Schedule, Timing, build_schedule
from common.servicing import (
    Arrears,
    OverdueTreatment,
    PayoffPolicy,
    PenaltyRule,
    PercentOfPrincipal,
    PrepaymentMode,
    extend,
    partial_prepayment,
    payoff_quote,
)
from common.servicing.delinquency import penalty_increment
from common.valuation import VehicleToValue

D = Decimal
START = date(2026, 1, 15)
RULE = PenaltyRule(D("0.05"))  # 万分之五 a day
ARREARS = Arrears(6, date(2026, 7, 15), D("2600.00"), D("442.19"))


def lease(**overrides: Any) -> Schedule:
    base: dict[str, Any] = {
        "principal": D("100000"),
        "annual_rate_percent": D("6"),
        "term_months": 36,
        "start_date": START,
    }
    return build_schedule(LeaseTerms(**(base | overrides)))


def test_a_payoff_for_a_later_date_accrues_interest_and_penalty_to_that_date() -> None:
    policy = PayoffPolicy(penalty_rule=RULE)
    today = payoff_quote(lease(), date(2026, 7, 25), policy, [ARREARS])
    later = payoff_quote(lease(), date(2026, 7, 25), policy, [ARREARS], settle_on=date(2026, 7, 30))
    assert later.as_of == date(2026, 7, 25)
    assert later.settle_on == later.valid_until == date(2026, 7, 30)
    assert later.line("accrued_interest") == D("204.57")  # 422.77 x 15 / 31
    assert later.line("penalty_interest") == D("22.82")  # 3042.19 x 0.05 % x 15 days
    # Five more days: about five times the per-day figure, to the fen of rounding.
    assert abs(later.total - today.total - 5 * today.per_day) <= D("0.02")


def test_booked_penalty_is_not_counted_again() -> None:
    booked = Arrears(6, date(2026, 7, 15), D("2600.00"), D("442.19"), penalty=D("15.21"))
    assert booked.penalty_to(date(2026, 7, 25), RULE) == D("15.21")  # not 30.42
    through = Arrears(
        6, date(2026, 7, 15), D("2600.00"), D("442.19"), D("0"), D("15.21"), date(2026, 7, 25)
    )
    assert through.penalty_to(date(2026, 7, 25), RULE) == D("15.21")
    assert through.penalty_to(date(2026, 7, 27), RULE) == D("15.21") + D("3.04")
    q = payoff_quote(lease(), date(2026, 7, 25), PayoffPolicy(penalty_rule=RULE), [booked])
    assert q.line("penalty_interest") == D("15.21")


def test_arrears_carried_forward_are_due_with_the_first_new_instalment_and_in_the_rate() -> None:
    carried = extend(
        lease(), date(2026, 7, 20), 6, arrears=[ARREARS], overdue=OverdueTreatment.CARRY_FORWARD
    )
    plain = extend(lease(), date(2026, 7, 20), 6)
    first, plain_first = carried.schedule.instalments[0], plain.schedule.instalments[0]
    assert first.carried_forward == D("3042.19")
    assert first.amount_due == plain_first.amount_due + D("3042.19")
    assert carried.schedule.cash_flows[0].amount == plain.schedule.cash_flows[0].amount + D(
        "3042.19"
    )
    # Owed from the start, paid a month later without interest: the rate shows it.
    assert carried.annualised_rate_percent < plain.annualised_rate_percent == D("6.00")


def test_keeping_the_rent_on_a_balloon_lease_keeps_the_balloon_at_the_term_end() -> None:
    s = lease(method=Method.BALLOON, balloon=D("30000"))
    p = partial_prepayment(s, date(2026, 7, 15), D("20000"), PrepaymentMode.SHORTEN_TERM)
    rows = p.schedule.instalments
    assert rows[-1].due_date == s.instalments[-1].due_date == date(2029, 1, 15)
    assert rows[-1].principal >= D("30000")
    assert rows[0].payment == s.rent
    # Once the amortising part is repaid, only the balloon's interest is due.
    assert rows[-2].payment == D("150.00")
    assert sum(i.principal for i in rows) == s.instalments[5].balance - D("20000")


def test_keeping_the_rent_terminates_on_a_long_high_rate_lease() -> None:
    s = lease(annual_rate_percent=D("36"), term_months=360)
    p = partial_prepayment(s, s.instalments[0].due_date, D("100"), PrepaymentMode.SHORTEN_TERM)
    assert sum(i.principal for i in p.schedule.instalments) == s.instalments[0].balance - D("100")
    assert all(i.principal >= 0 for i in p.schedule.instalments)


def test_changes_on_a_month_end_contract_keep_the_nominal_rate() -> None:
    s = lease(start_date=date(2026, 1, 31), term_months=12)
    p = partial_prepayment(s, date(2026, 2, 28), D("10000"))
    e = extend(s, date(2026, 2, 28), 6)
    assert p.schedule.annualised_rate_percent == e.annualised_rate_percent == D("6.00")


def test_a_valuation_refuses_a_negative_price() -> None:
    vehicle = VehicleToValue(
        new_price=D("-100000"), vehicle_type="passenger", model_year=2024, mileage_km=0
    )
    with pytest.raises(DomainError) as caught:
        vehicle.on(date(2026, 1, 1))
    assert caught.value.code == "valuation_input_invalid"
    assert "new_price" in caught.value.fields


settings_ = settings(max_examples=60, deadline=None, derandomize=True)
methods = st.sampled_from([Method.ANNUITY, Method.EQUAL_PRINCIPAL, Method.BALLOON])


@settings_
@given(
    method=methods,
    timing=st.sampled_from(Timing),
    paid=st.integers(min_value=0, max_value=30),
    extra_days=st.integers(min_value=0, max_value=20),
    deposit=st.integers(min_value=0, max_value=20_000),
    overdue_days=st.integers(min_value=0, max_value=90),
)
def test_payoff_lines_sum_to_the_total(
    method: Method, timing: Timing, paid: int, extra_days: int, deposit: int, overdue_days: int
) -> None:
    s = lease(
        method=method, timing=timing, deposit=D(deposit),
        balloon=D("20000") if method is Method.BALLOON else D("0"),
    )  # fmt: skip
    as_of = s.instalments[paid].due_date + timedelta(days=extra_days % 27)
    due = as_of - timedelta(days=overdue_days)
    arrears = [Arrears(1, max(due, START), D("1000"), D("100"), D("10"), D("5"))]
    q = payoff_quote(s, as_of, PayoffPolicy(penalty=PercentOfPrincipal(((0, D("2")),)),
                                            penalty_rule=RULE), arrears)  # fmt: skip
    assert q.total == sum(ln.amount for ln in q.lines)
    assert q.total >= 0
    assert q.deposit_refund + (-q.line("deposit_offset")) == s.terms.deposit


@settings_
@given(
    amount=st.integers(min_value=1, max_value=10_000_000).map(lambda fen: D(fen) / 100),
    overdue=st.integers(min_value=0, max_value=400),
    booked_after=st.integers(min_value=0, max_value=400),
    grace=st.integers(min_value=0, max_value=5),
)
def test_a_day_of_penalty_is_counted_once(
    amount: Decimal, overdue: int, booked_after: int, grace: int
) -> None:
    rule = PenaltyRule(D("0.05"), grace_days=grace)
    due = date(2026, 1, 1)
    through = due + timedelta(days=min(booked_after, overdue))
    as_of = due + timedelta(days=overdue)
    fresh = Arrears(1, due, amount, D("0"))
    booked = Arrears(1, due, amount, D("0"), penalty=fresh.penalty_to(through, rule))
    booked_through = Arrears(
        1, due, amount, D("0"), penalty=fresh.penalty_to(through, rule), penalty_through=through
    )
    whole = fresh.penalty_to(as_of, rule)
    assert booked.penalty_to(as_of, rule) == whole
    # Booked in two pieces: to the fen the whole (the running total is rounded, not each piece),
    # so a payoff quote adds exactly what the daily sweep would have booked by then.
    assert booked_through.penalty_to(as_of, rule) == whole
    daily, day = D("0"), due
    while day < as_of:
        day += timedelta(days=1)
        daily += penalty_increment(amount, due, day - timedelta(days=1), day, rule)
    assert daily == whole


@settings_
@given(
    method=methods,
    paid=st.integers(min_value=0, max_value=34),
    share=st.integers(min_value=1, max_value=95),
    mode=st.sampled_from(PrepaymentMode),
    rate=st.integers(min_value=0, max_value=3600).map(lambda bp: D(bp) / 100),
)
def test_prepayment_conserves_principal(
    method: Method, paid: int, share: int, mode: PrepaymentMode, rate: Decimal
) -> None:
    s = lease(
        method=method, annual_rate_percent=rate,
        balloon=D("20000") if method is Method.BALLOON else D("0"),
    )  # fmt: skip
    as_of = s.instalments[paid].due_date
    before = s.instalments[paid].balance
    amount = ((before - s.terms.balloon) * share / 100).quantize(D("0.01"))
    p = partial_prepayment(s, as_of, amount, mode)
    rows = p.schedule.instalments
    assert p.principal_prepaid + sum(i.principal for i in rows) == before
    assert all(i.principal >= 0 and i.balance >= 0 for i in rows)
    if method is Method.BALLOON:
        assert rows[-1].due_date == s.instalments[-1].due_date
        assert rows[-1].principal >= s.terms.balloon
    assert all(i.kind is InstalmentKind.RENT for i in rows)


def test_a_rent_that_only_covers_the_interest_is_not_kept_after_a_prepayment() -> None:
    # Near the start of a 60 %, 360-month lease the rent is almost all interest: keeping it
    # would never repay, so the remaining term is re-amortised at a lower rent.
    s = lease(annual_rate_percent=D("60"), term_months=360)
    p = partial_prepayment(s, s.instalments[0].due_date, D("0.01"), PrepaymentMode.SHORTEN_TERM)
    rows = p.schedule.instalments
    assert len(rows) == 359
    assert all(i.principal >= 0 for i in rows)
    assert p.schedule.rent <= s.rent
