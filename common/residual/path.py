"""A vehicle's predicted value over the months ahead 残值路径: the same car, older, further driven,
sold in another season. What the valuation chart, the balloon limit at term end, the buy-out
and the dealer's best time to sell read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from common.daycount import add_months
from common.residual.market import USUAL_KM
from common.residual.model import Estimate, ResidualModel
from common.residual.vehicle import MAX_AGE_MONTHS, MAX_MILEAGE_KM, PLUG_IN, UsedVehicle

BATTERY_POINTS_PER_MONTH = 2.0 / 12  # the market's expected loss of state of health a year
OWN_RATE_AFTER_MONTHS = 6  # from then on a car's own kilometres a month say how it is driven


def km_per_month(v: UsedVehicle) -> float:
    """How far the car goes in a month: its own rate once it has one, else its type's usual."""
    if v.age_months >= OWN_RATE_AFTER_MONTHS and v.mileage_km > 0:
        return v.mileage_km / v.age_months
    return USUAL_KM.get(v.vehicle_type, 15_000) / 12


def later(v: UsedVehicle, months: int, km_a_month: float) -> UsedVehicle:
    """`v` after `months` more, driven `km_a_month`; a reported battery wears as expected."""
    soh = v.battery_soh
    if soh is not None and v.fuel in PLUG_IN:
        soh = max(30.0, soh - BATTERY_POINTS_PER_MONTH * months)
    return replace(
        v,
        age_months=min(float(MAX_AGE_MONTHS), v.age_months + months),
        mileage_km=min(float(MAX_MILEAGE_KM), v.mileage_km + km_a_month * months),
        sold_on=add_months(v.sold_on, months),
        battery_soh=soh,
    )


def value_path(
    model: ResidualModel, v: UsedVehicle, months: Sequence[int], km_a_month: float | None = None
) -> list[Estimate]:
    """The estimate `m` months on for each `m` (0 is now), in one batch."""
    rate = km_per_month(v) if km_a_month is None else km_a_month
    return model.estimate([later(v, m, rate) for m in months])
