"""Migration 0009 (lessee accounts) goes up and down on both engines with accounts, sessions and
a bound lessee in place, and matches the models."""

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
from backend.monitoring.partitions import is_partition
from tests.backend.conftest import scratch_database

ROWS = [
    "INSERT INTO organisations (id, name, kind, created_at, updated_at)"
    " VALUES ('org', 'Lessor', 'lessor', :t, :t)",
    "INSERT INTO customers (id, organisation_id, kind, name_enc, name_masked, id_enc, id_hash,"
    " id_masked, mobile_enc, mobile_hash, mobile_masked, created_at, updated_at) VALUES ('c',"
    " 'org', 'person', 'x', '张*', 'x', 'h', '1101**02X', 'x', 'm', '138****5678', :t, :t)",
    "INSERT INTO users (id, username, display_name, password_hash, role, organisation_id, active,"
    " created_at, updated_at, customer_id, mobile_hash, bound_at) VALUES ('u', 'lessee:c',"
    " '张*', '!', 'lessee', 'org', true, :t, :t, 'c', 'mh', :t)",
    "INSERT INTO auth_sessions (id, user_id, refresh_hash, created_at, expires_at)"
    " VALUES ('s', 'u', 'r', :t, :t)",
]


@pytest.fixture
def fresh_url(database_url: str, tmp_path) -> Iterator[str]:
    engine = "sqlite" if database_url.startswith("sqlite") else "postgres"
    with scratch_database(engine, tmp_path) as url:
        yield url


async def _run(url: str, *statements: str) -> list:
    from datetime import datetime

    engine = create_async_engine(url)
    t = datetime(2026, 12, 1, 9, 0)
    async with engine.begin() as conn:
        for sql in statements:
            await conn.execute(sa.text(sql), {"t": t})
        found = (await conn.execute(sa.text("SELECT u.id, s.id FROM users u JOIN auth_sessions s"
                                            " ON s.user_id = u.id"))).all()  # fmt: skip

        def inspect(sync_conn):
            tables = set(sa.inspect(sync_conn).get_table_names())
            columns = {c["name"] for c in sa.inspect(sync_conn).get_columns("users")}
            context = MigrationContext.configure(
                sync_conn, opts={"include_name": lambda name, type_, parents: not (
                    type_ == "table" and is_partition(name or ""))},
            )  # fmt: skip
            diff = compare_metadata(context, Base.metadata)
            return tables, columns, diff

        tables, columns, diff = await conn.run_sync(inspect)
    await engine.dispose()
    return [found, tables, columns, diff]


def test_0009_upgrades_downgrades_and_matches_the_models(fresh_url):
    upgrade(fresh_url)
    found, tables, columns, diff = asyncio.run(_run(fresh_url, *ROWS))
    assert found == [("u", "s")] and {"otp_codes", "sms_outbox"} <= tables
    assert {"customer_id", "mobile_hash", "bound_at"} <= columns and diff == []
    command.downgrade(alembic_config(fresh_url), "0007")
    found, tables, columns, _ = asyncio.run(_run(fresh_url))
    assert found == [("u", "s")]  # the account and its session survive the rebuild
    assert not {"otp_codes", "sms_outbox"} & tables and "customer_id" not in columns
    upgrade(fresh_url)
    _, _, columns, diff = asyncio.run(_run(fresh_url))
    assert "customer_id" in columns and diff == []
