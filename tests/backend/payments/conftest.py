"""The payment tests reach the database from the test's own event loop (the app serves requests
on the test client's loop): a sessionmaker of their own, on the client (`helpers.sessions_of`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from backend.db.session import make_engine, make_reader, make_sessionmaker
from backend.settings import Settings


@pytest.fixture(autouse=True)
async def own_sessions(client: Any, settings: Settings) -> AsyncIterator[None]:
    url = settings.database_url
    engine, reader = make_engine(url), make_reader(url)
    client.test_sessions = make_sessionmaker(engine, reader)
    yield
    await engine.dispose()
    if reader is not None:
        await reader.dispose()
