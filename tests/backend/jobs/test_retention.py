"""The retention sweep: what has served its purpose goes (ended sign-in sessions with their
retired refresh tokens, spent upload tokens past their expiry, old statement export files),
nothing still in use does, and a second pass removes nothing more."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from backend.db.models import AuthSession, RetiredRefreshToken, SpentUploadToken, StatementExport
from backend.db.session import make_engine, make_sessionmaker
from backend.jobs import retention
from backend.statements import exports
from common.business_day import business_date
from tests.backend.helpers import login
from tests.backend.servicing.helpers import active


@pytest.fixture
async def sessions(client, settings):
    engine = make_engine(settings.database_url)
    yield make_sessionmaker(engine)
    await engine.dispose()


async def _count(sessions, model) -> int:
    async with sessions() as db:
        return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def _signed_in_and_refreshed(client) -> str:
    r = await client.post("/api/auth/login", json={"username": "staff", "password": "demo"})
    first = r.json()["refresh_token"]
    r = await client.post("/api/auth/refresh", json={"refresh_token": first})
    assert r.status_code == 200, r.text
    return str(r.json()["refresh_token"])


async def test_an_ended_session_goes_with_its_retired_tokens_a_live_one_stays(
    client, settings, sessions
):
    await _signed_in_and_refreshed(client)
    live = await _signed_in_and_refreshed(client)
    async with sessions() as db:  # the first session ended (revoked) two days ago
        first = await db.scalar(select(AuthSession.id).order_by(AuthSession.created_at).limit(1))
        await db.execute(
            update(AuthSession).where(AuthSession.id == first)
            .values(revoked_at=datetime.now(UTC) - timedelta(days=2))
        )  # fmt: skip
        await db.commit()
    sessions_before = await _count(sessions, AuthSession)
    retired_before = await _count(sessions, RetiredRefreshToken)

    removed = await retention.sweep(sessions, settings, datetime.now(UTC))
    assert removed["sessions"] == 1
    assert await _count(sessions, AuthSession) == sessions_before - 1
    assert await _count(sessions, RetiredRefreshToken) == retired_before - 1
    r = await client.post("/api/auth/refresh", json={"refresh_token": live})
    assert r.status_code == 200, r.text  # the live session is untouched
    assert (await retention.sweep(sessions, settings, datetime.now(UTC)))["sessions"] == 0


async def test_sessions_past_their_expiry_go_a_day_later(client, settings, sessions):
    await _signed_in_and_refreshed(client)
    lifetime = timedelta(seconds=settings.refresh_token_ttl_s)
    soon_after = datetime.now(UTC) + lifetime + timedelta(hours=1)
    assert (await retention.sweep(sessions, settings, soon_after))["sessions"] == 0
    later = soon_after + timedelta(days=1)
    assert (await retention.sweep(sessions, settings, later))["sessions"] >= 1
    assert await _count(sessions, RetiredRefreshToken) == 0


async def test_spent_upload_tokens_are_forgotten_once_the_tokens_have_expired(
    settings, sessions, client
):
    now = datetime.now(UTC)
    async with sessions() as db:
        db.add(SpentUploadToken(jti="a" * 32, application_id="x", kind="vehicle", spent_at=now))
        db.add(SpentUploadToken(jti="b" * 32, application_id="x", kind="vehicle",
                                spent_at=now - timedelta(days=2)))  # fmt: skip
        await db.commit()
    assert (await retention.sweep(sessions, settings, now))["upload_tokens"] == 1
    async with sessions() as db:
        assert list(await db.scalars(select(SpentUploadToken.jti))) == ["a" * 32]


async def test_an_old_export_file_is_deleted_and_its_download_says_export_again(
    client, settings, sessions, monkeypatch
):
    monkeypatch.setattr(exports, "JOB_THRESHOLD", 2)
    await active(client, settings)
    dealer = await login(client, "dealer")
    today = business_date(datetime.now(UTC))
    window = {"from": today.replace(day=1).isoformat(), "to": today.isoformat()}
    job = (await client.get("/api/dealer/statements", params={**window, "format": "csv"},
                            headers=dealer)).json()  # fmt: skip
    assert await exports.run_once(sessions, settings, lambda: datetime.now(UTC)) == "done"
    async with sessions() as db:
        name = await db.scalar(select(StatementExport.file_name))
    path = exports.folder(settings) / name
    assert path.is_file()

    keep = timedelta(days=settings.statement_export_keep_days)
    assert (await retention.sweep(sessions, settings, datetime.now(UTC)))["statement_exports"] == 0
    later = datetime.now(UTC) + keep + timedelta(hours=1)
    assert (await retention.sweep(sessions, settings, later))["statement_exports"] == 1
    assert not path.exists()
    show = f"/api/dealer/statements/exports/{job['id']}"
    assert (await client.get(show, headers=dealer)).json()["status"] == "expired"
    link = await client.post(f"{show}/link", headers=dealer)
    assert link.status_code == 410 and link.json()["code"] == "statement_export_expired"
    assert (await retention.sweep(sessions, settings, later))["statement_exports"] == 0
