"""Internal rate of return of dated cash flows, in `Decimal` (PBOC 2021 annualised-rate disclosure).

Times are in months (fractional for a broken first period 破期). Flows that share the same
fractional part are summed as one polynomial in v = 1/(1+i) and evaluated by Horner's rule, so a
regular 36-month schedule costs a few dozen multiplications per Newton step and no logarithms.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Context, Decimal, localcontext

_CTX = Context(prec=34)
_ONE = Decimal(1)
_TOLERANCE = Decimal("1e-24")


def _power(v: Decimal, phi: Decimal) -> Decimal:
    return _ONE if phi == 0 else (phi * v.ln()).exp()


def _npv_and_slope(groups: dict[Decimal, list[Decimal]], v: Decimal) -> tuple[Decimal, Decimal]:
    """NPV(v) and dNPV/dv, where groups[phi][k] is the flow at time k + phi."""
    total = Decimal(0)
    slope = Decimal(0)
    for phi, coefficients in groups.items():
        s = Decimal(0)  # sum a_k v^k
        ds = Decimal(0)  # sum k a_k v^(k-1)
        for a in reversed(coefficients):
            ds = ds * v + s
            s = s * v + a
        vp = _power(v, phi)
        total += vp * s
        slope += vp * ds + (phi * vp / v * s if phi else 0)
    return total, slope


def period_irr(
    flows: Iterable[tuple[Decimal, Decimal]], guess: Decimal = Decimal("0.005")
) -> Decimal:
    """Rate i per month solving sum(amount * (1+i)^-t) = 0 for flows of (t_months, amount).

    Raises ValueError when the flows have no root (no change of sign, or no convergence).
    """
    with localcontext(_CTX):
        groups: dict[Decimal, list[Decimal]] = defaultdict(list)
        for t, amount in flows:
            whole = int(t)
            coefficients = groups[t - whole]
            if len(coefficients) <= whole:
                coefficients.extend([Decimal(0)] * (whole + 1 - len(coefficients)))
            coefficients[whole] += amount
        signs = {a > 0 for c in groups.values() for a in c if a != 0}
        if signs != {True, False}:
            raise ValueError("cash flows need both signs to have a rate of return")
        v = _ONE / (_ONE + guess)
        for _ in range(60):
            npv, slope = _npv_and_slope(groups, v)
            if slope == 0:
                break
            step = npv / slope
            v -= step
            if v <= 0:
                break
            if abs(step) < _TOLERANCE:
                return _ONE / v - _ONE
        return _bisect(groups)


def _bisect(groups: dict[Decimal, list[Decimal]]) -> Decimal:
    """Fallback when Newton wanders: bisection on v in (0, 2] (rates from -50 % per month up)."""
    lo, hi = Decimal("1e-6"), Decimal(2)
    f_lo = _npv_and_slope(groups, lo)[0]
    if (f_lo > 0) == (_npv_and_slope(groups, hi)[0] > 0):
        raise ValueError("no rate of return in range")
    for _ in range(200):
        mid = (lo + hi) / 2
        f_mid = _npv_and_slope(groups, mid)[0]
        if (f_mid > 0) == (f_lo > 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
        if hi - lo < _TOLERANCE:
            break
    return _ONE / ((lo + hi) / 2) - _ONE
