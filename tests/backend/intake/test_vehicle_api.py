"""VIN scan, catalogue, valuation and quotes through the API."""

from __future__ import annotations

import pytest

from tests.backend.helpers import VALID_VIN, create_product, login, quote_request
from tests.support.vin_photos import Hazards, make_photo, photo_without_barcode


@pytest.fixture
async def staff(client):
    return await login(client, "staff")


async def test_scan_reads_the_vin_from_a_sideways_photo(client, staff):
    photo = make_photo(7, "qr", Hazards(angle=90), vin=VALID_VIN)
    r = await client.post(
        "/api/vin/scan", content=photo.data, headers={**staff, "Content-Type": "image/jpeg"}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["vin"] == VALID_VIN and body["symbology"] == "qr" and body["check_digit_valid"]
    assert body["model_year"] == 2022
    assert [m["maker"] for m in body["catalogue_matches"]] and all(
        "SAIC Volkswagen" in m["maker"] for m in body["catalogue_matches"]
    )


async def test_scan_without_a_barcode_is_vin_not_found(client, staff):
    r = await client.post(
        "/api/vin/scan",
        content=photo_without_barcode(3),
        headers={**staff, "Content-Type": "image/jpeg"},
    )
    assert r.status_code == 422 and r.json()["code"] == "vin_not_found"


async def test_scan_of_garbage_is_image_invalid(client, staff):
    r = await client.post(
        "/api/vin/scan",
        content=b"\x00garbage" * 10,
        headers={**staff, "Content-Type": "image/jpeg"},
    )
    assert r.status_code == 422 and r.json()["code"] == "image_invalid"


async def test_scan_needs_an_intake_role(client):
    r = await client.post("/api/vin/scan", content=b"x", headers=await login(client, "lessee"))
    assert r.status_code == 403


async def test_catalogue_search_and_valuation(client, staff):
    models = (
        await client.get("/api/catalogue/models", params={"q": "Model Y"}, headers=staff)
    ).json()
    assert [m["id"] for m in models] == ["tesla-modely"]
    r = await client.post(
        "/api/valuations",
        headers=staff,
        json={
            "model_id": "tesla-modely",
            "model_year": 2023,
            "mileage_km": 40000,
            "as_of": "2026-11-30",
        },
    )
    assert r.status_code == 200, r.text
    v = r.json()
    assert float(v["low"]) < float(v["value"]) < float(v["high"]) < 301900


async def test_valuation_of_an_unknown_model_is_404(client, staff):
    r = await client.post(
        "/api/valuations", headers=staff, json={"model_id": "toy-car", "model_year": 2023}
    )
    assert r.status_code == 404 and r.json()["code"] == "catalogue_model_unknown"


async def test_quote_gives_the_worked_example(client, staff):
    product_id = await create_product(client)  # 6 % at 36 months, no fees, no deposit
    r = await client.post("/api/quotes", headers=staff, json=quote_request(product_id=product_id))
    assert r.status_code == 200, r.text
    q = r.json()["quote"]
    assert q["monthly_payment"] == "3042.19" and q["last_payment"] == "3042.36"
    assert q["total_interest"] == "9519.01" and q["annualised_rate_percent"] == "6.00"
    assert len(q["instalments"]) == 36


@pytest.mark.parametrize(
    ("over", "status", "code"),
    [
        ({"down_payment": "abc"}, 422, "money_invalid"),
        ({"price": 125000}, 400, "invalid_input"),
        ({"term_months": 0}, 400, "invalid_input"),
        ({"method": "magic"}, 400, "invalid_input"),
        ({"annual_rate_percent": "1"}, 400, "unknown_field"),  # the clerk types no rate
        ({"product_id": "p-nope"}, 404, "product_not_found"),
    ],
)
async def test_bad_quotes_get_a_code(client, staff, over, status, code):
    r = await client.post("/api/quotes", headers=staff, json=quote_request(**over))
    assert r.status_code == status, r.text
    assert r.json()["code"] == code


async def test_a_typed_vin_is_decoded_with_its_catalogue_matches(client, staff):
    r = await client.get(f"/api/vin/{VALID_VIN.lower()}", headers=staff)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["vin"] == VALID_VIN and body["symbology"] == "manual" and body["model_year"] == 2022
    assert {m["id"] for m in body["catalogue_matches"]} >= {"saicvw-lavida"}


@pytest.mark.parametrize(
    ("vin", "code"),
    [
        ("LSVAU2180N2183294", "vin_check_digit"),
        ("LSVAU218XN218329", "vin_length"),
        ("LSVAU218XN21832O4", "vin_illegal_char"),
    ],
)
async def test_a_bad_typed_vin_says_why(client, staff, vin, code):
    r = await client.get(f"/api/vin/{vin}", headers=staff)
    assert r.status_code == 422 and r.json()["code"] == code
