"""Appending: a transaction's events go out together, in one INSERT, and only if it commits."""

from __future__ import annotations

import sqlalchemy as sa

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import AuditEvent
from backend.db.session import make_engine, make_sessionmaker
from common.api.auth import Role

ACTOR = Principal("u1", "clerk", Role.STAFF, "org", "s1")


async def _record(session, entity_id: str) -> None:
    await audit.record(
        session, actor=ACTOR, action="thing.changed", entity_type="thing", entity_id=entity_id
    )


async def _ids(session) -> list[str]:
    rows = await session.scalars(
        sa.select(AuditEvent.entity_id).where(AuditEvent.entity_type == "thing")
    )
    return sorted(rows)


async def test_a_transactions_events_are_written_in_one_insert_when_it_commits(client, settings):
    engine = make_engine(settings.database_url)
    inserts: list[str] = []
    sa.event.listen(engine.sync_engine, "before_cursor_execute",
                    lambda _c, _cur, sql, *_: inserts.append(sql)
                    if sql.startswith("INSERT INTO audit_events") else None)  # fmt: skip
    async with make_sessionmaker(engine)() as session:
        for n in range(3):
            await _record(session, f"t{n}")
        assert inserts == []  # nothing written before the transaction ends
        await session.commit()
        assert len(inserts) == 1
        assert await _ids(session) == ["t0", "t1", "t2"]
    await engine.dispose()


async def test_a_rolled_back_transaction_leaves_no_event(client, settings):
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as session:
        await _record(session, "gone")
        await session.rollback()
        await _record(session, "kept")
        await session.commit()
        assert await _ids(session) == ["kept"]
    await engine.dispose()


async def test_an_event_written_at_once_gives_its_seq(client, settings):
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as session:
        seq = await audit.record_now(
            session, actor=None, action="thing.changed", entity_type="thing", entity_id="now"
        )
        stored = await session.scalar(sa.select(AuditEvent.entity_id).where(AuditEvent.seq == seq))
        assert stored == "now"
        await session.commit()
    await engine.dispose()
