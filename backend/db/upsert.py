"""INSERT ... ON CONFLICT DO NOTHING on either database: the race-free way to create a row that a
concurrent request may be creating too (then both read the one that won)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert


def upsert_ignore(db: AsyncSession, model: Any, conflict_on: list[str], **values: Any) -> Insert:
    dialect = db.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).values(**values).on_conflict_do_nothing(index_elements=conflict_on)
