"""The synthetic market: reproducible from its seed, and priced the way docs/residual-value.md
says (published curves per segment, then mileage, condition, accident, battery, region, season)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from common.residual.market import MarketModel, fair_price, retention, simulate
from common.residual.vehicle import Accident, Condition, Fuel, UsedVehicle

LAVIDA = MarketModel("saicvw-lavida", "passenger", Fuel.PETROL, "B", 109_900, 151_900,
                     tuple(range(2016, 2027)))  # fmt: skip
MODEL3 = MarketModel("tesla-model3", "nev", Fuel.BEV, "A", 231_900, 335_900,
                     tuple(range(2019, 2027)))  # fmt: skip
CAR = UsedVehicle(new_price=130_000, vehicle_type="passenger", fuel=Fuel.PETROL, tier="B",
                  age_months=36, mileage_km=45_000, sold_on=date(2026, 4, 15),
                  region_code="440100")  # fmt: skip


def test_the_same_seed_gives_the_same_sales_and_another_seed_others() -> None:
    assert simulate([LAVIDA, MODEL3], 300, seed=5) == simulate([LAVIDA, MODEL3], 300, seed=5)
    assert simulate([LAVIDA, MODEL3], 300, seed=5) != simulate([LAVIDA, MODEL3], 300, seed=6)


def test_sales_are_of_cars_on_the_road_priced_above_nothing() -> None:
    sales = simulate([LAVIDA, MODEL3], 2000, seed=1)
    assert len(sales) == 2000
    assert all(1 <= s.vehicle.age_months <= 144 and s.price >= 100 for s in sales)
    # a plug-in reports its battery in most sales, a petrol car never
    teslas = [s for s in sales if s.model_id == "tesla-model3"]
    assert 0.6 < sum(s.vehicle.battery_soh is not None for s in teslas) / len(teslas) < 0.8
    assert all(s.vehicle.battery_soh is None for s in sales if s.model_id == "saicvw-lavida")


def test_a_three_year_old_tier_b_car_keeps_the_published_share() -> None:
    assert retention("passenger", Fuel.PETROL, "B", 3) == pytest.approx(0.58)
    # tier A holds more (J.D. Power: Japanese JVs 60-64 % at three years), tier C less
    assert 0.62 < retention("passenger", Fuel.PETROL, "A", 3) < 0.66
    assert retention("passenger", Fuel.PETROL, "C", 3) < 0.55
    # an electric car loses more than a petrol one of the same age and tier
    assert retention("nev", Fuel.BEV, "B", 3) < retention("passenger", Fuel.PETROL, "B", 3)


def test_retention_falls_with_age_between_and_beyond_the_published_points() -> None:
    ages = [0, 0.5, 1, 2, 3, 4, 6, 10, 15, 25]
    values = [retention("heavy_truck", Fuel.DIESEL, "B", a) for a in ages]
    assert values == sorted(values, reverse=True)
    assert values[-1] > 0


@pytest.mark.parametrize(
    ("change", "direction"),
    [
        ({"mileage_km": 120_000}, "down"),
        ({"mileage_km": 10_000}, "up"),
        ({"condition": Condition.POOR}, "down"),
        ({"condition": Condition.EXCELLENT}, "up"),
        ({"accident": Accident.STRUCTURAL}, "down"),
        ({"region_code": "230100"}, "down"),  # the north-east (an assumption, see the doc)
        ({"sold_on": date(2026, 10, 15)}, "up"),  # 金九银十
        ({"sold_on": date(2026, 2, 15)}, "down"),  # just after the Spring Festival
    ],
)
def test_each_effect_moves_the_price_its_way(change: dict[str, object], direction: str) -> None:
    base, changed = fair_price(CAR), fair_price(replace(CAR, **change))  # type: ignore[arg-type]
    assert (changed < base) if direction == "down" else (changed > base)


def test_a_worn_battery_costs_an_electric_car_more_than_a_plug_in_hybrid() -> None:
    bev = replace(CAR, vehicle_type="nev", fuel=Fuel.BEV, battery_soh=94.0)
    phev = replace(bev, fuel=Fuel.PHEV)
    worn_bev, worn_phev = replace(bev, battery_soh=80.0), replace(phev, battery_soh=80.0)
    assert fair_price(worn_bev) / fair_price(bev) < fair_price(worn_phev) / fair_price(phev) < 1


def test_cold_provinces_cost_an_electric_car_more_than_a_petrol_one() -> None:
    harbin = {"region_code": "230100"}
    bev = replace(CAR, vehicle_type="nev", fuel=Fuel.BEV)
    petrol_drop = fair_price(replace(CAR, **harbin)) / fair_price(CAR)  # type: ignore[arg-type]
    bev_drop = fair_price(replace(bev, **harbin)) / fair_price(bev)  # type: ignore[arg-type]
    assert bev_drop < petrol_drop
