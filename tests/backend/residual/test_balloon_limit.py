"""The balloon's residual limit 尾款与残值: a balloon may not exceed what the vehicle is predicted
to fetch at term end at the low end of its interval — on a quote with the catalogue vehicle and
on an application's draft (both databases), a clear 422 when it does."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from backend.intake.catalogue import Catalogue
from backend.residual import store
from backend.residual.vehicles import market_value, to_value
from backend.risk.demo import make_vin
from common.valuation import value_at_term_end
from tests.backend.helpers import create_product, login

TODAY = date.today()
EMGRAND = Catalogue.load().get("geely-emgrand")
assert EMGRAND is not None
YEAR, MILEAGE, TERM = 2021, 90_000, 36
PRICE = market_value(EMGRAND, YEAR, MILEAGE, TODAY, "110105").quantize(Decimal(100))
LOW_AT_END = value_at_term_end(
    store.load(), to_value(EMGRAND, YEAR, MILEAGE, region_code="110105"), TODAY, TERM
).low
VEHICLE = {"catalogue_model_id": "geely-emgrand", "model_year": YEAR, "mileage_km": MILEAGE,
           "region_code": "110105"}  # fmt: skip


@pytest.fixture
async def staff(client):
    return await login(client, "staff")


def _quote(product_id: str, balloon: Decimal, **over: object) -> dict[str, object]:
    return {
        "product_id": product_id, "price": str(PRICE), "down_payment": str(PRICE / 5),
        "term_months": TERM, "method": "balloon", "balloon": str(balloon),
        "start_date": TODAY.isoformat(), **over,
    }  # fmt: skip


def test_the_case_is_a_balloon_the_product_allows_but_the_car_does_not() -> None:
    # 70 % of the price is within the product's 80 %; an eight-year-old Emgrand will not fetch it
    assert PRICE * Decimal("0.7") > LOW_AT_END > PRICE * Decimal("0.2")


async def test_a_quote_refuses_a_balloon_above_the_low_value_at_term_end(client, staff):
    product = await create_product(client)
    r = await client.post(
        "/api/quotes", headers=staff, json=_quote(product, PRICE * Decimal("0.7"), **VEHICLE)
    )
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["code"] == "balloon_above_residual"
    assert problem["fields"] == {"balloon": "balloon_above_residual"}
    assert "残值预测的低值" in problem["title"]


async def test_a_balloon_within_the_limit_is_quoted_with_the_limit(client, staff):
    product = await create_product(client)
    r = await client.post(
        "/api/quotes", headers=staff, json=_quote(product, PRICE * Decimal("0.2"), **VEHICLE)
    )
    assert r.status_code == 200, r.text
    assert Decimal(r.json()["balloon_limit"]) == LOW_AT_END
    at_limit = await client.post(
        "/api/quotes", headers=staff, json=_quote(product, LOW_AT_END, **VEHICLE)
    )
    assert at_limit.status_code == 200, at_limit.text


async def test_without_the_vehicle_only_the_products_share_applies(client, staff):
    product = await create_product(client)
    r = await client.post(
        "/api/quotes", headers=staff, json=_quote(product, PRICE * Decimal("0.7"))
    )
    assert r.status_code == 200, r.text
    assert Decimal(r.json()["balloon_limit"]) == PRICE * Decimal("0.8")


def _draft(product_id: str, balloon: Decimal) -> dict[str, object]:
    return {
        "vehicle": {"vin": make_vin("L6T", YEAR, 77), "catalogue_model_id": "geely-emgrand",
                    "model_year": YEAR, "mileage_km": MILEAGE, "price": str(PRICE),
                    "is_new": False},
        "customer": {"kind": "person", "name": "王五", "id_number": "110105198506150014",
                     "mobile": "13901010077", "region_code": "110105"},
        "quote": _quote(product_id, balloon),
    }  # fmt: skip


async def test_a_draft_is_held_to_its_own_vehicles_residual(client, staff):
    product = await create_product(client)
    refused = await client.post(
        "/api/applications", headers=staff, json=_draft(product, PRICE * Decimal("0.7"))
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "balloon_above_residual"
    listed = await client.get("/api/applications", headers=staff)
    assert listed.json() == []  # nothing was written
    ok = await client.post("/api/applications", headers=staff, json=_draft(product, LOW_AT_END))
    assert ok.status_code == 201, ok.text
