"""SQLite connections that run on the event loop's own thread wherever nothing can wait.

aiosqlite gives every connection a thread and hands each call to it through a queue: about half
a millisecond of CPU per statement on this box (cursor, execute, fetch and close are a hand-off
each), where the statement itself (an indexed read of a few rows) takes tens of microseconds.
For SQLAlchemy's aiosqlite dialect this module stands in for aiosqlite with the same coroutine
API:

- a reader (`InlineDBAPI()`) runs everything inline: a WAL reader never waits for the writer or
  for a lock;
- the writer (`InlineDBAPI(writer=True)`) hands to its own thread only what can wait — the
  statement that opens a transaction (it takes the write lock, which another process may hold:
  busy_timeout), COMMIT (the WAL's fsync under synchronous=FULL, and the checkpoint) and
  ROLLBACK. Once its transaction holds the lock, a statement only touches the page cache, so it
  runs inline. A submit's write went from eleven hand-offs to two.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_dbapi,
)

_WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE"})


def _keyword(sql: str) -> str:
    words = sql.lstrip()[:8].split(None, 1)
    return words[0].upper() if words else ""


class Cursor:
    def __init__(self, cursor: sqlite3.Cursor, connection: Connection) -> None:
        self._cursor = cursor
        self._connection = connection

    async def __aenter__(self) -> Cursor:
        return self

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> Cursor:
        await self._connection.run(self._cursor.execute, sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> Cursor:
        await self._connection.run(self._cursor.executemany, sql, parameters)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size or self._cursor.arraysize)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()


class Connection:
    def __init__(self, conn: sqlite3.Connection, thread: ThreadPoolExecutor | None) -> None:
        self._conn = conn
        self._thread = thread  # the writer's; a reader has none and never waits
        self._locked = False  # the writer's transaction holds the write lock

    def may_wait(self, sql: str) -> bool:
        """Whether ``sql`` may wait on the write lock: anything but a SELECT until the
        transaction has written (sqlite3 opens a transaction before a write, a SAVEPOINT opens
        one without the lock, and taking the lock can wait for another process)."""
        if self._thread is None:
            return False
        if not self._conn.in_transaction:
            self._locked = False
        return not self._locked and _keyword(sql) != "SELECT"

    async def run(self, execute: Any, sql: str, parameters: Any) -> None:
        """``execute(sql, parameters)`` inline, or on the thread when it may wait (after which
        a write inside a transaction holds the lock)."""
        if not self.may_wait(sql):
            execute(sql, parameters)
            return
        await self.off_loop(execute, sql, parameters)
        self._locked = self._conn.in_transaction and _keyword(sql) in _WRITES

    async def off_loop(self, fn: Any, *args: Any) -> Any:
        assert self._thread is not None
        return await asyncio.get_running_loop().run_in_executor(self._thread, fn, *args)

    @property
    def _connection(self) -> sqlite3.Connection:  # aiosqlite's name, checked by the dialect
        return self._conn

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def cursor(self) -> Cursor:
        return Cursor(self._conn.cursor(), self)

    async def commit(self) -> None:
        await self._end(self._conn.commit)  # the fsync, maybe a checkpoint

    async def rollback(self) -> None:
        await self._end(self._conn.rollback)

    async def _end(self, end: Any) -> None:
        if self._thread is not None and self._conn.in_transaction:
            await self.off_loop(end)
        else:
            end()

    async def close(self) -> None:
        if self._thread is None:
            self._conn.close()
            return
        await self.off_loop(self._conn.close)
        self._thread.shutdown(wait=False)

    async def create_function(self, *args: Any, **kw: Any) -> None:
        self._conn.create_function(*args, **kw)

    def stop(self) -> None:
        self._conn.close()
        if self._thread is not None:
            self._thread.shutdown(wait=False)


class _AdaptedConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    @property
    def isolation_level(self) -> str | None:
        return cast(str | None, self._connection.isolation_level)

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self._connection._conn.isolation_level = value


class _Module:
    """The part of aiosqlite's module surface the dialect reads."""

    Connection = Connection
    __version__ = "inline"

    def __getattr__(self, name: str) -> Any:
        return getattr(sqlite3, name)


class InlineDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def __init__(self, *, writer: bool = False) -> None:
        super().__init__(_Module(), sqlite3)  # type: ignore[arg-type]
        self._writer = writer

    def connect(self, *arg: Any, **kw: Any) -> _AdaptedConnection:
        kw.pop("async_creator_fn", None)
        thread = None
        if self._writer:  # used from the loop and from its thread, one at a time
            kw["check_same_thread"] = False
            thread = ThreadPoolExecutor(1, thread_name_prefix="sqlite-writer")
        connection = Connection(sqlite3.connect(*arg, **kw), thread)
        return _AdaptedConnection(self, cast(Any, connection))  # aiosqlite's shape, duck-typed
