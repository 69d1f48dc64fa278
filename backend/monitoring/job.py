"""The monitoring job on every worker: each tick makes the coming days' position partitions
(PostgreSQL; once a day), seeds the zones table when empty, and opens the signal-loss alerts due
(`silence.sweep`; idempotent across workers by the alerts' unique keys)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.monitoring import partitions, silence

log = logging.getLogger(__name__)


async def tick(sessions: async_sessionmaker[AsyncSession], now: datetime,
               made_for: date | None) -> date:  # fmt: skip
    """One pass; returns the UTC day whose partitions are made."""
    async with sessions() as db:
        if made_for != now.date():
            await partitions.ensure(db, now.date())
            await silence.seed_zones(db)
            made_for = now.date()
        await silence.sweep(db, now)
        await db.commit()
    return made_for


async def run_periodically(sessions: async_sessionmaker[AsyncSession], interval_s: float,
                           clock: Callable[[], datetime]) -> None:  # fmt: skip
    made_for: date | None = None
    while True:
        try:
            made_for = await tick(sessions, clock(), made_for)
        except Exception:
            log.exception("the monitoring job failed; trying again next time")
        await asyncio.sleep(interval_s)
