"""A submitted application keeps the customer details it was decided on.

Customers are shared per shop by ID number; filing the same ID number again with another name or
mobile makes a new customer version (audited, without personal data in the log) and leaves every
application filed with an older version as it was: its view, the list, the review queue and the
facts a decision is assembled from. Also: migration 0004 gives existing rows version 1.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest
import sqlalchemy as sa
from alembic import command

from backend.app import create_app
from backend.auth.principal import Principal
from backend.db.migrate import alembic_config, upgrade
from backend.db.models import AuditEvent, Customer, CustomerVersion
from backend.db.session import make_engine, make_sessionmaker
from backend.intake import customers
from backend.intake.applications import load
from backend.risk.facts import own_records
from common.api.auth import Role
from tests.backend.conftest import ENGINES, scratch_database
from tests.backend.helpers import login
from tests.backend.risk.helpers import BLACKLISTED, THIN_FILE, file_application, submit

RISK = Principal("r", "risk", Role.RISK_OFFICER, "org-lessor", "s")
NEW_NAME, NEW_MOBILE = "李四", "13800138000"


def refiled(id_number: str, name: str = NEW_NAME, mobile: str = NEW_MOBILE) -> dict:
    return {
        "customer": {
            "kind": "person",
            "name": name,
            "id_number": id_number,
            "mobile": mobile,
            "region_code": "110105",
        }
    }


async def events(settings, action: str) -> list[AuditEvent]:
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as db:
        rows = list(
            await db.scalars(
                sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
            )
        )
    await engine.dispose()
    return rows


async def test_a_declined_application_keeps_the_customer_it_was_decided_on(client, settings):
    staff = await login(client, "staff")
    declined_id = await file_application(client, staff, BLACKLISTED)
    declined = await submit(client, staff, declined_id)
    assert declined["status"] == "declined"
    old = declined["customer"]
    assert old["name"] == "测**户" and old["mobile"].startswith("139")

    r = await client.post("/api/applications", json=refiled(BLACKLISTED), headers=staff)
    assert r.status_code == 201, r.text
    new_draft = r.json()
    # the new draft shows the new details ...
    assert new_draft["customer"]["name"] == "李*"
    assert new_draft["customer"]["mobile"] == "138****8000"
    assert new_draft["customer"]["id"] == old["id"]  # one customer per shop and ID number
    # ... and the declined application still shows what it was decided on
    seen = (await client.get(f"/api/applications/{declined_id}", headers=staff)).json()
    assert seen["customer"] == old and seen["status"] == "declined"
    listed = {a["id"]: a for a in (await client.get("/api/applications", headers=staff)).json()}
    assert listed[declined_id]["customer_name"] == "测**户"
    assert listed[new_draft["id"]]["customer_name"] == "李*"
    as_risk = await client.get(
        f"/api/applications/{declined_id}", headers=await login(client, "risk")
    )
    assert as_risk.json()["customer"] == old

    # the new version is audited, with digests and field names, and no personal data
    created = await events(settings, "customer.version_created")
    assert [e.entity_id for e in created] == [old["id"]] * 2
    first, second = created
    assert first.before_digest is None and '"version":1' in first.detail
    assert second.before_digest and second.after_digest
    assert second.before_digest != second.after_digest
    assert '"changed":["mobile","name"]' in second.detail and '"version":2' in second.detail
    for event in created:
        text = " ".join(str(v) for v in (event.detail, event.before_digest, event.after_digest))
        for secret in (NEW_NAME, NEW_MOBILE, BLACKLISTED, "测试客户"):
            assert secret not in text
    verify = await client.get("/api/audit/verify", headers=await login(client, "admin"))
    assert verify.json()["ok"] is True


async def test_filing_the_same_details_again_makes_no_new_version(client, settings):
    staff = await login(client, "staff")
    for _ in range(3):
        r = await client.post("/api/applications", json=refiled(BLACKLISTED), headers=staff)
        assert r.status_code == 201
    engine = make_engine(settings.database_url)
    async with engine.connect() as conn:
        count = await conn.scalar(sa.select(sa.func.count()).select_from(CustomerVersion))
    await engine.dispose()
    assert count == 1
    assert len(await events(settings, "customer.version_created")) == 1


async def test_the_review_queue_and_the_decision_facts_read_the_filed_version(client, settings):
    staff = await login(client, "staff")
    referred_id = await file_application(client, staff, THIN_FILE)
    referred = await submit(client, staff, referred_id)
    assert referred["status"] == "in_review"
    old = referred["customer"]
    r = await client.post("/api/applications", json=refiled(THIN_FILE), headers=staff)
    new_id = r.json()["id"]
    queue = (await client.get("/api/reviews", headers=await login(client, "risk"))).json()
    assert [(a["id"], a["customer"]) for a in queue] == [(referred_id, old)]

    pii = client.app.state.pii
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as db:
        app = await load(db, RISK, referred_id)
        assert app.customer is not None and app.customer_version is not None
        name, id_number, mobile = customers.reveal(pii, app.customer, app.customer_version)
        assert (name, id_number) == ("测试客户", THIN_FILE) and mobile != NEW_MOBILE
        assert mobile[:3] + "****" + mobile[-4:] == old["mobile"]
        # the new draft shares the ID number with the referred application, not its mobile
        draft = await load(db, RISK, new_id)
        records = await own_records(db, draft, datetime.now(UTC))
        assert (records.same_id, records.same_mobile) == (1, 0)
    await engine.dispose()


async def test_a_draft_keeps_its_version_until_its_customer_is_saved_changed(client, settings):
    staff = await login(client, "staff")
    first = (
        await client.post("/api/applications", json=refiled(BLACKLISTED), headers=staff)
    ).json()
    other = refiled(BLACKLISTED, name="王五", mobile="13900001111")
    await client.post("/api/applications", json=other, headers=staff)
    seen = (await client.get(f"/api/applications/{first['id']}", headers=staff)).json()
    assert seen["customer"]["name"] == "李*"  # still the version it was saved with
    # the app sends the customer with every save: unchanged, the draft keeps its version
    r = await client.patch(
        f"/api/applications/{first['id']}", json=refiled(BLACKLISTED), headers=staff
    )
    assert r.status_code == 200 and r.json()["customer"]["name"] == "李*"
    assert len(await events(settings, "customer.version_created")) == 2
    r = await client.patch(f"/api/applications/{first['id']}", json=other, headers=staff)
    assert r.status_code == 200 and r.json()["customer"]["name"] == "王*"
    assert len(await events(settings, "customer.version_created")) == 2  # 王五's version again
    changed = refiled(BLACKLISTED, name="赵六")
    r = await client.patch(f"/api/applications/{first['id']}", json=changed, headers=staff)
    assert r.status_code == 200 and r.json()["customer"]["name"] == "赵*"
    assert len(await events(settings, "customer.version_created")) == 3


async def test_concurrent_drafts_with_other_details_for_one_customer_all_succeed(client, settings):
    """Truly concurrent (a pool of connections on PostgreSQL): each filing with new details gets
    a version of its own, numbered without gaps, and each draft shows its own details."""
    staff = await login(client, "staff")
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    mobiles = [f"1390000{i:04d}" for i in range(8)]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
        responses = await asyncio.gather(
            *(
                c.post("/api/applications", json=refiled(BLACKLISTED, mobile=m), headers=staff)
                for m in mobiles
            )
        )
    assert [r.status_code for r in responses] == [201] * 8, [r.text for r in responses]
    shown = sorted(r.json()["customer"]["mobile"] for r in responses)
    assert shown == sorted(f"139****{m[-4:]}" for m in mobiles)
    engine = app.state.engine
    async with engine.connect() as conn:
        numbers = (await conn.scalars(sa.select(CustomerVersion.version))).all()
        assert await conn.scalar(sa.select(sa.func.count()).select_from(Customer)) == 1
    await engine.dispose()
    assert sorted(numbers) == list(range(1, 9))


# --- migration 0004 ---------------------------------------------------------------------------


@pytest.fixture(params=ENGINES)
def empty_database(request, tmp_path):
    with scratch_database(request.param, tmp_path) as url:
        yield url


def _run(url: str, *statements: str) -> list[tuple]:
    async def go() -> list[tuple]:
        engine = make_engine(url)
        rows: list[tuple] = []
        async with engine.begin() as conn:
            for sql in statements:
                result = await conn.execute(sa.text(sql))
                if result.returns_rows:
                    rows += [tuple(r) for r in result]
        await engine.dispose()
        return rows

    return asyncio.run(go())


def test_migration_0004_gives_existing_customers_version_1_and_is_reversible(empty_database):
    url = empty_database
    upgrade(url, "0002")
    now = "'2026-11-30 08:00:00'"
    _run(
        url,
        "INSERT INTO organisations (id, name, kind, region_code, created_at, updated_at)"
        f" VALUES ('org1', 'Shop', 'dealer', '110105', {now}, {now})",
        "INSERT INTO users (id, username, display_name, password_hash, role, organisation_id,"
        f" active, created_at, updated_at) VALUES ('u1', 'clerk', 'Clerk', 'x', 'staff', 'org1',"
        f" true, {now}, {now})",
        "INSERT INTO customers (id, organisation_id, kind, name_enc, name_masked, id_enc,"
        " id_hash, id_masked, mobile_enc, mobile_hash, mobile_masked, region_code, created_at,"
        " updated_at) VALUES ('c1', 'org1', 'person', 'NAME', '张*', 'ID', 'idh', '1101**', 'MOB',"
        f" 'mh', '138****8000', '110105', {now}, {now})",
        "INSERT INTO applications (id, organisation_id, created_by_id, status, lease_type,"
        " vin_valid, mileage_km, is_new, customer_id, version, created_at, updated_at) VALUES"
        f" ('a1', 'org1', 'u1', 'declined', 'direct_lease', false, 0, true, 'c1', 1, {now}, {now}),"
        f" ('a2', 'org1', 'u1', 'draft', 'direct_lease', false, 0, true, NULL, 1, {now}, {now})",
    )
    upgrade(url, "0004")
    assert _run(
        url,
        "SELECT customer_id, version, kind, name_enc, name_masked, mobile_enc, mobile_hash,"
        " mobile_masked, region_code, created_by_id FROM customer_versions",
    ) == [("c1", 1, "person", "NAME", "张*", "MOB", "mh", "138****8000", "110105", None)]
    assert _run(url, "SELECT id, customer_version_id FROM applications ORDER BY id") == [
        ("a1", "c1"),
        ("a2", None),
    ]
    with pytest.raises(sa.exc.IntegrityError):  # the reference is enforced
        _run(url, "UPDATE applications SET customer_version_id = 'nope' WHERE id = 'a2'")

    command.downgrade(alembic_config(url), "0002")
    assert _run(url, "SELECT id, customer_id, status FROM applications ORDER BY id") == [
        ("a1", "c1", "declined"),
        ("a2", None, "draft"),
    ]
    assert _run(url, "SELECT id, name_masked FROM customers") == [("c1", "张*")]
    upgrade(url)  # and up again to head
    assert _run(url, "SELECT count(*) FROM customer_versions") == [(1,)]
