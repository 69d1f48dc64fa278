"""A partner application's family and asset, malformed or beyond their columns: a 4xx with a
stable code on both engines, nothing written — on create and on patch of a draft."""

from __future__ import annotations

from typing import Any

import pytest

from tests.backend.bad_input.test_fields import INVALID, assert_refused
from tests.backend.helpers import login
from tests.backend.intake.test_partner_applications import equipment, freight, receivable

CJK = "华"


def supplier(**asset: Any) -> dict[str, Any]:
    return {"product_family": "supplier_finance", "asset": receivable(**asset)}


def carrier(**asset: Any) -> dict[str, Any]:
    return {"product_family": "freight_advance", "asset": freight(**asset)}


def operator(**asset: Any) -> dict[str, Any]:
    return {"product_family": "charging_pile", "asset": equipment(**asset)}


MONEY = (422, "money_invalid")
CASES = [
    pytest.param({"product_family": "factoring"}, INVALID, id="family-unknown"),
    pytest.param({"product_family": "supplier_finance", "asset": {"type": "bond"}}, INVALID,
                 id="asset-unknown-type"),
    pytest.param({"product_family": "supplier_finance", "asset": {**receivable(), "x": 1}},
                 (400, "unknown_field"), id="asset-unknown-field"),
    pytest.param(supplier(debtor_name=""), INVALID, id="debtor-empty"),
    pytest.param(supplier(debtor_name="华东\u0000汽车"), INVALID, id="debtor-nul"),
    pytest.param(supplier(debtor_name=CJK * 101), INVALID, id="debtor-101"),
    pytest.param(supplier(debtor_uscc="９１３１００００ＭＡ１ＦＬ０ＨＸ４Ｈ"), INVALID,
                 id="debtor-uscc-fullwidth"),
    pytest.param(supplier(debtor_uscc="9" * 41), INVALID, id="debtor-uscc-41"),
    pytest.param(supplier(debtor_uscc="91310000MA1FL0HX4"), (422, "uscc_length"),
                 id="debtor-uscc-17"),
    pytest.param(supplier(invoice_number="N" * 41), INVALID, id="invoice-number-41"),
    pytest.param(supplier(invoice_number="12\n34"), INVALID, id="invoice-number-newline"),
    pytest.param(supplier(invoice_date="9999-12-31"), INVALID, id="invoice-date-9999"),
    pytest.param(supplier(due_date="0001-01-01"), INVALID, id="due-date-year-1"),
    pytest.param(supplier(amount="１００００"), MONEY, id="amount-fullwidth"),
    pytest.param(supplier(amount="10000000000000000"), MONEY, id="amount-1e16"),
    pytest.param(supplier(amount="100.001"), MONEY, id="amount-three-decimals"),
    pytest.param(supplier(amount="-5"), (422, "asset_amount_invalid"), id="amount-negative"),
    pytest.param(supplier(amount=500000), INVALID, id="amount-a-number"),
    pytest.param(carrier(route="R" * 201), INVALID, id="route-201"),
    pytest.param(carrier(waybill_number=""), INVALID, id="waybill-empty"),
    pytest.param(carrier(shipper_uscc="91440101MA5CJ8WQ3X"), (422, "uscc_checksum"),
                 id="shipper-uscc-checksum"),
    pytest.param(operator(serial_numbers=[]), INVALID, id="serials-none"),
    pytest.param(operator(serial_numbers=[f"S{n}" for n in range(201)]), INVALID,
                 id="serials-201"),
    pytest.param(operator(serial_numbers=["GV120-Ä1"]), INVALID, id="serial-non-ascii"),
    pytest.param(operator(serial_numbers=["S" * 41]), INVALID, id="serial-41"),
    pytest.param(operator(region_code="31011"), INVALID, id="region-5-digits"),
    pytest.param(operator(region_code="３１０１１５"), INVALID, id="region-fullwidth"),
    pytest.param(operator(site_address="A" * 201), INVALID, id="site-201"),
    pytest.param(operator(price="0"), (422, "asset_amount_invalid"), id="price-zero"),
]  # fmt: skip


@pytest.fixture
async def staff(client):
    return await login(client, "staff")


@pytest.mark.parametrize(("body", "expected"), CASES)
async def test_create_refuses(client, rows, staff, body, expected):
    before = await rows()
    r = await client.post("/api/applications", json=body, headers=staff)
    await assert_refused(rows, r, expected, before)


@pytest.mark.parametrize(("body", "expected"), CASES)
async def test_patch_refuses(client, rows, staff, body, expected):
    family = body.get("product_family", "vehicle")
    if family not in ("supplier_finance", "freight_advance", "charging_pile"):
        family = "supplier_finance"
    draft = (
        await client.post("/api/applications", json={"product_family": family}, headers=staff)
    ).json()
    before = await rows()
    r = await client.patch(f"/api/applications/{draft['id']}", json=body, headers=staff)
    await assert_refused(rows, r, expected, before)
    after = (await client.get(f"/api/applications/{draft['id']}", headers=staff)).json()
    assert after["version"] == draft["version"] and after["asset"] is None


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(supplier(debtor_name=CJK * 100, invoice_number="N" * 40), id="longest-texts"),
        pytest.param(operator(serial_numbers=[f"GV-{n:036d}" for n in range(200)],
                              site_address=CJK * 200, model=CJK * 100), id="200-serials"),
        pytest.param(carrier(route=CJK * 200, shipper_name=CJK * 100), id="longest-route"),
    ],
)  # fmt: skip
async def test_the_largest_accepted_assets_are_stored_on_both_engines(client, staff, body):
    r = await client.post("/api/applications", json=body, headers=staff)
    assert r.status_code == 201, r.text
    assert r.json()["asset"] == body["asset"]
