"""Vehicle valuation 车辆估值 by the residual-value model (`common.residual`): the median price
of the car as it is, and the 10 %-90 % interval, calibrated to hold 80 % of sales like it.

A new vehicle is worth its new price, and its interval is the catalogue's price band (the trims
between the cheapest and the dearest) when the caller knows it. Values are rounded to whole yuan:
a valuation is an estimate, not money owed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from common.daycount import add_months
from common.errors import DomainError
from common.residual.drivers import Driver, drivers
from common.residual.model import Estimate, ResidualModel
from common.residual.path import km_per_month, later, value_path
from common.residual.vehicle import (
    VEHICLE_TYPES,
    Accident,
    Condition,
    Fuel,
    UsedVehicle,
    age_months,
)


@dataclass(frozen=True)
class ValuationResult:
    value: Decimal
    low: Decimal
    high: Decimal
    age_years: Decimal
    model_version: str
    drivers: tuple[Driver, ...] = ()


@dataclass(frozen=True, kw_only=True)
class VehicleToValue:
    """The vehicle a valuation is asked about (yuan; the catalogue gives type, fuel and tier)."""

    new_price: Decimal
    vehicle_type: str
    model_year: int
    mileage_km: int
    fuel: str | None = None
    tier: str = "B"
    region_code: str = ""
    condition: Condition = Condition.GOOD
    accident: Accident = Accident.NONE
    battery_soh: Decimal | None = None
    new_price_band: tuple[Decimal, Decimal] | None = None  # the catalogue's, for a new car

    def on(self, as_of: date) -> UsedVehicle:
        """As the model sees it on `as_of` (refused with valuation_input_invalid when odd)."""
        if self.vehicle_type not in VEHICLE_TYPES:
            raise _invalid("vehicle_type", "未知的车辆类型", f"unknown type {self.vehicle_type!r}")
        if not (self.new_price.is_finite() and self.new_price > 0):
            raise _invalid("new_price", "新车价格须为正数", "the new price must be positive")
        if self.mileage_km < 0:
            raise _invalid("mileage_km", "里程不能为负数", "mileage must not be negative")
        try:
            fuel = Fuel(self.fuel) if self.fuel else None
        except ValueError:
            raise _invalid("fuel", "未知的燃料类型", f"unknown fuel {self.fuel!r}") from None
        return UsedVehicle(
            new_price=float(self.new_price), vehicle_type=self.vehicle_type, fuel=fuel,
            tier=self.tier, age_months=age_months(self.model_year, as_of),
            mileage_km=float(self.mileage_km), sold_on=as_of, region_code=self.region_code,
            condition=self.condition, accident=self.accident,
            battery_soh=None if self.battery_soh is None else float(self.battery_soh),
        )  # fmt: skip


def _invalid(field: str, zh: str, en: str) -> DomainError:
    return DomainError("valuation_input_invalid", zh, en, fields={field: "valuation_input_invalid"})


def yuan(x: float | Decimal) -> Decimal:
    return Decimal(str(x)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _result(
    e: Estimate, v: UsedVehicle, version: str, found: tuple[Driver, ...] = ()
) -> ValuationResult:
    return ValuationResult(
        value=yuan(e.value), low=yuan(e.low), high=yuan(e.high),
        age_years=(Decimal(str(v.age_months)) / 12).quantize(Decimal("0.1")),
        model_version=version, drivers=found,
    )  # fmt: skip


def value_vehicle(
    model: ResidualModel,
    vehicle: VehicleToValue,
    as_of: date,
    *,
    is_new: bool = False,
    explain: bool = False,
) -> ValuationResult:
    """The valuation on `as_of`; `explain` adds the drivers (64 more predictions)."""
    used = vehicle.on(as_of)
    if is_new:
        low, high = vehicle.new_price_band or (vehicle.new_price, vehicle.new_price)
        price = vehicle.new_price
        return ValuationResult(yuan(price), yuan(low), yuan(high), Decimal("0.0"), model.version)
    (estimate,) = model.estimate([used])
    return _result(estimate, used, model.version, tuple(drivers(model, used)) if explain else ())


def valuation_path(
    model: ResidualModel, vehicle: VehicleToValue, as_of: date, months: list[int]
) -> list[tuple[date, ValuationResult]]:
    """The valuation `m` months after `as_of` for each `m`, the car driven at its own rate."""
    used = vehicle.on(as_of)
    rate = km_per_month(used)
    return [
        (add_months(as_of, m), _result(e, later(used, m, rate), model.version))
        for m, e in zip(months, value_path(model, used, months, rate), strict=True)
    ]


def value_at_term_end(
    model: ResidualModel, vehicle: VehicleToValue, start: date, term_months: int
) -> ValuationResult:
    """What the car is predicted to be worth when a lease from `start` ends."""
    return valuation_path(model, vehicle, start, [term_months])[0][1]
