"""The draft sweep 草稿过期清理: drafts untouched for ``draft_ttl_days`` are deleted, on every
worker (a run is idempotent; racing nodes are handled in `backend.intake.drafts.expire`)."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.clock import Clock
from backend.intake import drafts
from backend.settings import Settings

log = logging.getLogger("autolease.jobs.drafts")


async def run_periodically(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, clock: Clock
) -> None:
    """Every ``draft_sweep_interval_s`` seconds, until cancelled."""
    while True:
        await asyncio.sleep(settings.draft_sweep_interval_s)
        try:
            async with sessionmaker() as db:
                count = await drafts.expire(db, settings, clock())
            if count:
                log.info("draft sweep expired %d drafts", count)
        except Exception:  # a failed run must not stop the schedule
            log.exception("draft sweep failed")
