"""Request-scoped database session. Services commit explicitly; closing rolls back the rest,
so a failed request never leaves half a change behind."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import TypeAlias

from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession


async def provide_db(state: State) -> AsyncGenerator[AsyncSession, None]:
    async with state.sessionmaker() as session:
        yield session


# The request's database session, injected by name into route handlers.
Db: TypeAlias = NamedDependency[AsyncSession]
