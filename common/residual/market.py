"""A synthetic used-car market 模拟二手车市场: sales of the catalogue's models, priced from
published depreciation curves per segment, with mileage, condition, accident, battery, regional
and seasonal effects and noise (docs/residual-value.md gives the facts and the assumptions).

No public Chinese used-car price data is available offline, so the shipped model is trained on
this; `backend/residual/train.py` trains on a CSV of real sales the same way. Everything here is
reproducible from the seed: the same seed gives the same sales, row for row.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

from common.residual.vehicle import (
    PLUG_IN,
    PROVINCES,
    Accident,
    Condition,
    Fuel,
    UsedVehicle,
    age_months,
)

# Retention 保值率 (price / new price) of a tier-B vehicle in good condition at the usual mileage,
# by age in years; between the points log-linear. Anchors: J.D. Power China's retention reports
# (3-year: Dongfeng Honda 63.9 %, GAC Honda 60.8 %, GAC Toyota 59.7 %; Tesla at one year
# 74-76 %; electric cars "much lower" than petrol ones).
_AGES = (0, 1, 3, 5, 8, 12, 20)
CURVES: dict[str, tuple[float, ...]] = {
    "passenger": (0.91, 0.78, 0.58, 0.44, 0.29, 0.16, 0.07),
    "phev": (0.88, 0.72, 0.50, 0.36, 0.22, 0.11, 0.05),
    "bev": (0.86, 0.67, 0.45, 0.31, 0.18, 0.09, 0.04),
    "light_truck": (0.88, 0.75, 0.55, 0.40, 0.26, 0.14, 0.06),
    "heavy_truck": (0.85, 0.70, 0.47, 0.32, 0.18, 0.09, 0.04),
    "cold_chain": (0.84, 0.68, 0.44, 0.29, 0.16, 0.08, 0.035),
}
# A tier holds value better (A) or worse (C) than B: retention to this power.
TIER_POWER = {"A": 0.8, "B": 1.0, "C": 1.2}
# Kilometres a year taken as usual (passenger: the reports' 15,000 km); each year's worth more
# costs this share of the value (log), within the bounds.
USUAL_KM = {"passenger": 15_000, "nev": 15_000, "light_truck": 40_000, "heavy_truck": 120_000,
            "cold_chain": 70_000}  # fmt: skip
MILEAGE_COST = 0.035
MILEAGE_BOUNDS = (0.6, 1.1)
CONDITION_FACTOR = {Condition.EXCELLENT: 1.04, Condition.GOOD: 1.0, Condition.FAIR: 0.92,
                    Condition.POOR: 0.80}  # fmt: skip
ACCIDENT_FACTOR = {Accident.NONE: 1.0, Accident.MINOR: 0.94, Accident.STRUCTURAL: 0.72,
                   Accident.FLOOD_FIRE: 0.50}  # fmt: skip
ACCIDENT_SHARE = {Accident.NONE: 0.82, Accident.MINOR: 0.11, Accident.STRUCTURAL: 0.05,
                  Accident.FLOOD_FIRE: 0.02}  # fmt: skip
# Battery: state of health expected to fall 2 points a year and 1 per 50,000 km; a battery
# better or worse than expected moves a BEV's price by (soh / expected) ** 2.5, a PHEV's less.
BATTERY_POWER = {Fuel.BEV: 2.5, Fuel.PHEV: 1.0}
# Regions (assumptions, see the doc): a province's level, and plug-ins in cold or warm ones.
REGION_FACTOR = {"11": 0.98, "31": 0.98, "32": 1.01, "33": 1.01, "37": 1.01, "41": 1.02,
                 "50": 1.02, "51": 1.02, "15": 0.97, "21": 0.97, "22": 0.97, "23": 0.97,
                 "54": 0.96, "63": 0.96, "65": 0.96}  # fmt: skip
COLD = frozenset({"15", "21", "22", "23", "54", "62", "63", "64", "65"})
WARM = frozenset({"35", "44", "45", "46", "53"})
COLD_FACTOR = {Fuel.BEV: 0.94, Fuel.PHEV: 0.98}
WARM_FACTOR = {Fuel.BEV: 1.02, Fuel.PHEV: 1.0}
# Seasons by month (assumptions): cars sell best before the Spring Festival and in 金九银十,
# worst just after it and in summer; trucks when freight picks up in spring.
SEASON = {
    "car": (1.015, 0.98, 0.995, 1.0, 1.0, 0.99, 0.985, 0.99, 1.01, 1.015, 1.005, 1.01),
    "truck": (0.99, 0.98, 1.02, 1.02, 1.01, 0.995, 0.99, 0.99, 1.005, 1.005, 1.0, 0.995),
}
TRUCKS = frozenset({"light_truck", "heavy_truck", "cold_chain"})
# Where sales happen: the big markets weigh three times as much (Taiwan, Hong Kong, Macao none).
_BIG = frozenset({"11", "31", "32", "33", "37", "41", "44", "51"})
_SOLD_IN = tuple(p for p in PROVINCES if p not in ("71", "81", "82"))
_WEIGHTS = tuple(3 if p in _BIG else 1 for p in _SOLD_IN)
FIRST_SALE, LAST_SALE = date(2023, 1, 1), date(2026, 12, 31)
MAX_AGE_YEARS = 12


@dataclass(frozen=True, slots=True)
class MarketModel:
    """A catalogue model as the market sees it (the shell reads the catalogue)."""

    id: str
    vehicle_type: str
    fuel: Fuel
    tier: str
    new_price_min: float
    new_price_max: float
    years: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Sale:
    model_id: str
    vehicle: UsedVehicle
    price: float  # yuan, to the hundred


def curve_of(vehicle_type: str, fuel: Fuel | None) -> tuple[float, ...]:
    if fuel is Fuel.BEV:
        return CURVES["bev"]
    if fuel is Fuel.PHEV:
        return CURVES["phev"]
    return CURVES.get(vehicle_type, CURVES["passenger"])


def retention(vehicle_type: str, fuel: Fuel | None, tier: str, years: float) -> float:
    """The segment's retention at `years` (log-linear between the points, the last slope on)."""
    curve = curve_of(vehicle_type, fuel)
    i = min(max(bisect_right(_AGES, years) - 1, 0), len(_AGES) - 2)
    a0, a1 = _AGES[i], _AGES[i + 1]
    slope = (math.log(curve[i + 1]) - math.log(curve[i])) / (a1 - a0)
    base = math.exp(math.log(curve[i]) + slope * (years - a0))
    return float(base ** TIER_POWER[tier])


def expected_soh(years: float, mileage_km: float) -> float:
    return max(55.0, 100.0 - 2.0 * years - mileage_km / 50_000)


def fair_price(v: UsedVehicle, model_effect: float = 1.0) -> float:
    """The market's price of `v` before noise: what a good model should find as the median."""
    years = v.age_months / 12
    price = v.new_price * model_effect * retention(v.vehicle_type, v.fuel, v.tier, years)
    usual = USUAL_KM.get(v.vehicle_type, 15_000)
    excess_years = (v.mileage_km - usual * years) / usual
    low, high = MILEAGE_BOUNDS
    price *= min(high, max(low, math.exp(-MILEAGE_COST * excess_years)))
    price *= CONDITION_FACTOR[v.condition] * ACCIDENT_FACTOR[v.accident]
    if v.fuel in PLUG_IN and v.battery_soh is not None:
        price *= (v.battery_soh / expected_soh(years, v.mileage_km)) ** BATTERY_POWER[v.fuel]
    province = v.region_code[:2]
    price *= REGION_FACTOR.get(province, 1.0)
    if v.fuel in PLUG_IN:
        price *= COLD_FACTOR[v.fuel] if province in COLD else 1.0
        price *= WARM_FACTOR[v.fuel] if province in WARM else 1.0
    price *= SEASON["truck" if v.vehicle_type in TRUCKS else "car"][v.sold_on.month - 1]
    return price


def noise_sigma(v: UsedVehicle) -> float:
    """Sales scatter more for older cars and for repaired ones (log-scale sigma)."""
    sigma = 0.05 + 0.008 * v.age_months / 12 + (0.03 if v.accident is not Accident.NONE else 0)
    return min(0.15, sigma)


def _condition(rng: random.Random, years: float) -> Condition:
    excellent = max(0.05, 0.45 - 0.04 * years)
    poor = min(0.25, 0.02 + 0.02 * years)
    fair = min(0.35, 0.10 + 0.03 * years)
    x = rng.random()
    if x < excellent:
        return Condition.EXCELLENT
    if x < excellent + fair:
        return Condition.FAIR
    if x < excellent + fair + poor:
        return Condition.POOR
    return Condition.GOOD


def _sale(rng: random.Random, model: MarketModel, effect: float) -> Sale | None:
    sold_on = FIRST_SALE + timedelta(days=rng.randrange((LAST_SALE - FIRST_SALE).days + 1))
    year = rng.choice(model.years)
    months = age_months(year, sold_on)
    if not 1 <= months <= MAX_AGE_YEARS * 12:
        return None  # not on the road yet on that day, or too old for this market
    years = months / 12
    usual = USUAL_KM.get(model.vehicle_type, 15_000)
    mileage = round(usual * years * math.exp(rng.gauss(0, 0.35)), -2)
    soh = None
    if model.fuel in PLUG_IN and rng.random() < 0.7:  # a third sell without a battery report
        soh = round(min(100.0, max(55.0, expected_soh(years, mileage) + rng.gauss(0, 3))), 1)
    vehicle = UsedVehicle(
        new_price=round(rng.uniform(model.new_price_min, model.new_price_max), -2),
        vehicle_type=model.vehicle_type, fuel=model.fuel, tier=model.tier, age_months=months,
        mileage_km=mileage, sold_on=sold_on,
        region_code=rng.choices(_SOLD_IN, _WEIGHTS)[0] + "0100",
        condition=_condition(rng, years),
        accident=rng.choices(tuple(ACCIDENT_SHARE), tuple(ACCIDENT_SHARE.values()))[0],
        battery_soh=soh,
    )  # fmt: skip
    price = fair_price(vehicle, effect) * math.exp(rng.gauss(0, noise_sigma(vehicle)))
    return Sale(model.id, vehicle, max(100.0, round(price, -2)))


WORLD = 1  # the market's own make-up (each model's standing); the sales drawn from it vary


def model_effects(models: list[MarketModel], world: int = WORLD) -> dict[str, float]:
    """Each model's own standing within its tier (log-normal, sigma 0.03), fixed by `world`:
    sales drawn with other seeds are other sales of the same market."""
    rng = random.Random(f"effects-{world}")
    return {m.id: math.exp(rng.gauss(0, 0.03)) for m in models}


def simulate(models: list[MarketModel], n: int, seed: int, world: int = WORLD) -> list[Sale]:
    """`n` sales of `models` (each equally likely), the same for the same seed."""
    if not models:
        return []
    rng = random.Random(seed)
    effects = model_effects(models, world)
    out: list[Sale] = []
    while len(out) < n:
        model = rng.choice(models)
        sale = _sale(rng, model, effects[model.id])
        if sale is not None:
            out.append(sale)
    return out
