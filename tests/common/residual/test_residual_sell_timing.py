"""Best time to sell: the month with the most left after the floor plan's interest — on a
synthetic market whose prices rise in September, holding a car from July pays until then."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from common import floorplan as fp
from common.residual.model import FORMAT, ResidualModel
from common.residual.sell_timing import best_month, on_schedule, sell_plan
from common.residual.vehicle import FEATURE_NAMES, Fuel, UsedVehicle

TODAY = date(2026, 7, 10)
SALE_MONTH = FEATURE_NAMES.index("sale_month")


def _one_split_forest(value_before: float, value_from: float, month: float) -> dict[str, Any]:
    """log(price / new) is `value_before` in months before `month`, `value_from` from it on."""
    return {
        "baseline": 0.0, "roots": [0], "depth": 1, "feature": [SALE_MONTH, 0, 0],
        "threshold": [month - 0.5, 0.0, 0.0], "left": [1, 1, 2], "right": [2, 1, 2],
        "value": [0.0, value_before, value_from], "missing_left": [1, 0, 0],
        "categorical": [0, 0, 0], "left_categories": [0, 0, 0],
    }  # fmt: skip


def seasonal_model(rise: float) -> ResidualModel:
    """Prices `rise` (log) higher from September: the season, and nothing else moves them."""
    forests = [_one_split_forest(v - 0.5, v - 0.5 + rise, 9) for v in (-0.1, 0.0, 0.1)]
    return ResidualModel.of({
        "format": FORMAT, "model_version": "seasonal-test", "features": list(FEATURE_NAMES),
        "layout": [{"source": i, "categories": None} for i in range(len(FEATURE_NAMES))],
        "forests": forests, "coverage": 0.8, "margin": 0.0,
    })  # fmt: skip


CAR = UsedVehicle(new_price=200_000, vehicle_type="passenger", fuel=Fuel.PETROL, tier="B",
                  age_months=2, mileage_km=0, sold_on=TODAY)  # fmt: skip
TERMS = fp.LineTerms(Decimal("7.2"), 180)  # 10 % due 90 days after the drawdown, then monthly
UNIT = fp.UnitFigures(18_000_000, date(2026, 6, 1))  # ¥180,000 drawn on 1 June


def test_holding_pays_until_the_season_and_stops_after_it() -> None:
    plan = sell_plan(seasonal_model(0.05), CAR, UNIT, TERMS, TODAY)
    months = plan.months
    assert [m.on for m in months[:3]] == [TODAY, date(2026, 8, 10), date(2026, 9, 10)]
    assert plan.best == 2 and plan.best_month.on == date(2026, 9, 10)
    # September's price is 5 % higher; two months' interest on ¥180,000 at 7.2 % is far less
    september = months[2]
    assert september.value.value == 200_000 * math.exp(-0.45)
    assert 2000 < september.interest_fen / 100 < 2300
    rise = 200_000 * (math.exp(-0.45) - math.exp(-0.5))  # about ¥6,200
    assert plan.gain(september) == pytest.approx(rise - september.interest_fen / 100)
    # after September only interest accrues: each month leaves less
    nets = [m.net for m in months[2:]]
    assert nets == sorted(nets, reverse=True) and len(set(nets)) == len(nets)


def test_when_prices_only_fall_the_answer_is_to_sell_now() -> None:
    plan = sell_plan(seasonal_model(-0.02), CAR, UNIT, TERMS, TODAY)
    assert plan.best == 0 and plan.gain(plan.best_month) == 0


def test_no_month_is_past_the_units_maturity() -> None:
    plan = sell_plan(seasonal_model(0.05), CAR, UNIT, TERMS, TODAY)
    assert max(m.on for m in plan.months) <= fp.maturity(UNIT, TERMS) == date(2026, 11, 28)


def test_curtailments_are_paid_on_their_days_and_lower_the_interest() -> None:
    planned = on_schedule(UNIT, TERMS, TODAY)
    assert [(r.on, r.principal_fen) for r in planned.repaid[:2]] == [
        (date(2026, 8, 30), 1_800_000), (date(2026, 9, 29), 1_800_000),
    ]  # fmt: skip
    plan = sell_plan(seasonal_model(0.05), CAR, UNIT, TERMS, TODAY)
    october = plan.months[3]
    assert october.curtailments_fen == 3_600_000
    unpaid = fp.interest_to(UNIT, TERMS, october.on) - fp.interest_to(UNIT, TERMS, TODAY)
    assert october.interest_fen < unpaid


def test_an_overdue_curtailment_is_taken_as_paid_today() -> None:
    late = date(2026, 9, 5)  # 10 % was due on 30 August
    first = on_schedule(UNIT, TERMS, late).repaid[0]
    assert (first.on, first.principal_fen) == (late, 1_800_000)


def test_the_first_of_equal_best_months_is_chosen() -> None:
    plan = sell_plan(seasonal_model(0.05), CAR, UNIT, fp.LineTerms(Decimal(0), 180), TODAY)
    assert plan.best == 2  # no interest: September onwards are equal, the first of them wins
    assert best_month(list(plan.months)) == 2
