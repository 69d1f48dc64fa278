"""Abandoned drafts: the list says what each holds; a clerk deletes one (drafts only, own shop,
audited, files gone); the sweep expires drafts left untouched for the configured days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from backend.db.models import Application, AuditEvent, Photo
from backend.db.session import make_engine, make_sessionmaker
from backend.intake import drafts
from backend.settings import Settings
from tests.backend.helpers import VALID_VIN, login, person, quote_request
from tests.backend.intake.test_applications_api import complete_application, create, jpeg


@pytest.fixture
async def staff(client):
    return await login(client, "staff")


async def a_draft_with_a_photo(client, headers) -> str:
    r = await create(
        client,
        headers,
        {
            "vehicle": {
                "vin": VALID_VIN,
                "catalogue_model_id": "saicvw-lavida",
                "price": "150000",
                "is_new": True,
            },
            "customer": person(),
            "quote": quote_request(price="150000", down_payment="60000"),  # ¥90,000 financed
        },
    )
    assert r.status_code == 201, r.text
    app_id: str = r.json()["id"]
    p = await client.put(
        f"/api/applications/{app_id}/photos/vehicle",
        content=jpeg(),
        headers={**headers, "Content-Type": "image/jpeg"},
    )
    assert p.status_code == 201, p.text
    return app_id


async def in_db(settings: Settings, work):
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as db:
            return await work(db)
    finally:
        await engine.dispose()


async def events(settings: Settings, app_id: str) -> list[tuple[str, str | None]]:
    async def read(db):
        rows = await db.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == app_id).order_by(AuditEvent.seq)
        )
        return [(e.action, e.actor_id) for e in rows]

    return await in_db(settings, read)


def stored_files(settings: Settings) -> set[str]:
    return {p.name for p in settings.storage_dir.glob("*.jpg")}


async def test_the_list_says_what_a_draft_holds(client, staff):
    app_id = await a_draft_with_a_photo(client, staff)
    await create(client, staff, {})  # an empty one says so too
    rows = {r["id"]: r for r in (await client.get("/api/applications", headers=staff)).json()}
    row = rows[app_id]
    assert row["customer_name"] == "张*"  # masked
    assert (row["maker"], row["model_name"], row["model_year"]) == (
        "上汽大众 SAIC Volkswagen",
        "朗逸 Lavida",
        2022,
    )
    assert row["financed"] == "90000.00"
    assert row["photo_count"] == 1
    assert row["filled"] == ["vehicle", "customer", "photos", "quote"]
    (empty,) = [r for r in rows.values() if r["id"] != app_id]
    assert (empty["filled"], empty["photo_count"], empty["maker"]) == ([], 0, None)


async def test_a_clerk_deletes_a_draft_of_the_shop_and_its_files_go(client, staff, settings):
    app_id = await a_draft_with_a_photo(client, staff)
    assert len(stored_files(settings)) == 2  # image and thumbnail
    colleague = await login(client, "dealer")  # same shop
    r = await client.delete(f"/api/applications/{app_id}", headers=colleague)
    assert r.status_code == 204, r.text
    assert (await client.get(f"/api/applications/{app_id}", headers=staff)).status_code == 404
    assert stored_files(settings) == set()
    photos = await in_db(settings, lambda db: db.scalars(select(Photo)))
    assert list(photos) == []
    actions = await events(settings, app_id)
    assert actions[-1][0] == "application.deleted" and actions[-1][1] is not None
    again = await client.delete(f"/api/applications/{app_id}", headers=staff)
    assert again.status_code == 404


async def test_a_submitted_application_cannot_be_deleted(client, staff, settings):
    app_id = await complete_application(client, staff)
    assert (await client.post(f"/api/applications/{app_id}/submit", headers=staff)).is_success
    files = stored_files(settings)
    r = await client.delete(f"/api/applications/{app_id}", headers=staff)
    assert r.status_code == 409 and r.json()["code"] == "application_not_draft"
    assert (await client.get(f"/api/applications/{app_id}", headers=staff)).status_code == 200
    assert stored_files(settings) == files


async def test_only_the_shops_own_people_delete_its_drafts(client, staff):
    app_id = await a_draft_with_a_photo(client, staff)
    for other in ("staff2", "admin"):  # another shop; the lessor's admin sees but does not own it
        r = await client.delete(f"/api/applications/{app_id}", headers=await login(client, other))
        assert r.status_code == 404, (other, r.text)
    for role in ("risk", "lessee", "monitor"):
        r = await client.delete(f"/api/applications/{app_id}", headers=await login(client, role))
        assert r.status_code == 403, role
    assert (await client.get(f"/api/applications/{app_id}", headers=staff)).status_code == 200


async def age(settings: Settings, app_id: str, days: int) -> None:
    async def set_back(db):
        when = datetime.now(UTC) - timedelta(days=days)
        await db.execute(
            update(Application).where(Application.id == app_id).values(updated_at=when)
        )
        await db.commit()

    await in_db(settings, set_back)


async def test_the_sweep_expires_old_drafts_only_and_once(client, staff, settings):
    settings = settings.with_(draft_ttl_days=30)
    old = await a_draft_with_a_photo(client, staff)
    fresh = (await create(client, staff, {})).json()["id"]
    submitted = await complete_application(client, staff)
    assert (await client.post(f"/api/applications/{submitted}/submit", headers=staff)).is_success
    await age(settings, old, 31)
    await age(settings, fresh, 29)
    await age(settings, submitted, 400)
    kept_files = stored_files(settings)

    now = datetime.now(UTC)
    assert await in_db(settings, lambda db: drafts.expire(db, settings, now)) == 1
    assert await in_db(settings, lambda db: drafts.expire(db, settings, now)) == 0  # idempotent
    listed = {r["id"] for r in (await client.get("/api/applications", headers=staff)).json()}
    assert listed == {fresh, submitted}
    assert len(stored_files(settings)) == len(kept_files) - 2
    assert (await events(settings, old))[-1] == ("application.expired", None)  # the system


def test_the_draft_lifetime_comes_from_the_environment():
    assert Settings.from_env({}).draft_ttl_days == 30
    assert Settings.from_env({"AUTOLEASE_DRAFT_TTL_DAYS": "7"}).draft_ttl_days == 7
    with pytest.raises(ValueError, match="AUTOLEASE_DRAFT_TTL_DAYS"):
        Settings.from_env({"AUTOLEASE_DRAFT_TTL_DAYS": "0"})
