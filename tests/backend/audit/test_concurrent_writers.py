"""Writers do not share a lock: many concurrent appenders (and two sequencers at once) still give
one intact chain with every event linked exactly once."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa

from backend.audit import service as audit
from backend.db.models import AuditEvent, AuditHead
from backend.db.session import make_engine, make_sessionmaker
from tests.backend.audit.test_chain import append


async def test_a_chain_built_by_concurrent_writers_verifies(client, settings):
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    async with sessions() as db:
        await db.execute(sa.delete(AuditEvent))
        await db.execute(sa.delete(AuditHead))
        await db.commit()

    async def writer(i: int) -> None:
        async with sessions() as db:
            await append(db, 5, start=i * 5)

    async def sequencer() -> None:
        async with sessions() as db:
            for _ in range(5):
                await audit.link_all(db)
                await asyncio.sleep(0)

    await asyncio.gather(*(writer(i) for i in range(8)), sequencer(), sequencer())
    async with sessions() as db:
        await audit.link_all(db)
        report = await audit.verify(db)
        ids = await db.scalars(sa.select(AuditEvent.entity_id))
        assert sorted(ids) == sorted(f"t{i}" for i in range(40))
    await engine.dispose()
    assert report.ok and report.events_checked == 40 and report.pending == 0
