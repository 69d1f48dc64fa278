"""The audit chain: appends are plain inserts, the sequencer links them, and the verifier detects
an edited, deleted, inserted or reordered event."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import AuditEvent, AuditHead
from backend.db.session import make_engine, make_sessionmaker
from common.api.auth import Role

ACTOR = Principal("u1", "risk", Role.RISK_OFFICER, "org", "s1")


async def append(session, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
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


@pytest.fixture
async def db(client, settings):  # client resets the tables; the demo seed may add its own events
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as session:
        await session.execute(sa.delete(AuditEvent))
        await session.execute(sa.delete(AuditHead))
        await session.commit()
        await append(session, 5)
        await audit.link_all(session)
        yield session
    await engine.dispose()


def at(position: int):
    return AuditEvent.position == position


async def test_an_untouched_chain_verifies(db):
    report = await audit.verify(db)
    assert report.ok and report.events_checked == 5 and report.pending == 0


async def test_appended_events_wait_unlinked_until_the_sequencer_links_them(db):
    await append(db, 2, start=5)
    report = await audit.verify(db)
    assert report.ok and report.events_checked == 5 and report.pending == 2
    assert await audit.link_all(db) == 2
    report = await audit.verify(db)
    assert report.ok and report.events_checked == 7 and report.pending == 0
    positions = await db.scalars(sa.select(AuditEvent.position).order_by(AuditEvent.seq))
    assert list(positions) == [1, 2, 3, 4, 5, 6, 7]


async def test_an_event_appended_before_a_crash_is_linked_after_the_restart(db, settings):
    await append(db, 1, start=5)  # committed; the process "dies" before any sequencer ran
    engine = make_engine(settings.database_url)  # a fresh process: new engine, new session
    async with make_sessionmaker(engine)() as fresh:
        assert await audit.link_all(fresh) == 1
        report = await audit.verify(fresh)
    await engine.dispose()
    assert report.ok and report.events_checked == 6


async def test_an_edited_event_is_detected(db):
    await db.execute(sa.update(AuditEvent).where(at(3)).values(entity_id="forged"))
    report = await audit.verify(db)
    assert not report.ok and report.first_bad_position == 3
    assert report.problem == "event content altered"


async def test_a_deleted_event_is_detected(db):
    await db.execute(sa.delete(AuditEvent).where(at(2)))
    report = await audit.verify(db)
    assert not report.ok and report.first_bad_position == 2


async def test_a_deleted_last_event_is_detected(db):
    await db.execute(sa.delete(AuditEvent).where(at(5)))
    report = await audit.verify(db)
    assert not report.ok and report.problem == "events missing at the end of the chain"


async def test_an_inserted_event_is_detected(db):
    await db.execute(
        sa.update(AuditEvent)
        .where(AuditEvent.position >= 4)
        .values(position=AuditEvent.position + 100)
    )
    third = await db.scalar(sa.select(AuditEvent).where(at(3)))
    row = dict(
        at=third.at,
        actor_id="evil",
        actor_role="admin",
        action="x",
        entity_type="thing",
        entity_id="t9",
        before_digest=None,
        after_digest=None,
        detail="{}",
        position=4,
        prev_hash=third.hash,
        hash="f" * 64,
    )
    await db.execute(sa.insert(AuditEvent).values(**row))
    report = await audit.verify(db)
    assert not report.ok and report.first_bad_position == 4


async def test_reordered_events_are_detected(db):
    await db.execute(sa.update(AuditEvent).where(at(2)).values(position=-2))
    await db.execute(sa.update(AuditEvent).where(at(3)).values(position=2))
    await db.execute(sa.update(AuditEvent).where(at(-2)).values(position=3))
    report = await audit.verify(db)
    assert not report.ok and report.first_bad_position == 2


async def test_admins_can_verify_the_chain_over_the_api(client, db):
    from tests.backend.helpers import login

    admin = await login(client, "admin")
    r = await client.get("/api/audit/verify", headers=admin)
    assert r.status_code == 200 and r.json()["ok"] is True and r.json()["events_checked"] == 5
    await db.execute(sa.update(AuditEvent).where(at(3)).values(action="forged"))
    await db.commit()
    r = await client.get("/api/audit/verify", headers=admin)
    assert r.json() == {"ok": False, "events_checked": 2, "first_bad_position": 3,
                        "problem": "event content altered", "pending": 0,
                        "checkpoints_checked": 0}  # fmt: skip
    staff = await client.get("/api/audit/verify", headers=await login(client, "staff"))
    assert staff.status_code == 403
