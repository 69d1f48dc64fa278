"""Adaptive mode (F12): a robust z-score flags a region whose volume departs from its baseline."""

from __future__ import annotations

import pytest

from common.rules import region_volume_anomaly

STEADY = [20, 22, 19, 21, 20, 23, 18, 20, 21, 19, 22, 20, 21, 20]


def test_a_normal_day_is_not_flagged() -> None:
    flagged, z = region_volume_anomaly(STEADY, 22, threshold=3.5)
    assert not flagged
    assert 0 < z < 3.5


def test_a_synthetic_spike_is_flagged() -> None:
    flagged, z = region_volume_anomaly(STEADY, 60, threshold=3.5)
    assert flagged
    assert z > 10


def test_a_collapse_in_volume_is_a_departure_too() -> None:
    flagged, z = region_volume_anomaly(STEADY, 0, threshold=3.5)
    assert flagged
    assert z < 0


def test_one_outlier_in_history_does_not_move_the_baseline() -> None:
    polluted = [*STEADY[:-1], 500]
    assert region_volume_anomaly(polluted, 60, threshold=3.5)[0]
    assert not region_volume_anomaly(polluted, 21, threshold=3.5)[0]


def test_flat_history_is_scaled_by_one_application() -> None:
    assert region_volume_anomaly([5] * 10, 6, threshold=3.5) == (False, 1.0)
    assert region_volume_anomaly([5] * 10, 12, threshold=3.5) == (True, 7.0)


def test_without_enough_history_nothing_is_flagged() -> None:
    assert region_volume_anomaly([1, 2, 3], 300, threshold=3.5) == (False, 0.0)
    assert region_volume_anomaly([], 300, threshold=3.5) == (False, 0.0)


@pytest.mark.parametrize(("history", "today", "threshold"), [([1] * 7, -1, 3.0), ([-1] * 7, 1, 3.0),
                                                             ([1] * 7, 1, 0)])  # fmt: skip
def test_bad_input_is_refused(history: list[int], today: int, threshold: float) -> None:
    with pytest.raises(ValueError):
        region_volume_anomaly(history, today, threshold)
