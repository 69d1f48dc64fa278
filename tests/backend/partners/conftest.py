"""Partner webhook tests: a real HTTP server on 127.0.0.1 stands in for the demo receiver (the
settings' public URL points at it, so in demo mode it is the one loopback address the sender
accepts); the tests reach the database from their own loop (`sessions`) and run the webhook
worker themselves (the lifespan's is off)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from backend.db.session import make_engine, make_reader, make_sessionmaker
from backend.security.pii import PiiCipher
from backend.settings import Settings
from tests.backend.partners.receiver_server import ReceiverServer


@pytest.fixture(scope="session")
def server() -> Iterator[ReceiverServer]:
    with ReceiverServer.running() as s:
        yield s


@pytest.fixture
def settings(settings: Settings, server: ReceiverServer) -> Settings:
    server.reset()
    return settings.with_(public_url=server.origin, webhook_job_interval_s=0)


@pytest.fixture
def pii(settings: Settings) -> PiiCipher:
    return PiiCipher(settings.pii_key_bytes(), settings.lookup_key_bytes())


@pytest.fixture
async def sessions(client: Any, settings: Settings) -> AsyncIterator[Any]:
    url = settings.database_url
    engine, reader = make_engine(url), make_reader(url)
    yield make_sessionmaker(engine, reader)
    await engine.dispose()
    if reader is not None:
        await reader.dispose()
