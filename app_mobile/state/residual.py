"""What the residual-value screens show, without Flet: a valuation's chart and drivers, a unit's
best time to sell, and the valuation query of the vehicle on the intake's vehicle step."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app_mobile.state.intake import check_mileage, check_model_year
from common.api.intake import Valuation
from common.api.residual import SellTiming

TEN_THOUSAND = Decimal(10_000)
CONDITIONS = ("excellent", "good", "fair", "poor")


def _wan(amount: str) -> float:
    """Yuan as 万元 for a chart's axis."""
    return float(Decimal(amount) / TEN_THOUSAND)


@dataclass(frozen=True)
class PathSeries:
    """A value path on a chart: labels under the points, the median and its interval (万元),
    and optionally what selling leaves after interest; `top` and `bottom` frame the chart."""

    labels: list[str]
    median: list[float]
    low: list[float]
    high: list[float]
    net: list[float]
    bottom: float
    top: float
    step: float  # the axis's: bottom and top are whole steps
    marked: int | None = None  # the point to mark (the best month)


def _frame(*lines: list[float]) -> tuple[float, float, float]:
    """Bottom and top at whole steps of a round size (1, 2 or 5 times a power of ten), about
    four steps apart, so the axis reads 6 8 10 12 rather than 5.7 ... 12.3."""
    values = [v for line in lines for v in line]
    low, high = min(values, default=0.0), max(values, default=1.0)
    span = max(high - low, 0.1)
    power = 10 ** math.floor(math.log10(span / 4))
    step = next(k * power for k in (1, 2, 5, 10) if k * power >= span / 4)
    return max(0.0, math.floor(low / step) * step), math.ceil(high / step) * step, step


def valuation_series(v: Valuation) -> PathSeries:
    labels = [f"{p.on:%y/%m}" for p in v.path]
    median, low, high = ([_wan(getattr(p, k)) for p in v.path] for k in ("value", "low", "high"))
    return PathSeries(labels, median, low, high, [], *_frame(low, high))


def sell_series(s: SellTiming) -> PathSeries:
    labels = [f"{m.on:%m/%d}" for m in s.months]
    median, low, high, net = (
        [_wan(getattr(m, k)) for m in s.months] for k in ("value", "low", "high", "net")
    )
    return PathSeries(labels, median, low, high, net, *_frame(low, high, net), s.best_months)


def driver_lines(v: Valuation) -> list[str]:
    """「车龄 −¥52,000」: each driver with its signed effect (Chinese)."""
    out = []
    for d in v.drivers:
        amount = Decimal(d.effect)
        sign = "+" if amount > 0 else "−"
        out.append(f"{d.label} {sign}¥{abs(amount):,.0f}")
    return out


def valuation_query(
    model_id: str, model_year: int | None, mileage: str, region_code: str, condition: str,
    today: date,
) -> dict[str, str | int] | None:  # fmt: skip
    """The GET /api/valuation query of the vehicle on the vehicle step, once model, year and
    mileage are valid (None before)."""
    if not model_id or not check_model_year(model_year, today).ok or model_year is None:
        return None
    km = mileage.strip().replace(",", "")
    if not check_mileage(km, used=True).ok:
        return None
    query: dict[str, str | int] = {"model_id": model_id, "model_year": model_year,
                                   "mileage_km": int(km or 0), "condition": condition}  # fmt: skip
    if region_code.strip().isdigit() and len(region_code.strip()) == 6:
        query["region_code"] = region_code.strip()
    return query
