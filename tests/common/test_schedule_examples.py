"""Worked examples of repayment schedules, one method or rule at a time."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from common.errors import DomainError
from common.schedule import (
    DepositTreatment,
    Fee,
    LeaseTerms,
    Method,
    Timing,
    build_schedule,
)

D = Decimal
START = date(2026, 1, 15)
# 平息 takes no annual rate: 0.5 % a month on the original principal.
FLAT_HALF: dict[str, Any] = {"flat_monthly_rate_percent": D("0.5"), "annual_rate_percent": D("0")}


def terms(**overrides: Any) -> LeaseTerms:
    base: dict[str, Any] = {
        "principal": D("100000"),
        "annual_rate_percent": D("6"),
        "term_months": 36,
        "start_date": START,
    }
    return LeaseTerms(**(base | overrides))


@pytest.mark.parametrize(
    ("method", "extra", "first", "last", "total_interest"),
    [
        # The worked examples: 100,000 at 6 % over 36 months.
        (Method.ANNUITY, {}, "3042.19", "3042.36", "9519.01"),
        (Method.EQUAL_PRINCIPAL, {}, "3277.78", "2791.59", "9250.00"),
        # 先息后本: 500.00 a month, the principal with the last one.
        (Method.INTEREST_ONLY, {}, "500.00", "100500.00", "18000.00"),
        # Balloon 30,000 paid with the 36th rent.
        (Method.BALLOON, {"balloon": D("30000")}, "2279.54", "32279.33", "12063.23"),
        # 平息 0.5 % a month: fee 500.00 every month, rent (100000 / 36 + 500).
        (Method.FLAT, FLAT_HALF, "3277.78", "3277.70", "18000.00"),
    ],
)
def test_worked_examples(
    method: Method, extra: dict[str, Any], first: str, last: str, total_interest: str
) -> None:
    s = build_schedule(terms(method=method, **extra))
    assert len(s.instalments) == 36
    assert s.instalments[0].payment == D(first)
    assert s.instalments[-1].payment == D(last)
    assert s.total_interest == D(total_interest)
    assert sum(i.principal for i in s.instalments) == D("100000")
    assert s.instalments[-1].balance == 0


def test_annuity_rents_are_level_and_the_last_absorbs_the_residue() -> None:
    s = build_schedule(terms())
    assert {i.payment for i in s.instalments[:-1]} == {D("3042.19")}
    assert s.rent == D("3042.19")
    assert s.total_payment == D("109519.01")


def test_nominal_rate_equals_the_contract_rate_when_there_are_no_fees() -> None:
    s = build_schedule(terms())
    assert s.annualised_rate_percent == D("6.00")
    assert s.effective_annual_rate_percent == D("6.17")


def test_flat_rate_discloses_the_much_higher_irr() -> None:
    s = build_schedule(terms(method=Method.FLAT, **FLAT_HALF))
    assert s.annualised_rate_percent == D("11.08")


def test_fees_raise_the_annualised_rate_above_the_contract_rate() -> None:
    s = build_schedule(terms(fees=(Fee("GPS费", D("2000"), 0), Fee("服务费", D("300"), 12))))
    assert s.upfront_fees == D("2000")
    assert s.total_fees == D("2300")
    assert s.instalments[11].fees == D("300")
    assert s.instalments[11].amount_due == D("3342.19")
    assert s.annualised_rate_percent == D("7.55")  # numpy-financial irr: 7.5543
    assert s.effective_annual_rate_percent == D("7.82")
    assert s.cash_flows[0].amount == D("98000.00")


def test_in_advance_the_first_rent_is_paid_at_signing_without_interest() -> None:
    s = build_schedule(terms(timing=Timing.ADVANCE))
    first, second, last = s.instalments[0], s.instalments[1], s.instalments[-1]
    assert (first.due_date, first.interest, first.payment) == (START, D("0"), D("3027.06"))
    assert second.due_date == date(2026, 2, 15)
    assert last.due_date == date(2028, 12, 15)
    assert sum(i.principal for i in s.instalments) == D("100000")
    assert s.cash_flows[0].amount == D("100000") - D("3027.06")
    assert s.annualised_rate_percent == D("6.00")


def test_a_broken_first_period_accrues_by_the_day_and_leaves_later_rents_level() -> None:
    # 15 Jan -> 25 Feb is 41 days: 100000 x 6 % / 360 x 41 = 683.33 instead of 500.00.
    s = build_schedule(terms(first_due_date=date(2026, 2, 25)))
    first = s.instalments[0]
    assert (first.interest, first.principal, first.payment) == (
        D("683.33"),
        D("2542.19"),
        D("3225.52"),
    )
    assert s.instalments[1].due_date == date(2026, 3, 25)
    assert {i.payment for i in s.instalments[1:-1]} == {D("3042.19")}


def test_a_365_day_basis_changes_only_the_broken_interest() -> None:
    s = build_schedule(terms(first_due_date=date(2026, 2, 25), days_in_year=365))
    assert s.instalments[0].interest == D("673.97")


def test_month_end_due_dates_stay_on_the_last_day() -> None:
    s = build_schedule(terms(start_date=date(2027, 12, 31), term_months=4))
    assert [i.due_date for i in s.instalments] == [
        date(2028, 1, 31),
        date(2028, 2, 29),
        date(2028, 3, 31),
        date(2028, 4, 30),
    ]


def test_a_stated_due_day_makes_the_first_period_broken() -> None:
    s = build_schedule(terms(due_day=20))
    assert s.instalments[0].due_date == date(2026, 2, 20)
    assert s.instalments[0].interest == D("600.00")  # 36 days at 6 % / 360


def test_deposit_refunded_at_the_end_is_a_cash_flow_and_raises_the_rate() -> None:
    s = build_schedule(terms(deposit=D("5000")))
    assert s.deposit_refund == D("5000")
    assert s.cash_flows[0].amount == D("95000")
    assert s.cash_flows[-1].amount == D("-3042.36") + D("5000")
    assert s.annualised_rate_percent == D("6.61")  # numpy-financial irr: 6.6058


def test_deposit_offset_against_the_last_rents() -> None:
    s = build_schedule(
        terms(deposit=D("5000"), deposit_treatment=DepositTreatment.OFFSET_LAST_RENTS)
    )
    assert s.deposit_refund == 0
    assert [i.deposit_offset for i in s.instalments[-3:]] == [D("0"), D("1957.64"), D("3042.36")]
    assert s.instalments[-1].amount_due == 0
    assert s.instalments[-2].amount_due == D("1084.55")


def test_zero_rate_splits_the_principal_evenly() -> None:
    s = build_schedule(terms(annual_rate_percent=D("0"), term_months=3))
    assert [i.payment for i in s.instalments] == [D("33333.33"), D("33333.33"), D("33333.34")]
    assert s.annualised_rate_percent == D("0.00")


def test_sum_of_cash_flows_is_minus_the_cost_of_credit() -> None:
    s = build_schedule(terms(fees=(Fee("公证费", D("800"), 0),), deposit=D("3000")))
    assert sum(f.amount for f in s.cash_flows) == -(s.total_interest + s.total_fees)


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"principal": D("0")}, "principal_invalid", "principal"),
        ({"principal": D("100.001")}, "principal_invalid", "principal"),
        ({"term_months": 0}, "term_invalid", "term_months"),
        ({"term_months": 361}, "term_invalid", "term_months"),
        ({"annual_rate_percent": D("-1")}, "rate_invalid", "annual_rate_percent"),
        ({"annual_rate_percent": D("NaN")}, "rate_invalid", "annual_rate_percent"),
        ({"method": Method.BALLOON}, "balloon_invalid", "balloon"),
        ({"method": Method.BALLOON, "balloon": D("100000")}, "balloon_invalid", "balloon"),
        ({"balloon": D("1000")}, "balloon_invalid", "balloon"),
        (
            {"method": Method.FLAT, "annual_rate_percent": D("0")},
            "rate_invalid",
            "flat_monthly_rate_percent",
        ),
        (
            {"method": Method.FLAT, **FLAT_HALF, "annual_rate_percent": D("6")},
            "rate_invalid",
            "annual_rate_percent",
        ),
        ({"flat_monthly_rate_percent": D("1")}, "rate_invalid", "flat_monthly_rate_percent"),
        (
            {"method": Method.INTEREST_ONLY, "timing": Timing.ADVANCE},
            "timing_invalid",
            "timing",
        ),
        ({"timing": Timing.ADVANCE, "term_months": 1}, "timing_invalid", "timing"),
        ({"first_due_date": START}, "date_invalid", "first_due_date"),
        ({"first_due_date": date(2026, 3, 16)}, "date_invalid", "first_due_date"),
        ({"due_day": 32}, "date_invalid", "due_day"),
        ({"days_in_year": 366}, "day_count_invalid", "days_in_year"),
        ({"fees": (Fee("GPS费", D("-1")),)}, "fee_invalid", "fees"),
        ({"fees": (Fee("GPS费", D("1"), 37),)}, "fee_invalid", "fees"),
        ({"fees": (Fee(" ", D("1")),)}, "fee_invalid", "fees"),
        ({"deposit": D("-1")}, "deposit_invalid", "deposit"),
        ({"deposit": D("99000"), "fees": (Fee("GPS费", D("1000")),)}, "deposit_invalid", "deposit"),
    ],
)
def test_invalid_terms_name_the_code_and_the_field(
    overrides: dict[str, Any], code: str, field: str
) -> None:
    with pytest.raises(DomainError) as caught:
        terms(**overrides)
    assert caught.value.code == code
    assert field in caught.value.fields
