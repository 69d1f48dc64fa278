"""Applications through the API: drafts, idempotency, patches, completeness, photos, submit."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.backend.helpers import VALID_VIN, create_product, login, person, quote_request


def jpeg(w: int = 640, h: int = 480, color: str = "steelblue") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), color).save(buf, "JPEG")
    return buf.getvalue()


@pytest.fixture
async def staff(client):
    return await login(client, "staff")


async def create(client, headers, body=None, key=None):
    h = dict(headers)
    if key:
        h["Idempotency-Key"] = key
    return await client.post("/api/applications", json=body or {}, headers=h)


async def complete_application(client, headers) -> str:
    r = await create(
        client,
        headers,
        {
            "vehicle": {"vin": VALID_VIN, "price": "125000", "is_new": True},
            "customer": person(),
            "quote": quote_request(),
        },
    )
    assert r.status_code == 201, r.text
    app_id = r.json()["id"]
    for kind in ("id_front", "id_back", "customer_face", "driving_licence", "vehicle"):
        p = await client.put(
            f"/api/applications/{app_id}/photos/{kind}",
            content=jpeg(),
            headers={**headers, "Content-Type": "image/jpeg"},
        )
        assert p.status_code == 201, p.text
    return app_id


async def test_a_draft_starts_empty_and_lists_what_is_missing(client, staff):
    r = await create(client, staff)
    assert r.status_code == 201
    body = r.json()
    assert body["status"] == "draft" and body["version"] == 1
    fields = {m["field"] for m in body["missing"]}
    assert {"vehicle.vin", "customer", "photos.id_front", "quote"} <= fields


async def test_same_idempotency_key_and_body_returns_the_same_draft(client, staff):
    a = await create(client, staff, {"lease_type": "sale_leaseback"}, key="k-1")
    b = await create(client, staff, {"lease_type": "sale_leaseback"}, key="k-1")
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] == b.json()["id"]
    listed = (await client.get("/api/applications", headers=staff)).json()
    assert len(listed) == 1


async def test_same_key_with_a_different_body_is_a_conflict(client, staff):
    await create(client, staff, {"lease_type": "sale_leaseback"}, key="k-2")
    r = await create(client, staff, {"lease_type": "direct_lease"}, key="k-2")
    assert r.status_code == 409 and r.json()["code"] == "idempotency_key_reused"


async def test_customer_pii_is_masked_in_responses(client, staff):
    r = await create(client, staff, {"customer": person()})
    c = r.json()["customer"]
    assert c["id_number"] == "1101**********002X"
    assert c["mobile"] == "138****5678"
    assert "张三" not in r.text and "13812345678" not in r.text


async def test_patch_updates_and_stale_version_conflicts(client, staff):
    app = (await create(client, staff)).json()
    r = await client.patch(
        f"/api/applications/{app['id']}",
        headers=staff,
        json={"vehicle": {"vin": VALID_VIN}, "version": app["version"]},
    )
    assert r.status_code == 200, r.text
    assert r.json()["vehicle"]["vin_valid"] is True and r.json()["vehicle"]["maker"]
    stale = await client.patch(
        f"/api/applications/{app['id']}",
        headers=staff,
        json={"lease_type": "sale_leaseback", "version": app["version"]},
    )
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"


async def test_quote_is_computed_and_kept_with_its_product_version(client, staff):
    product_id = await create_product(client)  # 6 %, no fees: the engine's worked example
    vehicle = {"vin": VALID_VIN, "price": "125000", "is_new": True}
    r = await create(
        client, staff, {"vehicle": vehicle, "quote": quote_request(product_id=product_id)}
    )
    assert r.status_code == 201, r.text
    body = r.json()
    q = body["quote"]
    assert q["monthly_payment"] == "3042.19" and q["principal"] == "100000.00"
    assert q["annualised_rate_percent"] == "6.00"
    assert body["product"]["id"] == product_id and body["product"]["version"] == 1
    assert body["product_quote"]["down_payment"] == "25000"


async def test_a_quote_on_another_price_than_the_vehicles_is_refused(client, staff):
    vehicle = {"vin": VALID_VIN, "price": "150000", "is_new": True}
    r = await create(client, staff, {"vehicle": vehicle, "quote": quote_request()})
    assert r.status_code == 422 and r.json()["code"] == "quote_price_differs"
    assert r.json()["fields"] == {"quote.price": "quote_price_differs"}


async def test_invalid_quote_is_refused_with_a_code_and_nothing_saved(client, staff):
    r = await create(client, staff, {"quote": quote_request(term_months=0)}, key="bad-quote")
    assert r.status_code in (400, 422) and r.json()["code"]
    assert (await client.get("/api/applications", headers=staff)).json() == []


async def test_submit_lists_what_is_missing_field_by_field(client, staff):
    app = (await create(client, staff, {"vehicle": {"vin": "LSVAU2180N2183294"}})).json()
    r = await client.post(f"/api/applications/{app['id']}/submit", headers=staff)
    assert r.status_code == 422
    problem = r.json()
    assert problem["code"] == "application_incomplete"
    assert "vehicle.vin" in problem["fields"] and "photos.id_front" in problem["fields"]
    assert (await client.get(f"/api/applications/{app['id']}", headers=staff)).json()[
        "status"
    ] == "draft"


async def test_a_complete_application_is_submitted_and_decided_once(client, staff):
    app_id = await complete_application(client, staff)
    r = await client.post(f"/api/applications/{app_id}/submit", headers=staff)
    assert r.status_code == 200, r.text
    # The rule engine decides at once (issue 5): this VIN matches no single catalogue model and
    # the applicant is too old at term end, so it is declined, with its reasons.
    assert r.json()["status"] == "declined" and r.json()["submitted_at"]
    assert "vehicle_not_in_catalogue" in {x["code"] for x in r.json()["decision"]["reasons"]}
    again = await client.post(f"/api/applications/{app_id}/submit", headers=staff)
    assert again.status_code == 200 and again.json()["status"] == "declined"
    assert len((await client.get("/api/applications", headers=staff)).json()) == 1
    locked = await client.patch(
        f"/api/applications/{app_id}", headers=staff, json={"lease_type": "sale_leaseback"}
    )
    assert locked.status_code == 409 and locked.json()["code"] == "application_not_draft"


async def test_dealer_admin_sees_the_shops_applications(client, staff):
    app_id = await complete_application(client, staff)
    dealer = await login(client, "dealer")
    ids = [a["id"] for a in (await client.get("/api/applications", headers=dealer)).json()]
    assert ids == [app_id]


@pytest.mark.parametrize("user", ["lessee", "monitor"])
async def test_roles_outside_intake_cannot_create(client, user):
    r = await create(client, await login(client, user))
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


async def test_unknown_fields_and_wrong_types_are_refused(client, staff):
    r = await create(client, staff, {"surprise": 1})
    assert r.status_code == 400 and r.json()["code"] == "unknown_field"
    r = await create(client, staff, {"customer": {"kind": "person", "name": 5}})
    assert r.status_code == 400


async def test_oversized_json_body_is_413(client, staff):
    r = await client.post(
        "/api/applications",
        content=b'{"a":"' + b"x" * 400_000 + b'"}',
        headers={**staff, "Content-Type": "application/json"},
    )
    assert r.status_code == 413 and r.json()["code"] == "body_too_large"


async def test_concurrent_drafts_for_one_customer_all_succeed_with_one_customer_row(
    client, staff, settings
):
    """Truly concurrent requests (an app on this test's event loop, a pool of connections on
    PostgreSQL): the customer and the audit chain's first tip are each created once."""
    import asyncio

    import httpx
    import sqlalchemy as sa

    from backend.app import create_app
    from backend.db.models import AuditEvent, AuditHead, Customer

    app = create_app(settings)
    engine = app.state.engine
    async with engine.begin() as conn:  # an empty chain: the first tip is raced for as well
        await conn.execute(sa.delete(AuditEvent))
        await conn.execute(sa.delete(AuditHead))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
        body = {
            "vehicle": {"vin": VALID_VIN, "price": "125000", "is_new": True},
            "customer": person(),
            "quote": quote_request(),
        }
        responses = await asyncio.gather(
            *(c.post("/api/applications", json=body, headers=staff) for _ in range(8))
        )
    assert [r.status_code for r in responses] == [201] * 8, [r.text for r in responses]
    async with engine.connect() as conn:
        assert (await conn.execute(sa.select(sa.func.count()).select_from(Customer))).scalar() == 1
    await engine.dispose()
