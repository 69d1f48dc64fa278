"""Migration 0003 (auth hardening) goes up and down on both engines, and matches the models."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from backend.db.base import Base
from backend.db.migrate import alembic_config, upgrade
from tests.backend.conftest import scratch_database


@pytest.fixture
def fresh_url(database_url: str, tmp_path) -> Iterator[str]:
    engine = "sqlite" if database_url.startswith("sqlite") else "postgres"
    with scratch_database(engine, tmp_path) as url:
        yield url


async def _tables_and_diff(url: str) -> tuple[set[str], list]:
    engine = create_async_engine(url)
    async with engine.connect() as conn:

        def inspect(sync_conn):
            names = set(sa.inspect(sync_conn).get_table_names())
            diff = compare_metadata(MigrationContext.configure(sync_conn), Base.metadata)
            return names, diff

        result = await conn.run_sync(inspect)
    await engine.dispose()
    return result


def test_0003_upgrades_downgrades_and_matches_the_models(fresh_url):
    upgrade(fresh_url)
    tables, diff = asyncio.run(_tables_and_diff(fresh_url))
    assert {"login_throttle", "auth_refresh_retired", "upload_tokens_spent"} <= tables
    assert "login_failures" not in tables
    assert [d for d in diff if "login_throttle" in repr(d) or "_retired" in repr(d)
            or "upload_tokens" in repr(d)] == []  # fmt: skip
    command.downgrade(alembic_config(fresh_url), "0002")
    tables, _ = asyncio.run(_tables_and_diff(fresh_url))
    assert "login_failures" in tables and "login_throttle" not in tables
    upgrade(fresh_url)
