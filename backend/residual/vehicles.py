"""A catalogue model, as filed, as the valuation's input (one mapping for every caller)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from backend.intake.catalogue import Model
from backend.residual import store
from common.residual.vehicle import Accident, Condition
from common.valuation import VehicleToValue, value_vehicle


def to_value(
    model: Model,
    model_year: int,
    mileage_km: int,
    *,
    region_code: str | None = None,
    condition: Condition = Condition.GOOD,
    accident: Accident = Accident.NONE,
    battery_soh: Decimal | None = None,
    new_price: Decimal | None = None,
) -> VehicleToValue:
    """`new_price` is the trim's when known (e.g. an invoice); else the catalogue's middle."""
    return VehicleToValue(
        new_price=new_price or model.new_price_mid,
        vehicle_type=model.vehicle_type.value,
        model_year=model_year,
        mileage_km=mileage_km,
        fuel=model.fuel,
        tier=model.tier,
        region_code=region_code or "",
        condition=condition,
        accident=accident,
        battery_soh=battery_soh,
        new_price_band=(model.new_price_min, model.new_price_max),
    )


def market_value(
    model: Model, model_year: int, mileage_km: int, on: date, region_code: str | None = None
) -> Decimal:
    """The shipped model's median value of a used car in good condition (demos and tests)."""
    vehicle = to_value(model, model_year, mileage_km, region_code=region_code)
    return value_vehicle(store.load(), vehicle, on).value
