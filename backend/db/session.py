"""Engines and sessions.

PostgreSQL: one pooled engine for everything. SQLite, the embedded default: a pool of read-only
reader connections and exactly one writer connection (WAL lets readers run beside the writer;
SQLite wants one writer: a pool of eight aiosqlite writers was 3x slower with a p99 of half a
second, DESIGN.md field notes). A session reads on a reader until its transaction first writes
(a flush, an INSERT/UPDATE/DELETE, a locking ``SELECT ... FOR UPDATE``, raw SQL); from then on,
until it ends, every statement goes to the writer, so a transaction reads its own writes and a
read-then-write under lock stays on one connection.
"""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import Engine, event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.sql import Select

from backend.db.inline_sqlite import InlineDBAPI

READERS = 4  # reader connections per worker on SQLite (a thread each under aiosqlite)


def _pragmas(*, read_only: bool) -> Any:
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=FULL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=10000",
            *(("PRAGMA query_only=ON",) if read_only else ()),
        ):
            cur.execute(pragma)
        cur.close()

    return on_connect


def _json_text(value: Any) -> str:
    return msgspec.json.encode(value).decode()


# JSON columns through msgspec (several times faster than the json module both ways): a draft
# loaded with its photos joined decodes its JSON columns once per photo row.
JSON = {"json_serializer": _json_text, "json_deserializer": msgspec.json.decode}


def make_engine(url: str) -> AsyncEngine:
    """The writer: on SQLite its one connection, on PostgreSQL the pool everything shares."""
    if not url.startswith("sqlite"):
        return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True, **JSON)
    engine = create_async_engine(
        url,
        **JSON,
        module=InlineDBAPI(writer=True),
        pool_size=1,
        max_overflow=0,
        pool_timeout=60,
    )
    event.listen(engine.sync_engine, "connect", _pragmas(read_only=False))
    return engine


def make_reader(url: str) -> AsyncEngine | None:
    """SQLite's read-only connections beside the writer; None where there is nothing to add
    (PostgreSQL's pool serves both, an in-memory database cannot be shared)."""
    if not url.startswith("sqlite") or ":memory:" in url:
        return None
    # Readers never open a transaction (SELECTs autocommit under pysqlite): nothing to roll back
    # when one goes back to the pool, which saves a thread hop per request under aiosqlite.
    engine = create_async_engine(
        url,
        module=InlineDBAPI(),
        **JSON,
        pool_size=READERS,
        max_overflow=0,
        pool_timeout=60,
        pool_reset_on_return=None,
    )
    event.listen(engine.sync_engine, "connect", _pragmas(read_only=True))
    return engine


def _reads_only(clause: Any) -> bool:
    return isinstance(clause, Select) and clause._for_update_arg is None


class RoutedSession(Session):
    """Reads on the reader until the transaction writes; then everything on the writer."""

    writer: Engine
    reader: Engine

    def get_bind(self, mapper: Any = None, clause: Any = None, **kw: Any) -> Engine:
        if self.info.get("writes") or not _reads_only(clause):
            if mapper is not None or clause is not None:  # a statement, not a dialect lookup
                self.info["writes"] = True
            return self.writer
        return self.reader


@event.listens_for(RoutedSession, "after_transaction_end")
def _transaction_ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost one: the next transaction reads again
        session.info.pop("writes", None)


def make_sessionmaker(
    engine: AsyncEngine, reader: AsyncEngine | None = None
) -> async_sessionmaker[AsyncSession]:
    """Sessions on ``engine``; with a ``reader``, reads go there until a transaction writes."""
    if reader is None:
        return async_sessionmaker(engine, expire_on_commit=False)
    routed = type(
        "Routed",
        (RoutedSession,),
        {"writer": engine.sync_engine, "reader": reader.sync_engine},
    )
    return async_sessionmaker(engine, sync_session_class=routed, expire_on_commit=False)
