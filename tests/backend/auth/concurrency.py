"""Truly concurrent requests: the app on the test's own event loop through httpx's ASGI transport
(a pool of connections on PostgreSQL; one queued connection on SQLite)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx

from backend.app import create_app
from backend.settings import Settings


async def at_once(
    settings: Settings, n: int, request: Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]
) -> list[httpx.Response]:
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url=settings.public_url) as c:
            return list(await asyncio.gather(*(request(c) for _ in range(n))))
    finally:
        await app.state.engine.dispose()
