"""Partner products on the same engines 产业链合作方产品: a company's receivable, freight or
charging piles is filed as a draft of its family, quoted on a product of that family at the asset's
amount, completed with the family's papers, decided by the family's rule set and turned into a
contract whose asset section lists what is financed — on both databases."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from backend.products.seeded import CHARGING_PILE, FREIGHT_ADVANCE, NEW_DIRECT, SUPPLIER_FINANCE
from backend.risk.family_rulesets import CORE_DEBTORS
from common.business_day import business_date
from tests.backend.contracts.conftest import pdf_pages
from tests.backend.contracts.flow import contract_for
from tests.backend.helpers import login
from tests.backend.intake.test_applications_api import jpeg

SUPPLIER = "91320505MA1MXK3P7R"  # sandbox personas with clean files (backend.providers.personas)
CARRIER = "91420100MA4KQ1L084"
OPERATOR = "91310115MA1H7UQ264"
SHIPPER = "91440101MA5CJ8WQ3R"
TODAY = business_date(datetime.now(UTC))  # the intake's day (Asia/Shanghai), not the UTC one


def company(uscc: str, name: str = "苏州精工汽车零部件有限公司") -> dict[str, Any]:
    return {
        "kind": "company", "name": name, "id_number": uscc, "mobile": "13901029999",
        "region_code": "320505", "representative_name": "王建华",
        "representative_id_number": "310104199508150080",
    }  # fmt: skip


def receivable(**over: Any) -> dict[str, Any]:
    body = {
        "type": "receivable", "debtor_name": "华东汽车集团有限公司", "debtor_uscc": CORE_DEBTORS[0],
        "invoice_number": "3100254130-00428816",
        "invoice_date": (TODAY - timedelta(days=3)).isoformat(),
        "due_date": (TODAY + timedelta(days=80)).isoformat(), "amount": "500000",
    }  # fmt: skip
    return {**body, **over}


def freight(**over: Any) -> dict[str, Any]:
    body = {
        "type": "freight", "shipper_name": "广州华南汽车零部件有限公司", "shipper_uscc": SHIPPER,
        "waybill_number": "SD2026120300187", "route": "广州—武汉",
        "delivered_on": (TODAY - timedelta(days=1)).isoformat(),
        "due_date": (TODAY + timedelta(days=60)).isoformat(), "amount": "186000",
    }  # fmt: skip
    return {**body, **over}


def equipment(**over: Any) -> dict[str, Any]:
    body = {
        "type": "equipment", "model": "GreenVolt DC-120kW",
        "serial_numbers": [f"GV120-{n:04d}" for n in range(1, 13)],
        "site_address": "上海市浦东新区川沙路5558号", "region_code": "310115", "price": "576000",
    }  # fmt: skip
    return {**body, **over}


def quote(product_id: str, price: str, down: str, term: int, method: str) -> dict[str, Any]:
    return {
        "product_id": product_id, "price": price, "down_payment": down, "term_months": term,
        "method": method, "start_date": TODAY.isoformat(),
    }  # fmt: skip


CASES = {
    "supplier_finance": (SUPPLIER, receivable(), quote(SUPPLIER_FINANCE, "500000", "100000", 3,
                                                       "interest_only"), "invoice"),
    "freight_advance": (CARRIER, freight(), quote(FREIGHT_ADVANCE, "186000", "18600", 3,
                                                  "interest_only"), "waybill"),
    "charging_pile": (OPERATOR, equipment(), quote(CHARGING_PILE, "576000", "115200", 36,
                                                   "annuity"), "equipment"),
}  # fmt: skip


@pytest.fixture
async def staff(client):
    return await login(client, "staff")


async def draft(client, staff, family: str, **body: Any) -> dict[str, Any]:
    r = await client.post(
        "/api/applications", json={"product_family": family, **body}, headers=staff
    )
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


async def photos(client, staff, app_id: str, kinds: list[str]) -> None:
    for kind in kinds:
        p = await client.put(
            f"/api/applications/{app_id}/photos/{kind}", content=jpeg(160, 120),
            headers={**staff, "Content-Type": "image/jpeg"},
        )  # fmt: skip
        assert p.status_code == 201, p.text


async def test_a_partner_draft_needs_its_asset_a_company_and_the_familys_papers_not_a_vin(
    client, staff
):
    view = await draft(client, staff, "freight_advance")
    assert view["product_family"] == "freight_advance" and view["asset"] is None
    missing = {m["field"]: m["code"] for m in view["missing"]}
    assert missing["asset"] == "asset_missing" and "vehicle.vin" not in missing
    assert {"photos.waybill", "photos.business_licence"} <= set(missing)
    assert "photos.vehicle" not in missing
    r = await client.patch(
        f"/api/applications/{view['id']}",
        json={"customer": {"kind": "person", "name": "张三", "id_number": "11010519491231002X",
                           "mobile": "13812345678"}},
        headers=staff,
    )  # fmt: skip
    assert {m["field"]: m["code"] for m in r.json()["missing"]}["customer.kind"] == (
        "company_required"
    )


@pytest.mark.parametrize("family", sorted(CASES))
async def test_a_partner_application_goes_from_draft_to_approved_to_a_contract_with_its_asset(
    client, staff, family, tmp_path
):
    uscc, asset, chosen, document = CASES[family]
    view = await draft(client, staff, family, asset=asset, customer=company(uscc), quote=chosen)
    assert view["asset"]["type"] == asset["type"] and view["product"]["family"] == family
    kinds = ["business_licence", "id_front", "id_back", "customer_face", document]
    await photos(client, staff, view["id"], kinds)
    r = await client.get(f"/api/applications/{view['id']}", headers=staff)
    assert r.json()["missing"] == []
    r = await client.post(f"/api/applications/{view['id']}/submit", headers=staff)
    assert r.status_code == 200, r.text
    decided = r.json()
    assert decided["status"] == "approved", decided["decision"]
    assert decided["decision"]["ruleset_version"] == 1  # the family's own v1, not the vehicles'
    contract = await contract_for(client, view["id"])
    link = (await client.post(f"/api/contracts/{contract['id']}/pdf-link", headers=staff)).json()
    pdf = await client.get(link["url"].removeprefix("http://testserver.local"))
    assert pdf.status_code == 200
    text = "".join(pdf_pages(pdf.content, tmp_path))
    assert "融资标的" in text and "车辆识别代号" not in text
    # worded by the family's own template, with none of the car lease's clauses
    assert f"模板：{family.replace('_', '-')}-standard 第1版" in text
    flat = re.sub(r"\s+", "", text)
    assert "车载定位装置" not in flat and "机动车" not in flat and "经销商" not in flat
    if family == "supplier_finance":
        assert "华东汽车集团有限公司" in text and "3100254130-00428816" in text
        assert "应收账款转让" in flat and "追索权" in flat and "卖方的陈述与保证" in flat
    elif family == "freight_advance":
        assert "SD2026120300187" in text and "广州—武汉" in text
        assert "运费应收款质押" in flat and "经收货人签收" in flat
    else:
        assert "GV120-0001" in text and "GV120-0012" in text and "12台" in text
        assert "安装地点" in flat and "租赁期满的处理" in flat
        # the seeded charging-pile product shares 15 % of the revenue, reported in 10 days
        assert "电费分账" in flat and "当月电费收入的15%" in flat and "结束后10日内" in flat


async def test_the_family_is_chosen_on_create_and_never_changes(client, staff):
    view = await draft(client, staff, "supplier_finance")
    same = await client.patch(
        f"/api/applications/{view['id']}", json={"product_family": "supplier_finance"},
        headers=staff,
    )  # fmt: skip
    assert same.status_code == 200, same.text
    r = await client.patch(
        f"/api/applications/{view['id']}", json={"product_family": "vehicle"}, headers=staff
    )
    assert (r.status_code, r.json()["code"]) == (422, "product_family_fixed")


@pytest.mark.parametrize(
    ("family", "body", "code"),
    [
        pytest.param("supplier_finance", {"asset": freight()}, "asset_kind_differs",
                     id="freight-on-supplier-finance"),
        pytest.param("vehicle", {"asset": receivable()}, "asset_not_applicable",
                     id="asset-on-vehicle"),
        pytest.param("charging_pile", {"vehicle": {"vin": "LSVAU218XN2183294"}},
                     "vehicle_not_applicable", id="vehicle-on-charging-pile"),
        pytest.param("supplier_finance", {"asset": receivable(debtor_uscc="91310000MA1FL0HX45")},
                     "uscc_checksum", id="debtor-uscc-checksum"),
        pytest.param("supplier_finance", {"asset": receivable(amount="0")},
                     "asset_amount_invalid", id="amount-zero"),
        pytest.param("supplier_finance",
                     {"asset": receivable(invoice_date=(TODAY + timedelta(days=1)).isoformat())},
                     "asset_date_in_future", id="invoice-tomorrow"),
        pytest.param("freight_advance",
                     {"asset": freight(due_date=(TODAY - timedelta(days=5)).isoformat())},
                     "asset_due_before_issue", id="due-before-delivery"),
        pytest.param("charging_pile", {"asset": equipment(serial_numbers=["A-1", "a-1"])},
                     "serial_number_repeated", id="serials-repeated"),
    ],
)  # fmt: skip
async def test_an_asset_that_does_not_fit_is_refused_with_its_code(client, staff, family, body,
                                                                     code):  # fmt: skip
    r = await client.post(
        "/api/applications", json={"product_family": family, **body}, headers=staff
    )
    assert (r.status_code, r.json()["code"]) == (422, code), r.text


@pytest.mark.parametrize(
    ("due_in_days", "code"),
    [(0, "receivable_already_due"), (-1, "asset_due_before_issue"),
     (400, "receivable_due_beyond_term")],
)  # fmt: skip
async def test_a_receivable_due_already_or_beyond_the_longest_term_is_not_financed(
    client, staff, due_in_days, code
):
    asset = receivable(
        invoice_date=(TODAY - timedelta(days=3)).isoformat(),
        due_date=(TODAY + timedelta(days=due_in_days)).isoformat(),
    )
    if due_in_days < 0:  # due before it was invoiced: refused with the asset itself
        asset["invoice_date"] = TODAY.isoformat()
    body = {"asset": asset, "quote": CASES["supplier_finance"][2]}
    r = await client.post(
        "/api/applications", json={"product_family": "supplier_finance", **body}, headers=staff
    )
    assert (r.status_code, r.json()["code"]) == (422, code), r.text


async def test_a_partner_quote_is_on_the_assets_amount_and_on_a_product_of_its_family(
    client, staff
):
    view = await draft(client, staff, "supplier_finance", asset=receivable())
    path = f"/api/applications/{view['id']}"
    other = quote(SUPPLIER_FINANCE, "480000", "96000", 3, "interest_only")
    r = await client.patch(path, json={"quote": other}, headers=staff)
    assert (r.status_code, r.json()["code"]) == (422, "quote_price_differs")
    vehicle = quote(NEW_DIRECT, "500000", "100000", 36, "annuity")
    r = await client.patch(path, json={"quote": vehicle}, headers=staff)
    assert (r.status_code, r.json()["code"]) == (422, "product_family_differs")
    too_much = quote(SUPPLIER_FINANCE, "500000", "50000", 3, "interest_only")  # 90 % advanced
    r = await client.patch(path, json={"quote": too_much}, headers=staff)
    assert (r.status_code, r.json()["code"]) == (422, "down_payment_below_minimum")
    r = await client.patch(path, json={"quote": CASES["supplier_finance"][2]}, headers=staff)
    assert r.status_code == 200, r.text
    schedule = r.json()["quote"]
    assert schedule["principal"] == "400000.00"  # 80 % of the receivable


async def test_a_vehicle_quote_cannot_use_a_partner_product(client, staff):
    r = await client.post(
        "/api/applications",
        json={"vehicle": {"vin": "LSVAU218XN2183294", "price": "500000", "is_new": True},
              "quote": quote(SUPPLIER_FINANCE, "500000", "100000", 3, "interest_only")},
        headers=staff,
    )  # fmt: skip
    assert (r.status_code, r.json()["code"]) == (422, "product_family_differs")
