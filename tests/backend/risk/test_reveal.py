"""A risk officer sees the unmasked name and ID number of a case in review on an explicit request:
audited (who, which application; no values), never cached; everyone else, and every other case,
keeps seeing masked values."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backend.db.models import AuditEvent
from backend.db.session import make_engine, make_sessionmaker
from tests.backend.helpers import login
from tests.backend.risk.helpers import CLEAN, THIN_FILE, file_application, submit


@pytest.fixture
async def staff(client):
    return await login(client, "staff")


@pytest.fixture
async def risk(client):
    return await login(client, "risk")


async def reveal_events(settings, app_id):
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as db:
        rows = list(
            await db.scalars(
                select(AuditEvent).where(
                    AuditEvent.entity_id == app_id, AuditEvent.action == "application.pii_revealed"
                )
            )
        )
    await engine.dispose()
    return rows


async def test_a_reviewer_reveals_the_customer_of_a_referred_case(client, staff, risk, settings):
    app_id = await file_application(client, staff, THIN_FILE)
    await submit(client, staff, app_id)
    (queued,) = (await client.get("/api/reviews", headers=risk)).json()
    assert queued["customer"]["id_number"] != THIN_FILE  # the queue stays masked
    assert not await reveal_events(settings, app_id)

    r = await client.post(f"/api/reviews/{app_id}/reveal", headers=risk)
    assert r.status_code == 200, r.text
    assert r.json() == {"application_id": app_id, "name": "测试客户", "id_number": THIN_FILE}
    assert r.headers["cache-control"] == "no-store"

    (event,) = await reveal_events(settings, app_id)
    me = (await client.get("/api/auth/me", headers=risk)).json()
    assert event.actor_id == me["id"]
    assert THIN_FILE not in event.detail and "测试客户" not in event.detail
    again = (await client.get("/api/reviews", headers=risk)).json()[0]
    assert again["customer"] == queued["customer"]


async def test_only_cases_in_review_are_revealed(client, staff, risk, settings):
    draft = await file_application(client, staff, CLEAN)
    decided = await file_application(client, staff, CLEAN)
    assert (await submit(client, staff, decided))["status"] == "approved"
    for app_id in (draft, decided, "no-such-application"):
        r = await client.post(f"/api/reviews/{app_id}/reveal", headers=risk)
        assert r.status_code == 404 and r.json()["code"] in (
            "review_case_not_found",
            "application_not_found",
        ), r.text
    assert not await reveal_events(settings, draft)


@pytest.mark.parametrize("user", ["staff", "dealer", "lessee", "monitor"])
async def test_other_roles_are_refused(client, staff, user, settings):
    app_id = await file_application(client, staff, THIN_FILE)
    await submit(client, staff, app_id)
    r = await client.post(f"/api/reviews/{app_id}/reveal", headers=await login(client, user))
    assert r.status_code == 403
    assert not await reveal_events(settings, app_id)
