"""Vehicle valuation for now: declining-balance depreciation by age, mileage and vehicle type.

A later issue brings the residual-value model (F32); this keeps the same inputs and outputs so
callers will not change. Values are rounded to whole yuan: a valuation is an estimate, not money
owed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from common.errors import DomainError

# type -> (yearly depreciation, kilometres per year considered normal)
_PROFILE: dict[str, tuple[Decimal, int]] = {
    "passenger": (Decimal("0.15"), 20_000),
    "nev": (Decimal("0.20"), 20_000),
    "light_truck": (Decimal("0.18"), 50_000),
    "heavy_truck": (Decimal("0.20"), 120_000),
    "cold_chain": (Decimal("0.22"), 80_000),
}
_FIRST_OWNER_DROP = Decimal("0.10")  # a used vehicle loses this the day it leaves the showroom
_MILEAGE_PENALTY_PER_EXCESS_YEAR = Decimal("0.04")  # per "extra year" of kilometres driven
_FLOOR = Decimal("0.10")  # scrap-ish value as a share of the new price
_BAND = Decimal("0.12")  # +/- around the point estimate


@dataclass(frozen=True)
class ValuationResult:
    value: Decimal
    low: Decimal
    high: Decimal
    age_years: Decimal


def _invalid(field: str, zh: str, en: str) -> DomainError:
    return DomainError("valuation_input_invalid", zh, en, fields={field: "valuation_input_invalid"})


def _yuan(x: Decimal) -> Decimal:
    return x.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def value_vehicle(
    *,
    new_price: Decimal,
    vehicle_type: str,
    model_year: int,
    mileage_km: int,
    as_of: date,
    is_new: bool = False,
) -> ValuationResult:
    if vehicle_type not in _PROFILE:
        raise _invalid("vehicle_type", "未知的车辆类型", f"unknown vehicle type {vehicle_type!r}")
    if not (isinstance(new_price, Decimal) and new_price.is_finite() and new_price > 0):
        raise _invalid("new_price", "新车价格须为正数", "the new price must be positive")
    if mileage_km < 0:
        raise _invalid("mileage_km", "里程不能为负数", "mileage must not be negative")
    rate, normal_km = _PROFILE[vehicle_type]
    # Model year N is taken to be on the road from 1 July of N-1 on average.
    age = max(Decimal(0), Decimal(as_of.year - model_year) + Decimal(as_of.month - 7) / 12 + 1)
    if is_new:
        value = new_price
    else:
        value = new_price * (1 - _FIRST_OWNER_DROP) * (1 - rate) ** int(age)
        value *= 1 - rate * (age - int(age))  # part years pro rata
        expected_km = Decimal(normal_km) * max(age, Decimal(1))
        excess_years = max(Decimal(0), (Decimal(mileage_km) - expected_km) / normal_km)
        value *= max(Decimal("0.5"), 1 - _MILEAGE_PENALTY_PER_EXCESS_YEAR * excess_years)
        value = max(value, new_price * _FLOOR)
    return ValuationResult(
        value=_yuan(value),
        low=_yuan(value * (1 - _BAND)),
        high=_yuan(value * (1 + _BAND)),
        age_years=age.quantize(Decimal("0.1")),
    )
