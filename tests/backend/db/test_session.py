"""SQLite as an embedded database: reads on read-only connections beside one writer; a
transaction that writes stays on the writer, so it reads its own writes."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from threading import get_ident
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.migrate import upgrade_async
from backend.db.models import Organisation
from backend.db.session import make_engine, make_reader, make_sessionmaker


@pytest.fixture
async def routed(tmp_path: Path) -> AsyncIterator[tuple[AsyncSession, list[str]]]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'routed.db'}"
    await upgrade_async(url)
    writer, reader = make_engine(url), make_reader(url)
    assert reader is not None
    used: list[str] = []
    for name, engine in (("writer", writer), ("reader", reader)):
        sa.event.listen(
            engine.sync_engine,
            "before_cursor_execute",
            lambda *_, name=name: used.append(name),
        )
    async with make_sessionmaker(writer, reader)() as session:
        yield session, used
    await writer.dispose()
    await reader.dispose()


def _org(id_: str) -> Organisation:
    return Organisation(id=id_, name=f"店 {id_}", kind="dealer", region_code="310000")


async def test_reads_go_to_a_reader_until_the_transaction_writes(routed):
    session, used = routed
    await session.scalar(sa.select(sa.func.count()).select_from(Organisation))
    assert used == ["reader"]
    session.add(_org("o1"))
    await session.flush()
    await session.scalar(sa.select(Organisation.id).where(Organisation.id == "o1"))
    assert used == ["reader", "writer", "writer"]  # its own uncommitted row is on the writer


async def test_a_transaction_reads_its_own_writes(routed):
    session, _ = routed
    await session.execute(sa.insert(Organisation).values(
        id="o2", name="店", kind="dealer", region_code="310000"))  # fmt: skip
    assert await session.scalar(sa.select(Organisation.id).where(Organisation.id == "o2")) == "o2"


async def test_the_next_transaction_reads_on_a_reader_again(routed):
    session, used = routed
    session.add(_org("o3"))
    await session.commit()
    used.clear()
    assert await session.scalar(sa.select(Organisation.id).where(Organisation.id == "o3")) == "o3"
    assert used == ["reader"]


async def test_a_locking_read_is_on_the_writer(routed):
    session, used = routed
    await session.execute(sa.select(Organisation).with_for_update())
    assert used == ["writer"]


async def test_a_reader_cannot_write(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'ro.db'}"
    await upgrade_async(url)
    reader = make_reader(url)
    assert reader is not None
    async with reader.connect() as conn:
        with pytest.raises(sa.exc.OperationalError, match="readonly"):
            await conn.execute(sa.text("DELETE FROM organisations"))
    await reader.dispose()


def test_postgresql_and_memory_databases_have_no_separate_readers():
    assert make_reader("postgresql+asyncpg://h/db") is None
    assert make_reader("sqlite+aiosqlite:///:memory:") is None


async def test_readers_run_on_the_event_loop_thread_and_the_writer_waits_on_its_own(
    tmp_path: Path,
):
    # A WAL reader never waits, so it skips the thread hop. The writer's statement that opens a
    # transaction takes the write lock (which may wait), so it runs on the writer's thread;
    # inside the transaction a statement only touches the page cache and runs inline.
    url = f"sqlite+aiosqlite:///{tmp_path / 'threads.db'}"
    writer, reader = make_engine(url), make_reader(url)
    assert reader is not None
    threads: dict[str, int] = {}
    for engine in (writer, reader):

        def on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.create_function("whose", 1, lambda at: threads.setdefault(at, get_ident()))

        sa.event.listen(engine.sync_engine, "connect", on_connect)
    async with writer.begin() as conn:
        await conn.execute(sa.text("CREATE TABLE marks (at TEXT)"))
    async with writer.begin() as conn:
        await conn.execute(sa.text("INSERT INTO marks VALUES (whose('opens'))"))
        await conn.execute(sa.text("INSERT INTO marks VALUES (whose('inside'))"))
        await conn.execute(sa.text("SELECT whose('reads inside')"))
    async with reader.connect() as conn:
        await conn.execute(sa.text("SELECT whose('reader')"))
        assert (await conn.execute(sa.text("SELECT count(*) FROM marks"))).scalar() == 2
    await writer.dispose()
    await reader.dispose()
    assert threads["opens"] != get_ident()
    assert threads["inside"] == threads["reads inside"] == threads["reader"] == get_ident()


@pytest.mark.parametrize("savepoint", [False, True], ids=["write first", "savepoint first"])
async def test_a_writer_waiting_for_another_process_lock_does_not_stop_the_event_loop(
    tmp_path: Path, savepoint: bool
):
    # A SAVEPOINT opens the transaction without the lock: the write after it still waits.
    path = tmp_path / "locked.db"
    writer = make_engine(f"sqlite+aiosqlite:///{path}")
    async with writer.begin() as conn:
        await conn.execute(sa.text("CREATE TABLE marks (at TEXT)"))
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    events: list[str] = []

    async def write() -> None:
        async with writer.begin() as conn:
            if savepoint:
                async with conn.begin_nested():
                    await conn.execute(sa.text("INSERT INTO marks VALUES ('ours')"))
            else:
                await conn.execute(sa.text("INSERT INTO marks VALUES ('ours')"))
        events.append("written")

    async def meanwhile() -> None:
        for _ in range(5):
            await asyncio.sleep(0.02)
            events.append("tick")
        other.execute("COMMIT")  # the other process lets go
        events.append("released")

    await asyncio.gather(write(), meanwhile())
    other.close()
    await writer.dispose()
    assert events == ["tick"] * 5 + ["released", "written"]


async def test_an_inline_reader_reports_errors_as_the_driver_does(tmp_path: Path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'errors.db'}"
    await upgrade_async(url)
    reader = make_reader(url)
    assert reader is not None
    async with reader.connect() as conn:
        with pytest.raises(sa.exc.OperationalError, match="no such table"):
            await conn.execute(sa.text("SELECT * FROM nowhere"))
        assert (await conn.execute(sa.text("SELECT 41 + 1"))).scalar_one() == 42
    await reader.dispose()
