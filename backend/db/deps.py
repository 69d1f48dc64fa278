"""One database session per request, shared by the access guard, the services and the handler.

The session is created lazily (`request_session`) and kept on the connection scope, so the guard,
which runs before dependency injection, and `provide_db` hand out the same object. It commits
once: when the handler (and the building of its response) succeeded, `provide_db`'s cleanup
commits before the response is sent (Litestar runs yield-dependency cleanup inside the route,
before the ASGI response goes out), so a failed commit becomes an error response (409 for a lost
race, see backend/errors.py). When the handler raises, the session rolls back. `close_session`,
a before-send hook, closes whatever a request left open (e.g. a route without `db` whose guard
read the caller), so no connection outlives its request.

A few services still commit explicitly where their semantics demand it (a failed sign-in keeps
its place in the throttle; idempotency replays a lost race; photo files are removed only after
their row is gone), and the submit path ends its read transaction before providers are asked.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any, TypeAlias

from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.types import Message, Scope
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

SCOPE_KEY = "autolease.db"


def request_session(connection: ASGIConnection[Any, Any, Any, Any]) -> AsyncSession:
    """The request's session, created on first use."""
    scope: Any = connection.scope
    session = scope.get(SCOPE_KEY)
    if session is None:
        maker: async_sessionmaker[AsyncSession] = connection.app.state.sessionmaker
        session = scope[SCOPE_KEY] = maker()
    return session  # type: ignore[no-any-return]


async def provide_db(
    request: ASGIConnection[Any, Any, Any, Any],
) -> AsyncGenerator[AsyncSession, None]:
    session = request_session(request)
    try:
        yield session
    except BaseException:
        await session.rollback()
        raise
    await session.commit()  # before the response is sent: a failure here is an error response


async def close_session(message: Message, scope: Scope) -> None:
    """Before-send hook: at the start of the response, close the request's session (rolling back
    anything uncommitted) so its connection goes back to the pool."""
    if message["type"] != "http.response.start":
        return
    session: AsyncSession | None = scope.pop(SCOPE_KEY, None)  # type: ignore[misc]
    if session is not None:
        await session.close()


# The request's database session, injected by name into route handlers.
Db: TypeAlias = NamedDependency[AsyncSession]
