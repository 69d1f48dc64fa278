"""Adaptive mode 自适应模式 (F12): is today's application volume in a region unusual?

A robust z-score: distance of today's count from the median of the recent days, in units of the
scaled median absolute deviation (1.4826 * MAD estimates the standard deviation of normal data).
Daily counts are integers and a quiet region often has a perfectly flat history (MAD = 0), which
would make any change infinitely unusual; the scale is therefore floored at one application.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median

MAD_TO_SIGMA = 1.4826
MIN_SCALE = 1.0


def region_volume_anomaly(
    history: Sequence[int], today: int, threshold: float, *, min_history: int = 7
) -> tuple[bool, float]:
    """(flagged, z). Flags a departure in either direction beyond ``threshold``.

    With fewer than ``min_history`` days of history there is no baseline: never flagged, z = 0.
    """
    if threshold <= 0:
        raise ValueError("threshold must be positive")
    if any(n < 0 for n in history) or today < 0:
        raise ValueError("application counts cannot be negative")
    if len(history) < min_history:
        return False, 0.0
    centre = median(history)
    mad = median(abs(n - centre) for n in history)
    z = (today - centre) / max(MAD_TO_SIGMA * mad, MIN_SCALE)
    return abs(z) > threshold, round(z, 4)
