"""One engine per test for counting rows (an engine per count is slow on PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy import func, select

from backend.db.base import Base
from backend.db.session import make_engine
from backend.settings import Settings


@pytest.fixture
async def rows(settings: Settings) -> AsyncIterator[Callable[[], Awaitable[dict[str, int]]]]:
    """``await rows()``: rows per table; equal before and after a refused request means nothing
    was written."""
    engine = make_engine(settings.database_url)

    async def count() -> dict[str, int]:
        async with engine.connect() as conn:
            return {
                t.name: (await conn.execute(select(func.count()).select_from(t))).scalar_one()
                for t in Base.metadata.sorted_tables
            }

    yield count
    await engine.dispose()
