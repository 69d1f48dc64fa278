"""The money maths at its edges (issue 8), one defect per test, each with its reproduction."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from common.errors import DomainError
from common.irr import npv, period_irr, sign_changes
from common.schedule import (
    BalloonTiming,
    Fee,
    InstalmentKind,
    LeaseTerms,
    Method,
    Schedule,
    Timing,
    build_schedule,
)

D = Decimal
START = date(2026, 1, 15)


def terms(**overrides: Any) -> LeaseTerms:
    base: dict[str, Any] = {
        "principal": D("100000"),
        "annual_rate_percent": D("6"),
        "term_months": 36,
        "start_date": START,
    }
    return LeaseTerms(**(base | overrides))


def schedule(**overrides: Any) -> Schedule:
    return build_schedule(terms(**overrides))


def test_a_long_high_rate_lease_in_advance_never_amortises_negatively() -> None:
    # The level rent 4,761.90 is below the first period's interest 4,761.905: paying it level
    # left negative principal from row 2 and a last rent of 4,887,865.08.
    s = schedule(annual_rate_percent=D("60"), term_months=360, timing=Timing.ADVANCE)
    assert s.tracked
    assert s.rent == D("4761.90")
    assert all(i.principal >= 0 for i in s.instalments)
    assert all(abs(i.payment - s.rent) <= D("0.02") for i in s.instalments)
    assert s.instalments[-1].payment == D("4761.91")
    assert sum(i.principal for i in s.instalments) == D("100000")


def test_the_worked_example_keeps_its_level_rent_and_residue() -> None:
    s = schedule()
    assert not s.tracked
    assert (s.rent, s.instalments[-1].payment) == (D("3042.19"), D("3042.36"))


def test_interest_ties_round_half_up_exactly() -> None:
    # 27,000 x 14.77 % / 12 = 332.325 exactly: 332.33, not 332.32.
    s = schedule(principal=D("27000"), annual_rate_percent=D("14.77"), term_months=60)
    assert s.instalments[0].interest == D("332.33")


@pytest.mark.parametrize(
    ("start", "due_day"),
    [(date(2026, 2, 28), 31), (date(2026, 2, 28), 25), (START, 25), (date(2026, 1, 31), None)],
)
def test_a_contract_without_fees_discloses_its_nominal_rate_whatever_its_due_day(
    start: date, due_day: int | None
) -> None:
    s = schedule(term_months=12, start_date=start, due_day=due_day)
    assert s.annualised_rate_percent == D("6.00")


def test_a_month_end_contract_on_the_31st_charges_whole_months() -> None:
    s = schedule(term_months=12, start_date=date(2026, 2, 28), due_day=31)
    assert s.instalments[0].due_date == date(2026, 3, 31)
    assert s.instalments[0].interest == D("500.00")
    assert s.stub == 1.0


def test_a_first_due_date_off_the_due_day_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        terms(first_due_date=date(2026, 2, 10), due_day=25)
    assert caught.value.code == "date_invalid"
    assert set(caught.value.fields) == {"first_due_date", "due_day"}
    # Agreeing, they are accepted; a due day past the month's end is clamped.
    assert terms(first_due_date=date(2026, 2, 25), due_day=25).due_day == 25
    assert terms(first_due_date=date(2026, 2, 28), due_day=31).due_day == 31


@pytest.mark.parametrize("start", [date(9999, 1, 15), date(1999, 12, 31), date(2101, 1, 1)])
def test_the_start_date_has_a_domain(start: date) -> None:
    with pytest.raises(DomainError) as caught:
        terms(start_date=start)
    assert (caught.value.code, set(caught.value.fields)) == ("date_invalid", {"start_date"})


def test_the_flat_method_refuses_an_annual_rate() -> None:
    with pytest.raises(DomainError) as caught:
        terms(method=Method.FLAT, flat_monthly_rate_percent=D("0.25"), annual_rate_percent=D("100"))
    assert (caught.value.code, set(caught.value.fields)) == (
        "rate_invalid",
        {"annual_rate_percent"},
    )


def test_a_flat_lease_with_a_refunded_deposit_discloses_the_positive_root() -> None:
    s = schedule(
        method=Method.FLAT, flat_monthly_rate_percent=D("0.25"), annual_rate_percent=D("0"),
        term_months=120, deposit=D("10000"),
    )  # fmt: skip
    assert s.annualised_rate_percent == D("6.55")  # was -130.00 %


@pytest.mark.parametrize(
    ("overrides", "rate"),
    [
        # Deposit refunded at the end: the flows change sign twice (+, -, ..., +).
        (
            {"annual_rate_percent": D("10.38"), "term_months": 12, "timing": Timing.ADVANCE,
             "deposit": D("51000"), "fees": (Fee("fee", D("15000")),)},
            D("360.68"),
        ),  # was -127.24 %
        (
            {"annual_rate_percent": D("9.17"), "method": Method.EQUAL_PRINCIPAL,
             "timing": Timing.ADVANCE, "deposit": D("60000"), "fees": (Fee("fee", D("29000")),)},
            D("506.48"),
        ),  # was "no rate of return in range"
    ],
)  # fmt: skip
def test_two_changes_of_sign_disclose_the_non_negative_root(
    overrides: dict[str, Any], rate: Decimal
) -> None:
    s = schedule(**overrides)
    later = s._later
    assert sign_changes(s._opening, later) == 2
    assert s.annualised_rate_percent == rate
    # The other root is negative: NPV changes sign again between -100 % and 0.
    assert npv(-0.99, s._opening, later, s.stub) > 0 > npv(0.0, s._opening, later, s.stub)


def test_the_irr_takes_no_guess_from_the_contract() -> None:
    a = schedule(fees=(Fee("fee", D("2000")),))
    assert period_irr(a._opening, a._later) == float(a.period_rate)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        # Everything paid at signing but one fen: a rate of return beyond any disclosure.
        (
            {"annual_rate_percent": D("0"), "term_months": 1,
             "fees": (Fee("fee", D("99999.99")),)},
            "rate_of_return_out_of_range",
        ),
        # Deposit and fee leave too little for the rent paid at signing.
        (
            {"term_months": 2, "timing": Timing.ADVANCE, "deposit": D("49000"),
             "fees": (Fee("fee", D("900")),)},
            "deposit_invalid",
        ),
    ],
)  # fmt: skip
def test_impossible_quotes_are_domain_errors(overrides: dict[str, Any], code: str) -> None:
    with pytest.raises(DomainError) as caught:
        _ = schedule(**overrides).annualised_rate_percent
    assert caught.value.code == code
    assert caught.value.status == 422


def test_a_balloon_in_advance_is_paid_at_the_term_end_by_default() -> None:
    s = schedule(method=Method.BALLOON, balloon=D("30000"), timing=Timing.ADVANCE,
                 deposit=D("5000"))  # fmt: skip
    assert s.rent == D("2268.19")  # Excel PMT(0.5%, 36, -100000, 30000, 1)
    rents, line = s.instalments[:-1], s.instalments[-1]
    assert len(rents) == 36 and rents[-1].due_date == date(2028, 12, 15)
    assert (line.kind, line.number, line.due_date) == (InstalmentKind.BALLOON, 37, s.term_end)
    assert s.term_end == date(2029, 1, 15)
    assert line.payment == D("30000.00")
    assert (line.principal, line.interest) == (D("29850.75"), D("149.25"))
    # The deposit comes back on the same date, in the same flow.
    assert s.cash_flows[-1] == (date(2029, 1, 15), D("-30000.00") + D("5000"))
    assert s.annualised_rate_percent > D("6.00")  # the deposit is held without interest


def test_the_balloon_with_the_last_rent_is_an_explicit_option() -> None:
    s = schedule(method=Method.BALLOON, balloon=D("30000"), timing=Timing.ADVANCE,
                 balloon_timing=BalloonTiming.WITH_LAST_RENT)  # fmt: skip
    assert s.rent == D("2264.40")
    assert len(s.instalments) == 36
    assert abs(s.instalments[-1].payment - s.rent - D("30000")) <= D("0.50")  # the residue
    assert s.annualised_rate_percent == D("6.00")
    with pytest.raises(DomainError) as caught:
        terms(method=Method.BALLOON, balloon=D("30000"),
              balloon_timing=BalloonTiming.WITH_LAST_RENT)  # fmt: skip
    assert caught.value.code == "balloon_invalid"


def test_a_deposit_in_advance_is_refunded_at_the_term_end() -> None:
    s = schedule(timing=Timing.ADVANCE, deposit=D("5000"))
    assert s.cash_flows[-1] == (date(2029, 1, 15), D("5000.00"))
    assert s.instalments[-1].due_date == date(2028, 12, 15)
