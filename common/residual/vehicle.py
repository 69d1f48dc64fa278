"""What the residual-value model 残值模型 knows about a used vehicle, and how it becomes the row of
numbers the trees read.

A `UsedVehicle` is what one sale (a training row) or one valuation describes: the new price of
its trim, its kind (vehicle type, fuel, the brand's retention tier), how old and how driven it
is, where and when it is sold, its condition grade (from `inspection`), its accident history
and, for a plug-in, its battery's state of health. `encode` gives the feature row; categories
are small integers (the trees split on sets of them), unknown values are NaN (the trees send
them down the side that training found best for missing values).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from common.errors import DomainError


class Fuel(StrEnum):
    PETROL = "petrol"
    DIESEL = "diesel"
    HEV = "hev"  # 油电混动, no plug: no battery health worth pricing
    PHEV = "phev"  # 插电混动 (incl. range extenders 增程)
    BEV = "bev"  # 纯电


PLUG_IN = frozenset({Fuel.PHEV, Fuel.BEV})


class Condition(StrEnum):
    """车况等级, from the inspection checklist's score (`common.residual.inspection`)."""

    EXCELLENT = "excellent"  # 优
    GOOD = "good"  # 良
    FAIR = "fair"  # 中
    POOR = "poor"  # 差


class Accident(StrEnum):
    NONE = "none"  # 无事故
    MINOR = "minor"  # 钣金喷漆、覆盖件更换
    STRUCTURAL = "structural"  # 结构件损伤 (事故车)
    FLOOD_FIRE = "flood_fire"  # 泡水、火烧


VEHICLE_TYPES = ("passenger", "nev", "light_truck", "heavy_truck", "cold_chain")
TIERS = ("A", "B", "C")  # the brand's retention tier 保值梯队, A the strongest
# Province-level divisions (GB/T 2260, first two digits): a region is one of these categories.
PROVINCES = (
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82",
)  # fmt: skip
FUELS = tuple(Fuel)
CONDITIONS = tuple(Condition)
ACCIDENTS = tuple(Accident)

MAX_AGE_MONTHS = 30 * 12
MAX_MILEAGE_KM = 5_000_000


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    categorical: bool = False


FEATURES = (
    Feature("log_new_price"),
    Feature("vehicle_type", categorical=True),
    Feature("fuel", categorical=True),
    Feature("tier"),  # ordinal: 0 (A) .. 2 (C)
    Feature("age_months"),
    Feature("mileage_km"),
    Feature("condition"),  # ordinal: 0 (excellent) .. 3 (poor)
    Feature("accident"),  # ordinal: 0 (none) .. 3 (flood or fire)
    Feature("battery_soh"),  # percent; NaN without a traction battery
    Feature("province", categorical=True),
    Feature("sale_month"),  # 1..12: the season
)
FEATURE_NAMES = tuple(f.name for f in FEATURES)
CATEGORICAL = tuple(i for i, f in enumerate(FEATURES) if f.categorical)


def _invalid(field: str, zh: str, en: str) -> DomainError:
    return DomainError("valuation_input_invalid", zh, en, fields={field: "valuation_input_invalid"})


@dataclass(frozen=True, slots=True)
class UsedVehicle:
    """One vehicle on one day. `new_price` is yuan (the trim's list price); `region_code` a
    GB/T 2260 code of 2 to 6 digits or "" when not known."""

    new_price: float
    vehicle_type: str
    fuel: Fuel | None
    tier: str
    age_months: float
    mileage_km: float
    sold_on: date
    region_code: str = ""
    condition: Condition = Condition.GOOD
    accident: Accident = Accident.NONE
    battery_soh: float | None = None  # percent of the new battery's capacity

    def __post_init__(self) -> None:
        if not (math.isfinite(self.new_price) and self.new_price > 0):
            raise _invalid("new_price", "新车价格须为正数", "the new price must be positive")
        if self.vehicle_type not in VEHICLE_TYPES:
            raise _invalid("vehicle_type", "未知的车辆类型", "unknown vehicle type")
        if self.tier not in TIERS:
            raise _invalid("tier", "未知的品牌保值梯队", "unknown brand tier")
        if not 0 <= self.age_months <= MAX_AGE_MONTHS:
            raise _invalid("model_year", "车龄不合理", "age out of range")
        if not 0 <= self.mileage_km <= MAX_MILEAGE_KM:
            raise _invalid("mileage_km", "里程不合理", "mileage out of range")
        if self.region_code and (
            not self.region_code.isascii()
            or not self.region_code.isdigit()
            or self.region_code[:2] not in PROVINCES
        ):
            raise _invalid("region_code", "地区代码无效", "unknown region code")
        if self.battery_soh is not None and not 30 <= self.battery_soh <= 100:
            raise _invalid("battery_soh", "电池健康度须在30%到100%之间", "battery health 30-100 %")


def _category(value: str | None, table: tuple[str, ...]) -> float:
    return float(table.index(value)) if value in table else math.nan


def encode(v: UsedVehicle) -> list[float]:
    """The feature row of `v`, in the order of `FEATURES`."""
    battery = v.battery_soh if v.battery_soh is not None and v.fuel in PLUG_IN else math.nan
    return [
        math.log(v.new_price),
        _category(v.vehicle_type, VEHICLE_TYPES),
        _category(v.fuel, FUELS),
        float(TIERS.index(v.tier)),
        float(v.age_months),
        float(v.mileage_km),
        float(CONDITIONS.index(v.condition)),
        float(ACCIDENTS.index(v.accident)),
        battery,
        _category(v.region_code[:2] or None, PROVINCES),
        float(v.sold_on.month),
    ]


def age_months(model_year: int, on: date) -> float:
    """Months on the road: a model year N car is taken to be registered on 1 July of N-1 on
    average (the convention the declining-balance valuation used), never negative."""
    months = (on.year - (model_year - 1)) * 12 + (on.month - 7) + (on.day - 1) / 31
    return max(0.0, float(months))
