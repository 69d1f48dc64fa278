"""`GET /api/valuation` and `POST /api/valuations`: the residual model's value with its 80 %
interval, drivers and path; bad input is a 4xx with a stable code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from backend.residual import store
from backend.risk.demo import make_vin
from tests.backend.helpers import login

THIS_YEAR = date.today().year
CAMRY_VIN = make_vin("LVG", 2021, 44)
CAMRY = {"model_id": "gactoyota-camry", "model_year": 2021, "mileage_km": 60_000}


@pytest.fixture
async def staff(client):
    return await login(client, "staff")


async def test_a_valuation_is_an_interval_around_the_median_with_its_model(client, staff):
    r = await client.get("/api/valuation", params={**CAMRY, "region_code": "440100"}, headers=staff)
    assert r.status_code == 200, r.text
    v = r.json()
    low, value, high = Decimal(v["low"]), Decimal(v["value"]), Decimal(v["high"])
    assert low < value < high < Decimal("218800")  # below the catalogue's middle new price
    assert v["model_version"] == store.load().version and v["coverage"] == "0.80"
    assert v["method"] == "residual_quantile_gbm"
    # the drivers: age first for a five-year-old car, and all of them take value off
    assert v["drivers"][0]["factor"] == "age"
    assert {d["factor"] for d in v["drivers"]} <= {"age", "mileage", "region"}
    assert all(Decimal(d["effect"]) < 0 for d in v["drivers"] if d["factor"] != "region")
    # the path: today's value first, three years on worth less
    path = v["path"]
    assert len(path) == 7 and path[0]["value"] == v["value"]
    assert Decimal(path[-1]["value"]) < Decimal(path[0]["value"])
    assert all(Decimal(p["low"]) <= Decimal(p["value"]) <= Decimal(p["high"]) for p in path)


async def test_condition_and_accident_move_the_value(client, staff):
    async def value(**extra: object) -> Decimal:
        r = await client.get("/api/valuation", params={**CAMRY, **extra}, headers=staff)
        assert r.status_code == 200, r.text
        return Decimal(r.json()["value"])

    good = await value()
    assert await value(condition="excellent") > good > await value(condition="poor")
    assert await value(accident="structural") < good * Decimal("0.85")


async def test_a_vin_gives_the_model_year_and_its_makers_only_model(client, staff):
    vin = make_vin("LVG", 2021, 42)  # GAC Toyota: only the Camry in the catalogue
    r = await client.get("/api/valuation", params={"vin": vin, "mileage_km": 60_000}, headers=staff)
    assert r.status_code == 200, r.text
    by_model = await client.get("/api/valuation", params=CAMRY, headers=staff)
    assert (r.json()["model_id"], r.json()["value"]) == (
        "gactoyota-camry",
        by_model.json()["value"],
    )


async def test_a_vin_whose_maker_builds_several_models_needs_the_model(client, staff):
    vin = make_vin("LSV", 2021, 43)  # SAIC Volkswagen: Lavida, Passat, Tiguan L
    r = await client.get("/api/valuation", params={"vin": vin}, headers=staff)
    assert r.status_code == 422 and r.json()["code"] == "valuation_model_ambiguous"
    ok = await client.get(
        "/api/valuation", params={"vin": vin, "model_id": "saicvw-passat"}, headers=staff
    )
    assert ok.status_code == 200, ok.text


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 422, "valuation_vehicle_missing"),
        ({"model_id": "toy-car", "model_year": 2021}, 404, "catalogue_model_unknown"),
        ({"model_id": "gactoyota-camry"}, 422, "valuation_input_invalid"),
        ({**CAMRY, "model_year": THIS_YEAR + 2}, 422, "valuation_input_invalid"),
        ({**CAMRY, "model_year": 1900}, 400, "invalid_input"),
        ({**CAMRY, "mileage_km": -1}, 400, "invalid_input"),
        ({**CAMRY, "condition": "shiny"}, 400, "invalid_input"),
        ({**CAMRY, "battery_soh": 10}, 400, "invalid_input"),
        ({**CAMRY, "region_code": "abc"}, 400, "invalid_input"),
        ({**CAMRY, "region_code": "990000"}, 422, "valuation_input_invalid"),
        ({"vin": "LVG123"}, 422, "vin_length"),
        ({"vin": CAMRY_VIN, "model_year": 2020}, 422, "valuation_model_year_differs"),
        ({"vin": CAMRY_VIN, "model_id": "saicvw-passat"}, 422, "vin_maker_mismatch"),
    ],
)  # fmt: skip
async def test_bad_input_is_refused_with_a_code(client, staff, params, status, code):
    r = await client.get("/api/valuation", params=params, headers=staff)
    assert (r.status_code, r.json()["code"]) == (status, code), r.text


async def test_a_lessee_may_not_value_vehicles(client):
    r = await client.get("/api/valuation", params=CAMRY, headers=await login(client, "lessee"))
    assert r.status_code == 403


async def test_the_inspection_checklist_sets_the_condition_grade(client, staff):
    body = {**CAMRY, "as_of": "2026-06-01"}
    plain = await client.post("/api/valuations", json=body, headers=staff)
    worn = await client.post(
        "/api/valuations", headers=staff,
        json={**body, "inspection": {"interior_wear": "major", "body": "major", "tyres": "minor"}},
    )  # fmt: skip
    assert plain.status_code == worn.status_code == 200, worn.text
    w = worn.json()
    assert (w["condition"], w["inspection_score"]) == ("fair", 68)
    assert Decimal(w["value"]) < Decimal(plain.json()["value"])


async def test_an_unknown_inspection_item_is_refused(client, staff):
    r = await client.post(
        "/api/valuations", headers=staff, json={**CAMRY, "inspection": {"sunroof": "ok"}}
    )
    assert r.status_code == 400, r.text
