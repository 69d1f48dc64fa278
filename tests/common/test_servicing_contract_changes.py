"""Payoff quotes, partial prepayment and extension (展期) on worked contracts."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.errors import DomainError
from common.money import round_fen
from common.schedule import LeaseTerms, Method, Schedule, build_schedule
from common.servicing import (
    Arrears,
    FixedFee,
    InterestTo,
    MonthsOfInterest,
    OverdueTreatment,
    PayoffPolicy,
    PenaltyRule,
    PercentOfPrincipal,
    PrepaymentMode,
    extend,
    partial_prepayment,
    payoff_quote,
)

D = Decimal
START = date(2026, 1, 15)


def lease(**overrides: Any) -> Schedule:
    base: dict[str, Any] = {
        "principal": D("100000"),
        "annual_rate_percent": D("6"),
        "term_months": 36,
        "start_date": START,
    }
    return build_schedule(LeaseTerms(**(base | overrides)))


ARREARS = Arrears(6, date(2026, 7, 15), D("2600.00"), D("442.19"))
TIERS = PercentOfPrincipal(((0, D("3")), (12, D("2")), (24, D("1"))))


def test_payoff_quote_lists_every_line_item() -> None:
    policy = PayoffPolicy(
        penalty=TIERS, purchase_price=D("100"), penalty_rule=PenaltyRule(D("0.05"))
    )
    q = payoff_quote(lease(deposit=D("5000")), date(2026, 7, 25), policy, [ARREARS])
    assert {ln.code: ln.amount for ln in q.lines} == {
        "outstanding_principal": D("84554.92"),  # balance after instalment 6
        "accrued_interest": D("136.38"),  # 422.77 x 10 / 31 days
        "overdue_principal": D("2600.00"),
        "overdue_interest": D("442.19"),
        "overdue_fees": D("0"),
        "penalty_interest": D("15.21"),  # 3042.19 x 0.05 % x 10 days
        "prepayment_penalty": D("2536.65"),  # 3 % in the first year
        "purchase_price": D("100"),
        "deposit_offset": D("-5000"),
    }
    assert q.total == sum(ln.amount for ln in q.lines) == D("85385.35")
    assert q.settle_on == q.valid_until == date(2026, 7, 25)  # one amount for one stated date
    assert q.per_day == D("13.64") + D("1.52")  # 422.77 / 31 days; 3042.19 x 0.05 %
    assert q.deposit_refund == 0


PERIOD_END = PayoffPolicy(interest_to=InterestTo.PERIOD_END)


@pytest.mark.parametrize(
    ("policy", "as_of", "interest", "penalty", "latest"),
    [
        (PERIOD_END, date(2026, 7, 25), "422.77", "0", "2026-08-01"),
        # on a due date: nothing accrued; 2 months of 0.5 % on 84,554.92
        (
            PayoffPolicy(penalty=MonthsOfInterest(2)),
            date(2026, 7, 15),
            "0.00",
            "845.55",
            "2026-07-22",
        ),
        # 26 of 31 days; the quote ends the day before the next due date
        (
            PayoffPolicy(penalty=FixedFee(D("500"))),
            date(2026, 8, 10),
            "354.58",
            "500",
            "2026-08-14",
        ),
        # 18 months in: 2 % of the 52,242.96 left after instalment 18
        (PayoffPolicy(penalty=TIERS), date(2027, 7, 15), "0.00", "1044.86", "2027-07-22"),
    ],
)
def test_payoff_interest_basis_penalty_models_and_the_latest_settlement_date(
    policy: PayoffPolicy, as_of: date, interest: str, penalty: str, latest: str
) -> None:
    q = payoff_quote(lease(), as_of, policy)
    assert q.line("accrued_interest") == D(interest)
    assert q.line("prepayment_penalty") == D(penalty)
    last = date.fromisoformat(latest)
    assert payoff_quote(lease(), as_of, policy, settle_on=last).settle_on == last
    with pytest.raises(DomainError) as caught:
        payoff_quote(lease(), as_of, policy, settle_on=last + timedelta(days=1))
    assert caught.value.code == "payoff_date_invalid"


def test_payoff_after_the_last_due_date_is_only_the_arrears() -> None:
    q = payoff_quote(lease(term_months=3), date(2026, 6, 1), arrears=[ARREARS])
    assert q.line("outstanding_principal") == 0
    assert q.total == ARREARS.principal + ARREARS.interest


def test_a_deposit_larger_than_the_payoff_is_refunded() -> None:
    q = payoff_quote(lease(term_months=3, deposit=D("5000")), date(2026, 4, 20), arrears=[ARREARS])
    assert q.total == 0
    assert q.deposit_refund == D("5000") - D("3042.19")


def test_prepayment_keeping_the_term_lowers_the_rent() -> None:
    p = partial_prepayment(lease(), date(2026, 7, 15), D("20000"))
    assert p.number_offset == 6
    assert len(p.schedule.instalments) == 30
    assert p.schedule.rent == D("2322.62")
    assert p.schedule.instalments[0].due_date == date(2026, 8, 15)
    assert sum(i.principal for i in p.schedule.instalments) == D("64554.92")
    assert p.amount_due == D("20000")  # prepaid on a due date: no accrued interest


def test_prepayment_keeping_the_rent_shortens_the_term() -> None:
    p = partial_prepayment(lease(), date(2026, 7, 15), D("20000"), PrepaymentMode.SHORTEN_TERM)
    rows = p.schedule.instalments
    assert len(rows) == 23
    assert {i.payment for i in rows[:-1]} == {D("3042.19")}
    assert rows[-1].payment <= D("3042.19")
    assert rows[-1].balance == 0


def test_prepayment_mid_period_pays_the_interest_accrued_on_the_prepaid_part() -> None:
    p = partial_prepayment(lease(), date(2026, 7, 25), D("20000"), penalty=FixedFee(D("300")))
    # 422.77 x 20000 / 84554.92 x 10 / 31
    assert p.accrued_interest == D("32.26")
    assert p.amount_due == D("20000") + D("32.26") + D("300")


@pytest.mark.parametrize(
    ("amount", "overrides", "mode"),
    [
        (D("84554.92"), {}, PrepaymentMode.REDUCE_PAYMENT),  # all of it: that is a payoff
        (D("0"), {}, PrepaymentMode.REDUCE_PAYMENT),
        (D("1000"), {"method": Method.INTEREST_ONLY}, PrepaymentMode.SHORTEN_TERM),
    ],
)
def test_prepayments_that_make_no_sense_are_refused(
    amount: Decimal, overrides: dict[str, Any], mode: PrepaymentMode
) -> None:
    with pytest.raises(DomainError) as caught:
        partial_prepayment(lease(**overrides), date(2026, 7, 15), amount, mode)
    assert caught.value.code == "prepayment_invalid"


def test_extension_reamortises_with_arrears_capitalised_and_a_new_rate() -> None:
    e = extend(
        lease(), date(2026, 7, 20), 12, new_annual_rate_percent=D("7.2"), arrears=[ARREARS],
        penalty_rule=PenaltyRule(D("0.05")),
    )  # fmt: skip
    assert e.capitalised == D("3042.19") + D("7.61")  # 5 days of 罚息
    assert e.carried_forward == 0
    assert len(e.schedule.instalments) == 30 + 12
    assert sum(i.principal for i in e.schedule.instalments) == D("84554.92") + e.capitalised
    assert e.schedule.instalments[0].due_date == date(2026, 8, 15)
    assert e.annualised_rate_percent == D("7.20")
    assert e.previous_annualised_rate_percent == D("6.00")


def test_extension_can_carry_arrears_forward_instead() -> None:
    e = extend(
        lease(), date(2026, 7, 20), 6, arrears=[ARREARS], overdue=OverdueTreatment.CARRY_FORWARD
    )
    assert e.capitalised == 0
    assert e.carried_forward == D("3042.19")
    assert sum(i.principal for i in e.schedule.instalments) == D("84554.92")
    assert e.schedule.rent < D("3042.19")


def test_a_renewal_spreads_the_balloon_with_the_rest_in_level_rents() -> None:
    balloon = lease(method=Method.BALLOON, balloon=D("30000"))
    kept = extend(balloon, date(2028, 10, 20), 12)
    renewed = extend(balloon, date(2028, 10, 20), 12, refinance_balloon=True)
    # an extension keeps the balloon to the end; a renewal leaves none
    assert kept.schedule.terms.balloon == D("30000") and renewed.schedule.terms.balloon == 0
    rows = renewed.schedule.instalments
    assert len(rows) == 3 + 12 and rows[-1].balance == 0
    assert {i.amount_due for i in rows[:-1]} == {renewed.schedule.rent}
    assert sum(i.principal for i in rows) == sum(i.principal for i in kept.schedule.instalments)
    assert renewed.annualised_rate_percent == D("6.00")


def test_extension_needs_at_least_one_more_month() -> None:
    with pytest.raises(DomainError) as caught:
        extend(lease(), date(2026, 7, 20), 0)
    assert caught.value.code == "extension_invalid"


def test_month_end_contract_keeps_its_due_day_after_a_change() -> None:
    s = lease(start_date=date(2026, 1, 31), term_months=12)
    p = partial_prepayment(s, date(2026, 2, 28), D("10000"))
    dates = [i.due_date for i in p.schedule.instalments[:2]]
    assert dates == [date(2026, 3, 31), date(2026, 4, 30)]
    # A regular month on the new balance, not a 31-day broken period.
    assert p.schedule.instalments[0].interest == round_fen(
        (s.instalments[0].balance - D("10000")) * D("0.005")
    )


@settings(max_examples=100, deadline=None)
@given(
    method=st.sampled_from([Method.ANNUITY, Method.EQUAL_PRINCIPAL, Method.BALLOON]),
    paid=st.integers(min_value=0, max_value=34),
    share=st.integers(min_value=1, max_value=95),
    mode=st.sampled_from(PrepaymentMode),
)
def test_prepaid_schedules_keep_the_invariants(
    method: Method, paid: int, share: int, mode: PrepaymentMode
) -> None:
    s = lease(method=method, balloon=D("20000") if method is Method.BALLOON else D("0"))
    as_of = s.instalments[paid].due_date
    outstanding = s.instalments[paid].balance - s.terms.balloon
    amount = (outstanding * share / 100).quantize(D("0.01"))
    p = partial_prepayment(s, as_of, amount, mode)
    rows = p.schedule.instalments
    assert sum(i.principal for i in rows) == s.instalments[paid].balance - amount
    assert all(i.balance >= 0 for i in rows)
    assert rows[-1].balance == 0
    assert len(rows) <= 35 - paid
    assert p.schedule.total_interest <= sum(i.interest for i in s.instalments[paid + 1 :])
