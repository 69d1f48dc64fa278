"""The submit path under concurrency: two submits of one draft decide it once (the other answers
409), and a submit waiting on slow providers holds no connection that another user needs.

Truly concurrent requests: an app on this test's event loop driven through httpx's ASGI
transport (the in-process test client runs one request at a time)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from backend.app import create_app
from backend.db.models import AuditEvent, RiskDecision
from backend.risk import facts
from backend.settings import Settings
from tests.backend.helpers import login
from tests.backend.risk.helpers import CLEAN, file_application

LATENCY_MS = 800  # every provider answers this late


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, provider_latency_ms=LATENCY_MS)


@pytest.fixture
async def concurrent(client: Any, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A second app over the database `client` has just reset, on this test's event loop."""
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver.local", timeout=60
    ) as c:
        c.app = app  # type: ignore[attr-defined]
        yield c
    await app.state.engine.dispose()


async def test_two_submits_of_one_draft_at_once_decide_it_once(client, concurrent):
    staff = await login(client, "staff")
    app_id = await file_application(client, staff, CLEAN)
    first, second = await asyncio.gather(
        concurrent.post(f"/api/applications/{app_id}/submit", headers=staff),
        concurrent.post(f"/api/applications/{app_id}/submit", headers=staff),
    )
    statuses = sorted([first.status_code, second.status_code])
    assert statuses == [200, 409], [first.text, second.text]
    lost = first if first.status_code == 409 else second
    assert lost.json()["code"] == "version_conflict"
    engine = concurrent.app.state.engine  # type: ignore[attr-defined]
    async with engine.connect() as conn:
        decisions = await conn.scalar(
            sa.select(sa.func.count())
            .select_from(RiskDecision)
            .where(RiskDecision.application_id == app_id)
        )
        decided = await conn.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity_id == app_id, AuditEvent.action == "application.decided")
        )
    assert (decisions, decided) == (1, 1)
    shown = await concurrent.get(f"/api/applications/{app_id}", headers=staff)
    assert shown.json()["status"] == "approved"


async def test_a_submit_waiting_on_providers_does_not_delay_another_users_request(
    client, concurrent, monkeypatch
):
    staff = await login(client, "staff")
    other = await login(client, "staff2")  # a user of another shop
    app_id = await file_application(client, staff, CLEAN)
    asked = asyncio.Event()
    real_ask = facts.ask_for

    async def ask_for(*args: Any) -> Any:
        asked.set()
        return await real_ask(*args)

    monkeypatch.setattr(facts, "ask_for", ask_for)
    submit = asyncio.create_task(
        concurrent.post(f"/api/applications/{app_id}/submit", headers=staff)
    )
    await asyncio.wait_for(asked.wait(), 30)  # the submit is waiting on its providers now
    for _ in range(3):  # several round trips, each needing the database
        me = await concurrent.get("/api/auth/me", headers=other)
        assert me.status_code == 200, me.text
        assert not submit.done()  # answered while the providers were still thinking
    done = await submit
    assert done.status_code == 200 and done.json()["status"] == "approved", done.text
