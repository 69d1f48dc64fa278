"""The IRR's root rule and time axis on hand-made flows (fen, lessee's side)."""

import numpy_financial as npf
import pytest

from common.irr import MAX_PERIOD_RATE, RateOfReturnError, npv, period_irr, sign_changes


def test_one_change_of_sign_has_one_root() -> None:
    # Borrow 100.00, repay 50.75 twice.
    rate = period_irr(10000, [-5075, -5075])
    assert rate == pytest.approx(npf.irr([10000, -5075, -5075]), abs=1e-12)
    assert npv(rate, 10000, [-5075, -5075]) == pytest.approx(0, abs=1e-9)


def test_with_a_refund_at_the_end_the_non_negative_root_is_disclosed() -> None:
    opening, later = 6000, [-5000, -5000, 3000]
    assert sign_changes(opening, later) == 2
    rate = period_irr(opening, later)
    assert rate >= 0
    assert npv(rate, opening, later) == pytest.approx(0, abs=1e-9)
    # The second root lies below zero (between -100 % and 0): never the one disclosed.
    assert npv(-0.9, opening, later) > 0 > npv(0.0, opening, later)


def test_no_cost_means_a_zero_rate() -> None:
    assert period_irr(9000, [-3000, -3000, -3000]) == 0.0


def test_a_broken_first_period_is_discounted_by_simple_interest_over_its_days() -> None:
    # 10,000.00 at 6 % for a 41-day stub (41/30 months): 10,068.33 repaid discloses 0.5 %.
    stub = 41 * 12 / 360
    rate = period_irr(1_000_000, [-1_006_833], stub)
    assert rate == pytest.approx(0.005, abs=1e-6)
    # ... then a whole period: 5,000.00 repaid with the stub's 68.33, the rest with 25.00.
    rate = period_irr(1_000_000, [-506_833, -502_500], stub)
    assert rate == pytest.approx(0.005, abs=1e-6)


@pytest.mark.parametrize(
    ("opening", "later", "code"),
    [
        (10000, [-9000], "rate_of_return_undefined"),  # repays less than received
        (0, [-100], "rate_of_return_undefined"),  # nothing received
        (1, [-10_000_000], "rate_of_return_out_of_range"),
    ],
)
def test_flows_without_a_disclosable_rate_are_refused(
    opening: int, later: list[int], code: str
) -> None:
    with pytest.raises(RateOfReturnError) as caught:
        period_irr(opening, later)
    assert caught.value.code == code
    assert caught.value.status == 422


def test_the_range_is_stated() -> None:
    assert MAX_PERIOD_RATE == 10.0
