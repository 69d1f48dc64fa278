"""Split-conformal calibration: the margin that makes an interval cover what it promises."""

from __future__ import annotations

import random

import pytest

from common.errors import DomainError
from common.residual import conformal


def test_scores_are_the_distance_outside_the_interval_and_negative_inside() -> None:
    assert conformal.scores([1, 1, 1], [3, 3, 3], [0, 2, 5]) == [1, -1, 2]


def test_the_margin_is_the_conformal_quantile_of_the_scores() -> None:
    scores = [float(i) for i in range(1, 20)]  # n = 19: rank ceil(20 * 0.8) = 16
    assert conformal.margin(scores, 0.8) == 16.0


def test_a_too_narrow_interval_widened_by_the_margin_covers_new_data() -> None:
    rng = random.Random(3)
    draw = [rng.gauss(0, 1) for _ in range(4000)]
    cal, new = draw[:2000], draw[2000:]
    low, high = -0.5, 0.5  # covers about 38 % of a standard normal
    m = conformal.margin(conformal.scores([low] * 2000, [high] * 2000, cal), 0.8)
    assert conformal.covered([low] * 2000, [high] * 2000, new) < 0.45
    widened = conformal.covered([low - m] * 2000, [high + m] * 2000, new)
    assert widened == pytest.approx(0.8, abs=0.03)


def test_a_too_wide_interval_is_narrowed() -> None:
    cal = [0.1 * (i % 10) for i in range(100)]  # inside [-5, 5] everywhere
    assert conformal.margin(conformal.scores([-5] * 100, [5] * 100, cal), 0.8) < 0


@pytest.mark.parametrize(("n", "coverage"), [(0, 0.8), (3, 0.8), (100, 1.0), (100, 0.0)])
def test_too_few_rows_or_an_impossible_coverage_are_refused(n: int, coverage: float) -> None:
    with pytest.raises(DomainError):
        conformal.margin([0.0] * n, coverage)
