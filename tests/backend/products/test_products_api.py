"""Products through the API: who may change them, versions, audit, and their limits enforced on
the quote and again on submit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from backend.db.models import AuditEvent, ProductVersion, RiskDecision
from backend.db.session import make_engine
from tests.backend.helpers import (
    VALID_ID,
    VALID_VIN,
    create_product,
    login,
    person,
    product_definition,
    quote_request,
)
from tests.backend.intake.test_applications_api import jpeg

VEHICLE_PRODUCTS = {"p-new-direct-36", "p-used-leaseback", "p-light-truck", "p-nev-promo",
                    "p-cold-chain", "p-heavy-truck"}  # fmt: skip
PARTNER_PRODUCTS = {"p-supplier-finance", "p-freight-advance", "p-charging-pile"}
SEEDED = VEHICLE_PRODUCTS | PARTNER_PRODUCTS


@pytest.fixture
async def staff(client):
    return await login(client, "staff")


@pytest.fixture
async def admin(client):
    return await login(client, "admin")


async def test_clerks_see_the_seeded_products_with_their_terms(client, staff):
    r = await client.get("/api/products", headers=staff)
    assert r.status_code == 200, r.text
    products = {p["id"]: p for p in r.json()}
    assert set(products) == SEEDED
    new = products["p-new-direct-36"]
    assert [t["term_months"] for t in new["terms"]] == [12, 24, 36]
    assert new["definition"]["name_zh"] == "新车直租 36期" and new["version"] == 1


async def test_the_list_filters_by_vehicle(client, staff):
    used = await client.get("/api/products?is_new=false&vehicle_type=passenger", headers=staff)
    assert [p["id"] for p in used.json()] == ["p-used-leaseback"]
    nev = await client.get("/api/products?is_new=true&vehicle_type=nev", headers=staff)
    assert {p["id"] for p in nev.json()} == {"p-new-direct-36", "p-nev-promo"}
    cold = await client.get("/api/products?is_new=false&vehicle_type=cold_chain", headers=staff)
    assert [p["id"] for p in cold.json()] == ["p-cold-chain"]


async def test_the_list_filters_by_family(client, staff):
    r = await client.get("/api/products?family=vehicle", headers=staff)
    assert {p["id"] for p in r.json()} == VEHICLE_PRODUCTS
    for family, product_id in (("supplier_finance", "p-supplier-finance"),
                               ("freight_advance", "p-freight-advance"),
                               ("charging_pile", "p-charging-pile")):  # fmt: skip
        r = await client.get("/api/products", params={"family": family}, headers=staff)
        [product] = r.json()
        assert product["id"] == product_id and product["definition"]["family"] == family
        assert product["definition"]["vehicle_types"] == []
    r = await client.get("/api/products?family=factoring", headers=staff)
    assert r.status_code == 400, r.text


async def test_a_partner_product_is_defined_without_vehicles(client, admin):
    body = product_definition(family="freight_advance", conditions=[], vehicle_types=[],
                              methods=["interest_only"], timings=["arrears"],
                              balloon_max_percent="0")  # fmt: skip
    r = await client.post("/api/products", json={"definition": body, "reason": "运费垫付"},
                          headers=admin)  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["definition"]["family"] == "freight_advance"
    body["methods"] = ["annuity"]
    r = await client.post("/api/products", json={"definition": body, "reason": "运费垫付"},
                          headers=admin)  # fmt: skip
    assert (r.status_code, r.json()["fields"]) == (422, {"methods": "methods_invalid"}), r.text


@pytest.mark.parametrize("user", ["staff", "dealer", "lessee", "monitor"])
async def test_only_the_lessors_managers_change_products(client, user):
    headers = await login(client, user)
    body = {"definition": product_definition(), "reason": "想改"}
    assert (await client.post("/api/products", json=body, headers=headers)).status_code == 403
    retire = {"reason": "想下架"}
    r = await client.post("/api/products/p-new-direct-36/retire", json=retire, headers=headers)
    assert r.status_code == 403
    new = {**body, "based_on_version": 1}
    r = await client.post("/api/products/p-new-direct-36/versions", json=new, headers=headers)
    assert r.status_code == 403


@pytest.mark.parametrize("user", ["risk", "admin"])
async def test_risk_officers_and_admins_create_products(client, user):
    headers = await login(client, user)
    body = {"definition": product_definition(), "reason": "新产品"}
    r = await client.post("/api/products", json=body, headers=headers)
    assert r.status_code == 201, r.text
    assert r.json()["version"] == 1 and r.json()["active_version"] == 1


async def test_a_bad_definition_names_every_problem_and_writes_nothing(client, admin, settings):
    body = product_definition(
        min_down_payment_percent="70", max_down_payment_percent="20", default_term_months=48,
        methods=["annuity", "flat"], deposit_percent="５",
    )  # fmt: skip
    r = await client.post("/api/products", json={"definition": body, "reason": "x"}, headers=admin)
    assert r.status_code == 422 and r.json()["code"] == "product_invalid"
    assert {"min_down_payment_percent", "default_term_months", "methods", "deposit_percent"} <= set(
        r.json()["fields"]
    )
    engine = make_engine(settings.database_url)
    async with engine.connect() as conn:
        count = await conn.scalar(sa.select(sa.func.count()).select_from(ProductVersion))
    await engine.dispose()
    assert count == len(SEEDED)


@pytest.mark.parametrize(
    "over",
    [
        {"name_zh": "产\u0000品"},
        {"name_en": "x" * 101},
        {"rates": [{"term_months": 2**63, "annual_rate_percent": "6"}]},
        {"min_applicant_age": -1},
        {"vehicle_types": ["toy_car"]},
    ],
)
async def test_a_malformed_definition_is_a_400(client, admin, over):
    body = {"definition": product_definition(**over), "reason": "x"}
    r = await client.post("/api/products", json=body, headers=admin)
    assert r.status_code == 400 and r.json()["code"], r.text


async def test_a_new_version_is_active_at_once_audited_and_older_ones_stay(
    client, admin, staff, settings
):
    p = "p-new-direct-36"
    old = (await client.get(f"/api/products/{p}", headers=admin)).json()["definition"]
    cheaper = {**old, "rates": [{"term_months": 36, "annual_rate_percent": "5.5"}]}
    body = {"definition": cheaper, "based_on_version": 1, "reason": "降息"}
    r = await client.post(f"/api/products/{p}/versions", json=body, headers=admin)
    assert r.status_code == 201, r.text
    assert r.json()["version"] == 2
    shown = (await client.get(f"/api/products/{p}", headers=staff)).json()
    assert shown["version"] == 2 and [t["term_months"] for t in shown["terms"]] == [36]
    v1 = await client.get(f"/api/products/{p}?version=1", headers=admin)
    assert v1.json()["definition"]["rates"] == old["rates"]
    assert (await client.get(f"/api/products/{p}?version=1", headers=staff)).status_code == 404
    # another edit based on version 1 lost the race
    stale = await client.post(f"/api/products/{p}/versions", json=body, headers=admin)
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    versions = await client.get(f"/api/products/{p}/versions", headers=admin)
    assert [v["version"] for v in versions.json()] == [2, 1]
    engine = make_engine(settings.database_url)
    async with engine.connect() as conn:
        actions = (
            await conn.scalars(
                sa.select(AuditEvent.action)
                .where(AuditEvent.entity_id == p)
                .order_by(AuditEvent.seq)
            )
        ).all()
    await engine.dispose()
    assert actions == ["product.created", "product.versioned"]


async def test_retired_products_are_not_sold_and_can_come_back(client, admin, staff):
    p = "p-heavy-truck"
    r = await client.post(f"/api/products/{p}/retire", json={"reason": "停售"}, headers=admin)
    assert r.status_code == 200 and r.json()["retired"] is True
    listed = {x["id"] for x in (await client.get("/api/products", headers=staff)).json()}
    assert p not in listed
    assert (await client.get(f"/api/products/{p}", headers=staff)).status_code == 404
    quote = quote_request(product_id=p, price="400000", down_payment="100000")
    r = await client.post("/api/quotes", json=quote, headers=staff)
    assert r.status_code == 409 and r.json()["code"] == "product_retired"
    back = {"version": 1, "reason": "恢复销售"}
    r = await client.post(f"/api/products/{p}/activate", json=back, headers=admin)
    assert r.status_code == 200 and r.json()["retired"] is False
    assert (await client.post("/api/quotes", json=quote, headers=staff)).status_code == 200


LIMITS = [
    ({"term_months": 48}, "product_term_not_offered", "term_months"),
    ({"down_payment": "24999.99"}, "down_payment_below_minimum", "down_payment"),
    ({"down_payment": "75000.01"}, "down_payment_above_maximum", "down_payment"),
    ({"down_payment": "125000"}, "down_payment_above_price", "down_payment"),
    ({"method": "interest_only"}, "method_not_offered", "method"),
    ({"timing": "advance"}, "timing_not_offered", "timing"),
    ({"price": "30000", "down_payment": "6000"}, "financed_below_minimum", "down_payment"),
    ({"is_new": False}, "product_not_for_vehicle", "product_id"),
]


@pytest.mark.parametrize(("over", "code", "field"), LIMITS)
async def test_a_quote_outside_the_product_is_422_on_the_field(client, staff, over, code, field):
    r = await client.post("/api/quotes", json=quote_request(**over), headers=staff)
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["code"] == code and problem["fields"] == {field: code}
    assert problem["title"] and problem["detail"] and problem["title"] != problem["detail"]


async def test_a_quote_within_the_product_uses_its_rate_fees_and_deposit(client, staff):
    r = await client.post("/api/quotes", json=quote_request(), headers=staff)
    assert r.status_code == 200, r.text
    body = r.json()
    q = body["quote"]
    assert body["product"] == {
        "id": "p-new-direct-36", "version": 1, "name_zh": "新车直租 36期",
        "name_en": "New car direct lease", "lease_type": "direct_lease", "family": "vehicle",
    }  # fmt: skip
    assert q["annual_rate_percent"] == "6.99" and q["principal"] == "100000.00"
    assert q["upfront_fees"] == "3500.00"  # GPS ¥1,500 + service 2 % of ¥100,000
    assert q["deposit"] == "0.00"
    assert q["annualised_rate_percent"] > "6.99"  # the fees count in the IRR


def _at(day: str) -> Any:
    """A service clock at noon in Shanghai on ``day`` (the seeded promotion runs to 2027-03-31)."""
    instant = datetime.fromisoformat(f"{day}T12:00:00+08:00").astimezone(UTC)
    return lambda: instant


class TestThePromotion:
    @pytest.fixture(params=["2026-12-01", "2027-03-31"])
    def clock(self, request):
        return _at(request.param)

    async def test_a_promotional_rate_applies_while_it_runs(self, client, staff):
        r = await client.get("/api/products/p-nev-promo", headers=staff)
        terms = {t["term_months"]: t for t in r.json()["terms"]}
        assert terms[36]["promo"] is True and terms[36]["annual_rate_percent"] == "2.99"
        assert terms[48]["promo"] is False and terms[48]["annual_rate_percent"] == "6.49"


class TestAfterThePromotion:
    @pytest.fixture
    def clock(self):
        return _at("2027-04-01")

    async def test_the_list_rate_applies_once_it_has_ended(self, client, staff):
        r = await client.get("/api/products/p-nev-promo", headers=staff)
        terms = {t["term_months"]: t for t in r.json()["terms"]}
        assert terms[36]["promo"] is False and terms[36]["annual_rate_percent"] != "2.99"


async def _draft(client, headers, id_number=VALID_ID, **quote_over):
    body = {
        "vehicle": {"vin": VALID_VIN, "price": "125000", "is_new": True},
        "customer": person(id_number=id_number),
        "quote": quote_request(**quote_over),
    }
    r = await client.post("/api/applications", json=body, headers=headers)
    assert r.status_code == 201, r.text
    app = r.json()
    for kind in ("id_front", "id_back", "customer_face", "driving_licence", "vehicle"):
        p = await client.put(
            f"/api/applications/{app['id']}/photos/{kind}",
            content=jpeg(),
            headers={**headers, "Content-Type": "image/jpeg"},
        )
        assert p.status_code == 201, p.text
    r = await client.get(f"/api/applications/{app['id']}", headers=headers)
    return r.json()  # with the version the photos left it at


async def test_a_draft_outside_the_product_is_refused_and_nothing_is_written(client, staff):
    body = {"vehicle": {"vin": VALID_VIN, "price": "125000", "is_new": False},
            "quote": quote_request()}  # fmt: skip
    r = await client.post("/api/applications", json=body, headers=staff)
    assert r.status_code == 422 and r.json()["code"] == "product_not_for_vehicle"
    assert (await client.get("/api/applications", headers=staff)).json() == []


async def test_submit_keeps_the_version_quoted_on(client, staff, admin, settings):
    app = await _draft(client, staff)
    old = (await client.get("/api/products/p-new-direct-36", headers=admin)).json()["definition"]
    tighter = {**old, "min_down_payment_percent": "40"}  # the draft's 20 % is below it now
    body = {"definition": tighter, "based_on_version": 1, "reason": "收紧首付"}
    assert (await client.post("/api/products/p-new-direct-36/versions", json=body,
                              headers=admin)).status_code == 201  # fmt: skip
    r = await client.post(f"/api/applications/{app['id']}/submit", headers=staff)
    assert r.status_code == 200, r.text
    assert r.json()["product"]["version"] == 1
    engine = make_engine(settings.database_url)
    async with engine.connect() as conn:
        facts = await conn.scalar(sa.select(RiskDecision.facts))
    await engine.dispose()
    assert facts["deal"]["product_min_down_payment_ratio"] == "0.2"  # the rules saw version 1
    assert facts["deal"]["product_max_term_months"] == 36


async def test_submit_rechecks_the_vehicle_and_the_product(client, staff, admin):
    app = await _draft(client, staff)
    # the vehicle became a used car after the quote: the new-car product does not cover it
    patch = {"vehicle": {"vin": VALID_VIN, "price": "125000", "is_new": False},
             "version": app["version"]}  # fmt: skip
    r = await client.patch(f"/api/applications/{app['id']}", json=patch, headers=staff)
    assert r.status_code == 200, r.text
    r = await client.post(f"/api/applications/{app['id']}/submit", headers=staff)
    assert r.status_code == 422 and r.json()["code"] == "product_not_for_vehicle"
    # another price: the quote no longer holds
    again = await _draft(client, staff)
    patch = {"vehicle": {"vin": VALID_VIN, "price": "130000"}, "version": again["version"]}
    assert (await client.patch(f"/api/applications/{again['id']}", json=patch,
                               headers=staff)).status_code == 200  # fmt: skip
    r = await client.post(f"/api/applications/{again['id']}/submit", headers=staff)
    assert r.status_code == 422 and r.json()["code"] == "quote_outdated"
    # a retired product withdraws the quotes made on it
    third = await _draft(client, staff)
    await client.post(
        "/api/products/p-new-direct-36/retire", json={"reason": "停售"}, headers=admin
    )
    r = await client.post(f"/api/applications/{third['id']}/submit", headers=staff)
    assert r.status_code == 409 and r.json()["code"] == "product_retired"
    status = (await client.get(f"/api/applications/{third['id']}", headers=staff)).json()["status"]
    assert status == "draft"


async def test_submit_refuses_an_applicant_below_the_products_minimum_age(client, staff):
    product_id = await create_product(client, min_applicant_age=60)
    old = await _draft(client, staff, product_id=product_id)  # born 1949
    assert (
        await client.post(f"/api/applications/{old['id']}/submit", headers=staff)
    ).status_code == 200
    young = await _draft(client, staff, id_number="110105199001010010", product_id=product_id)
    r = await client.post(f"/api/applications/{young['id']}/submit", headers=staff)
    assert r.status_code == 422 and r.json()["code"] == "applicant_below_minimum_age"
    assert r.json()["fields"] == {"customer.id_number": "applicant_below_minimum_age"}
