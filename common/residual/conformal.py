"""Split-conformal calibration of a quantile interval (conformalised quantile regression, Romano,
Patterson and Candès 2019).

Raw quantile models under-cover: a 10 %-90 % pair fitted by gradient boosting covered about two
thirds of held-out sales here, not 80 %. On a calibration split the models never saw, each sale
scores how far it fell outside its interval (negative inside); the margin is the score's
ceil((n + 1)(1 - alpha)) / n quantile, and widening every interval by it covers at least
1 - alpha of new sales from the same market (marginally, whatever the models are). We work on
log(price / new price), so the margin widens an interval by a factor, not by yuan.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from common.errors import DomainError


def scores(low: Sequence[float], high: Sequence[float], actual: Sequence[float]) -> list[float]:
    """max(low - y, y - high) for each row: > 0 outside the interval, <= 0 inside."""
    if not len(low) == len(high) == len(actual):
        raise ValueError("low, high and actual differ in length")
    return [max(lo - y, y - hi) for lo, hi, y in zip(low, high, actual, strict=True)]


def margin(calibration_scores: Sequence[float], coverage: float) -> float:
    """The conformal margin for the wanted coverage (e.g. 0.8) from the calibration scores."""
    n = len(calibration_scores)
    if not 0 < coverage < 1:
        raise DomainError("coverage_invalid", "覆盖率须在0到1之间", "coverage must be in (0, 1)")
    if n == 0 or math.ceil((n + 1) * coverage) > n:
        raise DomainError(
            "calibration_too_small", "校准样本太少", f"{n} calibration rows are too few"
        )
    rank = math.ceil((n + 1) * coverage)  # 1-based
    return sorted(calibration_scores)[rank - 1]


def covered(low: Sequence[float], high: Sequence[float], actual: Sequence[float]) -> float:
    """The share of rows whose actual value lies within [low, high]."""
    if not actual:
        return math.nan
    inside = sum(1 for lo, hi, y in zip(low, high, actual, strict=True) if lo <= y <= hi)
    return inside / len(actual)
