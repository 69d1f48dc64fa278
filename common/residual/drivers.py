"""What moves a valuation 估值因素: each factor's share of the difference between this car and
the same model nearly new (no kilometres, good condition, no accident, region and battery not
said), as Shapley values over the factors — every order of switching them on averaged, so the
shares add up to the difference exactly and no factor is favoured by coming first. Six
factors: 64 predictions of the median model, one batch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np

from common.residual.model import ResidualModel
from common.residual.vehicle import Accident, Condition, UsedVehicle, encode

FACTORS = ("age", "mileage", "condition", "accident", "battery", "region")
LABELS = {"age": "车龄", "mileage": "里程", "condition": "车况", "accident": "事故记录",
          "battery": "电池健康度", "region": "地区"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Driver:
    factor: str  # one of FACTORS
    effect: float  # yuan the factor adds (negative: takes off)


def reference(v: UsedVehicle) -> UsedVehicle:
    """The same model nearly new: what the factors are measured from."""
    return replace(
        v, age_months=0.0, mileage_km=0.0, condition=Condition.GOOD, accident=Accident.NONE,
        battery_soh=None, region_code="",
    )  # fmt: skip


def _with(v: UsedVehicle, base: UsedVehicle, factors: frozenset[str]) -> UsedVehicle:
    return replace(
        base,
        age_months=v.age_months if "age" in factors else base.age_months,
        mileage_km=v.mileage_km if "mileage" in factors else base.mileage_km,
        condition=v.condition if "condition" in factors else base.condition,
        accident=v.accident if "accident" in factors else base.accident,
        battery_soh=v.battery_soh if "battery" in factors else base.battery_soh,
        region_code=v.region_code if "region" in factors else base.region_code,
    )


def drivers(model: ResidualModel, v: UsedVehicle) -> list[Driver]:
    """The factors by the size of their effect, largest first (none that move nothing)."""
    base = reference(v)
    subsets = [frozenset(c) for k in range(len(FACTORS) + 1) for c in combinations(FACTORS, k)]
    rows = np.array([encode(_with(v, base, s)) for s in subsets], dtype=np.float64)
    value = dict(zip(subsets, v.new_price * np.exp(model.median_log_ratio(rows)), strict=True))
    n = len(FACTORS)
    weight = [math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n) for k in range(n)]
    out = []
    for factor in FACTORS:
        effect = sum(
            weight[len(s)] * (value[s | {factor}] - value[s]) for s in subsets if factor not in s
        )
        if abs(effect) >= 1:
            out.append(Driver(factor, float(effect)))
    return sorted(out, key=lambda d: -abs(d.effect))
