"""Values that are well-formed JSON but out of range, too long for their column, or holding NUL,
control characters or non-ASCII digits: a 4xx with a stable code on both engines, nothing written.

Each case is tried on create (POST /api/applications) and on patch of an existing draft.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.backend.helpers import VALID_VIN, login, person, quote_request

NEXT_YEAR = date.today().year + 1
CJK = "张"  # three bytes in UTF-8


def vehicle(**over: Any) -> dict[str, Any]:
    return {"vehicle": {"vin": VALID_VIN, **over}}


def customer(**over: Any) -> dict[str, Any]:
    return {"customer": person(**over)}


def priced(**over: Any) -> dict[str, Any]:
    """A draft whose quote is on the vehicle's price (the quote is checked, not refused for it)."""
    quote = quote_request(**over)
    # this 2022 car is sold as new here: the new-car product covers it
    return {"vehicle": {"vin": VALID_VIN, "price": quote["price"], "is_new": True}, "quote": quote}


INVALID = (400, "invalid_input")
CASES = [
    # numbers out of range
    pytest.param(vehicle(model_year=10**30), INVALID, id="model_year-1e30"),
    pytest.param(vehicle(model_year=2**31), INVALID, id="model_year-2^31"),
    pytest.param(vehicle(model_year=2**63 - 1), INVALID, id="model_year-2^63-1"),
    pytest.param(vehicle(model_year=-5), INVALID, id="model_year-negative"),
    pytest.param(vehicle(model_year=1979), INVALID, id="model_year-1979"),
    pytest.param(vehicle(model_year=NEXT_YEAR + 1), (422, "model_year_invalid"),
                 id="model_year-after-next-year"),
    pytest.param(vehicle(mileage_km=-1), INVALID, id="mileage-negative"),
    pytest.param(vehicle(mileage_km=10**30), INVALID, id="mileage-1e30"),
    pytest.param(vehicle(price="10000000000000000"), (422, "money_invalid"), id="price-1e16"),
    # values the column cannot hold
    pytest.param(vehicle(vin=VALID_VIN + "5"), (422, "vin_invalid"), id="vin-18-characters"),
    pytest.param(vehicle(vin="L" * 41), INVALID, id="vin-41-characters"),
    pytest.param(vehicle(vin="LSVAU218\u0000XN2183294"), INVALID, id="vin-nul"),
    pytest.param(vehicle(vin="LSVAU218ÄN2183294"), INVALID, id="vin-non-ascii"),
    pytest.param(vehicle(catalogue_model_id="x\u0000"), INVALID, id="catalogue-id-nul"),
    pytest.param(customer(name=CJK * 91), INVALID, id="name-91-chinese"),
    pytest.param(customer(name=CJK * 100), INVALID, id="name-100-chinese"),
    pytest.param(customer(name="A" * 101), INVALID, id="name-101-latin"),
    pytest.param(customer(name="😀" * 69), INVALID, id="name-69-emoji"),
    pytest.param(customer(name="张\u0000三"), INVALID, id="name-nul"),
    pytest.param(customer(name="张三\n"), INVALID, id="name-newline"),
    pytest.param(customer(name="张\u0085三"), INVALID, id="name-c1-control"),
    pytest.param(customer(id_number="ß" * 40), INVALID, id="id-number-eszett"),
    pytest.param(customer(id_number="1101051949123100\u00002X"), INVALID, id="id-number-nul"),
    pytest.param(customer(id_number="X" * 41), INVALID, id="id-number-41"),
    pytest.param(customer(mobile="138\u00001234567"), INVALID, id="mobile-nul"),
    # digits: ASCII only
    pytest.param(vehicle(price="１５００００"), (422, "money_invalid"), id="price-fullwidth"),
    pytest.param(vehicle(price="١٥٠٠٠٠"), (422, "money_invalid"), id="price-arabic-indic"),
    pytest.param(customer(region_code="１１０１０５"), INVALID, id="region-fullwidth"),
    pytest.param(customer(region_code="١١٠١٠٥"), INVALID, id="region-arabic-indic"),
    pytest.param(customer(region_code="11010"), INVALID, id="region-5-digits"),
    pytest.param(customer(mobile="１３８１２３４５６７８"), INVALID, id="mobile-fullwidth"),
    pytest.param(customer(id_number="１１０１０５１９４９１２３１００２X"), INVALID,
                 id="id-number-fullwidth"),
    # the quote: its start date has a range, its amounts ASCII digits, its product id no control
    pytest.param(priced(start_date="9999-12-31"), (422, "date_invalid"), id="quote-start-9999"),
    pytest.param(priced(down_payment="２５０００"), (422, "money_invalid"),
                 id="quote-down-payment-fullwidth"),
    pytest.param(priced(product_id="p-new\u0000"), INVALID, id="quote-product-id-nul"),
    pytest.param(priced(product_id="p" * 33), INVALID, id="quote-product-id-33"),
]  # fmt: skip


@pytest.fixture
async def staff(client):
    return await login(client, "staff")


async def assert_refused(rows, r, expected, before):
    status, code = expected
    assert r.status_code < 500, r.text
    assert (r.status_code, r.json()["code"]) == (status, code), r.text
    assert await rows() == before


@pytest.mark.parametrize(("body", "expected"), CASES)
async def test_create_refuses(client, rows, staff, body, expected):
    before = await rows()
    r = await client.post("/api/applications", json=body, headers=staff)
    await assert_refused(rows, r, expected, before)


@pytest.mark.parametrize(("body", "expected"), CASES)
async def test_patch_refuses(client, rows, staff, body, expected):
    draft = (await client.post("/api/applications", json={}, headers=staff)).json()
    before = await rows()
    r = await client.patch(f"/api/applications/{draft['id']}", json=body, headers=staff)
    await assert_refused(rows, r, expected, before)
    after = (await client.get(f"/api/applications/{draft['id']}", headers=staff)).json()
    assert after["version"] == draft["version"] and after["vehicle"] is None


async def test_patch_refuses_a_version_beyond_the_column(client, rows, staff):
    draft = (await client.post("/api/applications", json={}, headers=staff)).json()
    before = await rows()
    r = await client.patch(
        f"/api/applications/{draft['id']}", json={"version": 2**31}, headers=staff
    )
    await assert_refused(rows, r, INVALID, before)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(customer(name=CJK * 90), id="name-90-chinese"),
        pytest.param(customer(name="A" * 100), id="name-100-latin"),
        pytest.param(customer(id_number="1101 0519 4912 3100 2x"), id="id-number-separators"),
        pytest.param(vehicle(vin="I" + VALID_VIN, model_year=NEXT_YEAR), id="vin-code39-I"),
        pytest.param(vehicle(vin="lsvau218-xn2183294", model_year=1980), id="vin-separators"),
    ],
)
async def test_the_largest_accepted_values_fit_their_columns(client, staff, body):
    """The limits are the columns': what validation lets through is stored on both engines."""
    r = await client.post("/api/applications", json=body, headers=staff)
    assert r.status_code == 201, r.text


VALUATIONS = [
    pytest.param({"model_year": 10**30}, INVALID, id="model_year-1e30"),
    pytest.param({"model_year": 2**31}, INVALID, id="model_year-2^31"),
    pytest.param({"model_year": NEXT_YEAR + 1}, (422, "valuation_input_invalid"),
                 id="model_year-after-next-year"),
    pytest.param({"mileage_km": -1}, INVALID, id="mileage-negative"),
    pytest.param({"as_of": "9999-12-31"}, INVALID, id="as_of-9999"),
    pytest.param({"as_of": "0001-01-01"}, INVALID, id="as_of-year-1"),
    pytest.param({"model_id": "saicvw-lavida\u0000"}, INVALID, id="model_id-nul"),
]  # fmt: skip


@pytest.mark.parametrize(("over", "expected"), VALUATIONS)
async def test_valuation_refuses(client, rows, staff, over, expected):
    body = {"model_id": "saicvw-lavida", "model_year": 2021, "mileage_km": 1000, **over}
    before = await rows()
    r = await client.post("/api/valuations", json=body, headers=staff)
    await assert_refused(rows, r, expected, before)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(quote_request(start_date="9999-12-31"), id="start-9999"),
        pytest.param(quote_request(start_date="0001-01-01"), id="start-year-1"),
    ],
)
async def test_quote_refuses_dates_out_of_range(client, staff, body):
    r = await client.post("/api/quotes", json=body, headers=staff)
    assert 400 <= r.status_code < 500 and r.json()["code"], r.text


LOGINS = [
    pytest.param({"username": "st\u0000aff", "password": "demo"}, id="username-nul"),
    pytest.param({"username": "staff\u001b", "password": "demo"}, id="username-escape"),
    pytest.param({"username": "s" * 65, "password": "demo"}, id="username-65"),
    pytest.param({"username": "staff", "password": "p" * 257}, id="password-257"),
    pytest.param({"refresh_token": "a\u0000b"}, id="refresh-nul"),
]


@pytest.mark.parametrize("body", LOGINS)
async def test_sign_in_refuses_text_the_columns_cannot_hold(client, rows, body):
    path = "/api/auth/refresh" if "refresh_token" in body else "/api/auth/login"
    before = await rows()
    r = await client.post(path, json=body)
    await assert_refused(rows, r, INVALID, before)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        pytest.param("/api/reviews/{id}", {"decision": "approve", "note": "ok\u0000"},
                     id="review-note-nul"),
        pytest.param("/api/risk/rulesets/{id}/publish", {"reason": "why\u0000"},
                     id="publish-reason-nul"),
        pytest.param("/api/risk/rulesets/{id}/rollback", {"reason": "a\u0007b"},
                     id="rollback-reason-bell"),
        pytest.param("/api/risk/rulesets", {"from_id": "x\u0000"}, id="ruleset-from-nul"),
    ],
)  # fmt: skip
async def test_risk_texts_refuse_control_characters(client, rows, path, body):
    risk = await login(client, "risk")
    before = await rows()
    r = await client.post(path.format(id="0" * 32), json=body, headers=risk)
    await assert_refused(rows, r, INVALID, before)


async def test_multi_line_notes_are_still_accepted(client):
    risk = await login(client, "risk")
    r = await client.post(
        f"/api/reviews/{'0' * 32}",
        json={"decision": "approve", "note": "第一行\n第二行\tok"},
        headers=risk,
    )
    assert r.status_code == 404, r.text  # past validation: the application does not exist
