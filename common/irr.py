"""Internal rate of return of a lease's cash flows (PBOC 2021 annualised-rate disclosure).

The time axis, stated once. Flows sit on the schedule's periods, not on calendar days: the flow
at signing at 0; the first later flow after a `stub`; every later flow one whole period after the
one before. A regular first period has stub = 1. A broken first period (破期) has
stub = its days x 12 / days_in_year, and is discounted by simple interest, 1 / (1 + i x stub),
exactly as its interest was charged (the actuarial method of US Regulation Z, Appendix J). So a
contract without fees discloses its nominal rate whatever its due day (31st, 25th, month end).

    NPV(i) = opening + (sum_j flow_j (1 + i)^-j) / (1 + i x stub)

Root selection, stated once. The disclosed rate is the smallest non-negative root of NPV. It
exists because NPV(0) = the sum of the flows = -(interest + fees) <= 0 while NPV -> opening > 0 as
i grows. For a lease it is also the only non-negative root: the flows are + at signing, then
payments, then possibly + once more (a deposit refunded at the end). With that second change of
sign, Descartes' rule leaves room for a second root, and it lies below zero (i in (-1, 0)): it is
never disclosed. We bracket [0, hi] with NPV(0) <= 0 < NPV(hi), doubling hi from the first Newton
step, and refine by Newton kept inside the bracket (bisection when it leaves). No contract input
(nominal rate, flat rate) is used as a guess. Rates above `MAX_PERIOD_RATE` are refused.

Rates are not money: the search runs in binary floating point on the exact fen flows (integers,
exact as floats below 2^53 fen), to 1e-13 relative, far below the 0.01 % of the disclosure.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from common.errors import DomainError

MAX_PERIOD_RATE = 10.0  # 1,000 % a period (12,000 % annualised): beyond, refused
_TOLERANCE = 1e-13  # relative, on the periodic rate


class RateOfReturnError(DomainError):
    """The cash flows have no disclosable rate of return (422)."""


def sign_changes(opening: int, later: Sequence[int]) -> int:
    signs = [x > 0 for x in (opening, *later) if x]
    return sum(a != b for a, b in pairwise(signs))


def npv(rate: float, opening: int, later: Sequence[int], stub: float = 1.0) -> float:
    v = 1.0 / (1.0 + rate)
    q = 0.0
    for c in reversed(later):
        q = q * v + c
    return opening + q / (1.0 + rate * stub)


def _npv_and_slope(
    rate: float, opening: float, later: Sequence[float], stub: float
) -> tuple[float, float]:
    v = 1.0 / (1.0 + rate)
    q = 0.0
    dq = 0.0  # dq/dv
    for c in reversed(later):
        dq = dq * v + q
        q = q * v + c
    s = 1.0 + rate * stub
    # dv/di = -v^2
    return opening + q / s, -dq * v * v / s - q * stub / (s * s)


def period_irr(opening: int, later: Sequence[int], stub: float = 1.0) -> float:
    """The smallest non-negative rate per period at which the flows' NPV is zero (see above).

    `opening` is the net flow at signing (lessee's side: positive received), `later[j]` the net
    flow at stub + j periods. Raises `RateOfReturnError` when no such rate exists in range."""
    total = opening + sum(later)
    if total == 0:
        return 0.0
    if total > 0 or opening <= 0:
        raise RateOfReturnError(
            "rate_of_return_undefined", "现金流没有非负的内部收益率",
            "the cash flows have no non-negative rate of return",
        )  # fmt: skip
    scale = float(max(abs(opening), *map(abs, later)))
    a0 = opening / scale
    flows = [c / scale for c in later]
    f_lo, slope = _npv_and_slope(0.0, a0, flows, stub)
    lo, hi = 0.0, (-f_lo / slope if slope > 0 else 0.01)
    hi = min(max(hi * 2, 1e-6), MAX_PERIOD_RATE)
    while _npv_and_slope(hi, a0, flows, stub)[0] <= 0:
        if hi >= MAX_PERIOD_RATE:
            raise RateOfReturnError(
                "rate_of_return_out_of_range", "年化利率超过可披露范围（费用或保证金过高）",
                "the annualised rate is beyond 12,000 %: fees or deposit are too high",
                fields={"fees": "rate_of_return_out_of_range"},
            )  # fmt: skip
        lo, hi = hi, min(hi * 4, MAX_PERIOD_RATE)
    rate = hi - (hi - lo) / 2
    for _ in range(200):
        f, slope = _npv_and_slope(rate, a0, flows, stub)
        if f == 0:
            return rate
        if f < 0:
            lo = rate
        else:
            hi = rate
        step = f / slope if slope > 0 else 0.0
        nxt = rate - step
        if not (slope > 0 and lo < nxt < hi):
            nxt = lo + (hi - lo) / 2  # bisection when Newton leaves the bracket
        if abs(nxt - rate) <= _TOLERANCE * (1.0 + rate) or hi - lo <= _TOLERANCE:
            return nxt
        rate = nxt
    return rate
