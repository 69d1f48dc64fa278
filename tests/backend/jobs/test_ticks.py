"""A lease row per tick: concurrent runners run each tick exactly once (separate sessions on the
one SQLite writer; separate engines, truly concurrent, on PostgreSQL), a run that crashed is
re-run once after its lease expires, and missed days are caught up in order."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from backend.db.models import JobTick
from backend.db.session import make_engine, make_sessionmaker
from backend.jobs import ticks
from backend.settings import Settings
from tests.backend.jobs.books import Sessions

DAY0 = date(2026, 3, 1)
T0 = datetime(2026, 3, 1, 0, 1, tzinfo=UTC)


class Clock:
    def __init__(self, at: datetime = T0) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


async def test_three_concurrent_runners_run_each_of_twenty_days_exactly_once(
    sessions: Sessions, settings: Settings
) -> None:
    runs: list[tuple[str, date]] = []
    today = DAY0 + timedelta(days=19)
    engines = (
        [make_engine(settings.database_url) for _ in range(3)] if not settings.is_sqlite else []
    )
    makers = [make_sessionmaker(e) for e in engines] or [sessions] * 3

    async def runner(name: str, maker: Sessions) -> None:
        async def job(day: date) -> None:
            await asyncio.sleep(0.005)  # the others try meanwhile
            runs.append((name, day))

        for _ in range(5):  # a worker's loop passes
            await ticks.catch_up_days(maker, "test_job", today, job, name, Clock(),
                                      first_day=DAY0)  # fmt: skip
            await asyncio.sleep(0.01)

    try:
        await asyncio.gather(*(runner(f"w{i}", m) for i, m in enumerate(makers)))
    finally:
        for e in engines:
            await e.dispose()
    per_day = Counter(day for _, day in runs)
    assert per_day == {DAY0 + timedelta(days=i): 1 for i in range(20)}
    assert [day for _, day in runs] == sorted(day for _, day in runs)  # in order
    async with sessions() as db:
        rows = list(await db.scalars(sa.select(JobTick).where(JobTick.job == "test_job")))
    assert len(rows) == 20 and all(r.finished_at is not None for r in rows)


async def test_a_crashed_tick_is_rerun_once_after_its_lease_expires(sessions: Sessions) -> None:
    clock = Clock()
    runs: list[str] = []

    async def crashing(day: date) -> None:
        runs.append("a")
        raise RuntimeError("killed mid-tick")

    async def healthy(day: date) -> None:
        runs.append("b")

    with pytest.raises(RuntimeError):
        await ticks.catch_up_days(sessions, "j", DAY0, crashing, "a", clock, lease_s=60)
    # Within the lease the tick is still a's: b neither runs it nor skips past it.
    assert await ticks.catch_up_days(sessions, "j", DAY0, healthy, "b", clock, lease_s=60) == []
    clock.at += timedelta(seconds=61)
    assert await ticks.catch_up_days(sessions, "j", DAY0, healthy, "b", clock, lease_s=60) == [DAY0]
    assert await ticks.catch_up_days(sessions, "j", DAY0, healthy, "c", clock, lease_s=60) == []
    assert runs == ["a", "b"]
    async with sessions() as db:
        row = await db.scalar(sa.select(JobTick).where(JobTick.job == "j"))
    assert row is not None and row.attempts == 2 and row.worker == "b"
    # The crashed worker's late finish does not count: the lease is b's.
    assert not await ticks.finish(sessions, "j", DAY0.isoformat(), "a", clock())


async def test_missed_days_are_caught_up_in_order(sessions: Sessions) -> None:
    ran: list[date] = []

    async def job(day: date) -> None:
        ran.append(day)

    assert await ticks.catch_up_days(sessions, "daily", DAY0, job, "w", Clock()) == [DAY0]
    # The servers were down for five days.
    later = DAY0 + timedelta(days=5)
    got = await ticks.catch_up_days(sessions, "daily", later, job, "w", Clock())
    assert got == [DAY0 + timedelta(days=i) for i in range(1, 6)]
    assert ran == [DAY0 + timedelta(days=i) for i in range(6)]
    assert await ticks.catch_up_days(sessions, "daily", later, job, "w", Clock()) == []
