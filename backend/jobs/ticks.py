"""Run a periodic job exactly once per tick across workers, with a lease row 租约行.

A tick is a name for one run (a business date in ISO form for a daily job). To run it, a worker
INSERTs (job, tick) with ON CONFLICT DO NOTHING: the unique (job, tick) lets exactly one INSERT
win, on SQLite (one writer) as on PostgreSQL (many). The winner runs the job and sets
`finished_at`. A worker that died mid-run leaves a started, unfinished row: once it is older than
the lease timeout, a single conditional UPDATE hands it to one other worker (the job itself must
be idempotent, so the part the dead worker did is harmless to do again).

Daily jobs catch up: each pass runs every day from the day after the last finished tick to
today, in order, and stops at the first day another worker holds (its later days wait for it).

Why not APScheduler: with a shared job store it ran 4 ticks in 7 twice across two schedulers
(DESIGN.md). This needs no scheduler and no broker, only the database every worker already has.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.db.base import new_id
from backend.db.models import JobTick
from backend.db.upsert import upsert_ignore

log = logging.getLogger(__name__)
LEASE_S = 30 * 60.0  # longer than the longest run: the 100k-contract sweep takes minutes


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{new_id()[:6]}"[:64]


async def claim(
    sessions: async_sessionmaker[AsyncSession],
    job: str,
    tick: str,
    worker: str,
    now: datetime,
    lease_s: float = LEASE_S,
) -> bool:
    """Whether `worker` now holds (job, tick): it inserted the row, or took over a lease that
    expired unfinished. Committed before the job runs."""
    async with sessions() as db:
        won = await db.scalar(
            upsert_ignore(
                db, JobTick, ["job", "tick"], id=new_id(), job=job, tick=tick,
                started_at=now, worker=worker, attempts=1,
            ).returning(JobTick.id)
        )  # fmt: skip
        if won is None:
            taken = await db.execute(
                update(JobTick)
                .where(JobTick.job == job, JobTick.tick == tick, JobTick.finished_at.is_(None))
                .where(JobTick.started_at < now - timedelta(seconds=lease_s))
                .values(started_at=now, worker=worker, attempts=JobTick.attempts + 1)
            )
            won = taken.rowcount == 1  # type: ignore[attr-defined]
            if won:
                log.warning("job %s tick %s: lease expired, taken over by %s", job, tick, worker)
        await db.commit()
    return bool(won)


async def finish(
    sessions: async_sessionmaker[AsyncSession], job: str, tick: str, worker: str, now: datetime
) -> bool:
    """Mark the tick done; False when the lease was lost meanwhile (another worker re-runs it)."""
    async with sessions() as db:
        done = await db.execute(
            update(JobTick)
            .where(JobTick.job == job, JobTick.tick == tick, JobTick.worker == worker)
            .where(JobTick.finished_at.is_(None))
            .values(finished_at=now)
        )
        await db.commit()
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


async def last_finished_day(sessions: async_sessionmaker[AsyncSession], job: str) -> date | None:
    async with sessions() as db:
        tick = await db.scalar(
            select(func.max(JobTick.tick)).where(
                JobTick.job == job, JobTick.finished_at.is_not(None)
            )
        )
        await db.rollback()
    return date.fromisoformat(tick) if tick else None


async def run_once(
    sessions: async_sessionmaker[AsyncSession],
    job: str,
    tick: str,
    run: Callable[[], Awaitable[object]],
    worker: str,
    clock: Callable[[], datetime],
    lease_s: float = LEASE_S,
) -> bool:
    """Run `run` for (job, tick) if this worker wins it; whether it ran here."""
    if not await claim(sessions, job, tick, worker, clock(), lease_s):
        return False
    await run()  # an exception leaves the tick unfinished: retried once the lease expires
    await finish(sessions, job, tick, worker, clock())
    return True


async def catch_up_days(
    sessions: async_sessionmaker[AsyncSession],
    job: str,
    today: date,
    run_day: Callable[[date], Awaitable[object]],
    worker: str,
    clock: Callable[[], datetime],
    *,
    lease_s: float = LEASE_S,
    first_day: date | None = None,
) -> list[date]:
    """Run the daily job for every day after the last finished one up to `today`, in order (the
    first run ever starts at `first_day`, default today). Stops at a day held by another worker.
    Returns the days this worker ran."""
    last = await last_finished_day(sessions, job)
    day = (last + timedelta(days=1)) if last else (first_day or today)
    ran: list[date] = []
    while day <= today:
        if not await run_once(
            sessions, job, day.isoformat(), _bound(run_day, day), worker, clock, lease_s
        ):
            if not await _finished(sessions, job, day.isoformat()):
                break  # another worker runs it now: the later days wait for it
        else:
            ran.append(day)
        day += timedelta(days=1)
    return ran


def _bound(
    run_day: Callable[[date], Awaitable[object]], day: date
) -> Callable[[], Awaitable[object]]:
    async def one() -> object:
        return await run_day(day)

    return one


async def _finished(sessions: async_sessionmaker[AsyncSession], job: str, tick: str) -> bool:
    async with sessions() as db:
        at = await db.scalar(
            select(JobTick.finished_at).where(JobTick.job == job, JobTick.tick == tick)
        )
        await db.rollback()
    return at is not None
