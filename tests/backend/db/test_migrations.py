"""Migrations: the schema they build is the one the models describe, and an audit chain written
before the sequencer existed still verifies after the upgrade."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from backend.audit import service as audit
from backend.db.base import Base
from backend.db.migrate import upgrade_async
from backend.db.session import make_engine, make_sessionmaker
from backend.monitoring.partitions import is_partition


def _not_a_partition(name, type_, parent_names) -> bool:
    return not (type_ == "table" and is_partition(name or ""))


@pytest.fixture
def fresh_url(tmp_path):
    return f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"


async def test_the_migrated_schema_matches_the_models(database_url):
    engine = make_engine(database_url)
    async with engine.connect() as conn:
        diff = await conn.run_sync(
            lambda c: compare_metadata(
                MigrationContext.configure(c, opts={"include_name": _not_a_partition}),
                Base.metadata,
            )
        )
    await engine.dispose()
    assert diff == []


def _old_hash(prev: str, seq: int, at: datetime, action: str) -> str:
    body = [prev, seq, at.isoformat(timespec="microseconds"), None, None, action, "thing", "t",
            None, None, "{}"]  # fmt: skip
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


async def test_a_chain_written_before_the_sequencer_verifies_after_the_upgrade(fresh_url):
    await upgrade_async(fresh_url, "0002")
    at = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    engine = make_engine(fresh_url)
    prev = "0" * 64
    async with engine.begin() as conn:
        for seq in (1, 2, 3):
            h = _old_hash(prev, seq, at, f"a{seq}")
            await conn.execute(
                sa.text(
                    "INSERT INTO audit_events (seq, at, action, entity_type, entity_id, detail,"
                    " prev_hash, hash) VALUES (:s, :at, :a, 'thing', 't', '{}', :p, :h)"
                ),
                {"s": seq, "at": at.replace(tzinfo=None), "a": f"a{seq}", "p": prev, "h": h},
            )
            prev = h
        await conn.execute(
            sa.text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 3, :h)"), {"h": prev}
        )
    await engine.dispose()
    await upgrade_async(fresh_url)
    engine = make_engine(fresh_url)
    async with make_sessionmaker(engine)() as db:
        await audit.record(db, actor=None, action="after", entity_type="thing", entity_id="t")
        await db.commit()
        assert await audit.link_all(db) == 1
        report = await audit.verify(db)
    await engine.dispose()
    assert report.ok and report.events_checked == 4
