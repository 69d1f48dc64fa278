"""The audit chain detects an edited, deleted, inserted or reordered event."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import AuditEvent, AuditHead
from backend.db.session import make_engine, make_sessionmaker
from common.api.auth import Role

ACTOR = Principal("u1", "risk", Role.RISK_OFFICER, "org", "s1")


@pytest.fixture
async def db(client, settings):  # client resets the tables; the demo seed may add its own events
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as session:
        await session.execute(sa.delete(AuditEvent))
        await session.execute(sa.delete(AuditHead))
        for i in range(5):
            await audit.record(
                session,
                actor=ACTOR,
                action="thing.changed",
                entity_type="thing",
                entity_id=f"t{i}",
                before={"v": i},
                after={"v": i + 1},
                detail={"why": "test"},
            )
        await session.commit()
        yield session
    await engine.dispose()


async def test_an_untouched_chain_verifies(db):
    report = await audit.verify(db)
    assert report.ok and report.events_checked == 5


async def test_an_edited_event_is_detected(db):
    await db.execute(sa.update(AuditEvent).where(AuditEvent.seq == 3).values(entity_id="forged"))
    report = await audit.verify(db)
    assert not report.ok and report.first_bad_seq == 3 and report.problem == "event content altered"


async def test_a_deleted_event_is_detected(db):
    await db.execute(sa.delete(AuditEvent).where(AuditEvent.seq == 2))
    report = await audit.verify(db)
    assert not report.ok and report.first_bad_seq == 2


async def test_a_deleted_last_event_is_detected(db):
    await db.execute(sa.delete(AuditEvent).where(AuditEvent.seq == 5))
    report = await audit.verify(db)
    assert not report.ok and report.problem == "events missing at the end of the chain"


async def test_an_inserted_event_is_detected(db):
    await db.execute(
        sa.update(AuditEvent).where(AuditEvent.seq >= 4).values(seq=AuditEvent.seq + 100)
    )
    row = dict(
        seq=4,
        at=(await db.get(AuditEvent, 3)).at,
        actor_id="evil",
        actor_role="admin",
        action="x",
        entity_type="thing",
        entity_id="t9",
        before_digest=None,
        after_digest=None,
        detail="{}",
        prev_hash=(await db.get(AuditEvent, 3)).hash,
        hash="f" * 64,
    )
    await db.execute(sa.insert(AuditEvent).values(**row))
    report = await audit.verify(db)
    assert not report.ok and report.first_bad_seq == 4


async def test_reordered_events_are_detected(db):
    await db.execute(sa.update(AuditEvent).where(AuditEvent.seq == 2).values(seq=-2))
    await db.execute(sa.update(AuditEvent).where(AuditEvent.seq == 3).values(seq=2))
    await db.execute(sa.update(AuditEvent).where(AuditEvent.seq == -2).values(seq=3))
    report = await audit.verify(db)
    assert not report.ok and report.first_bad_seq == 2


async def test_admins_can_verify_the_chain_over_the_api(client, db):
    from tests.backend.helpers import login

    admin = await login(client, "admin")
    r = await client.get("/api/audit/verify", headers=admin)
    assert r.status_code == 200 and r.json()["ok"] is True and r.json()["events_checked"] == 5
    await db.execute(sa.update(AuditEvent).where(AuditEvent.seq == 3).values(action="forged"))
    await db.commit()
    r = await client.get("/api/audit/verify", headers=admin)
    assert r.json() == {"ok": False, "events_checked": 2, "first_bad_seq": 3,
                        "problem": "event content altered"}  # fmt: skip
    staff = await client.get("/api/audit/verify", headers=await login(client, "staff"))
    assert staff.status_code == 403
