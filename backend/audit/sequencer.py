"""The audit sequencer's schedule: link new events every ``link_interval_s`` and sign a
checkpoint every ``checkpoint_interval_s`` (when the chain grew). Runs on every worker; the head
row's lock makes concurrent runs take turns, so the chain is the same whichever node links."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.audit import service
from backend.audit.checkpoint import CheckpointSigner
from backend.clock import Clock

log = logging.getLogger("autolease.audit")


async def run_sequencer(
    sessionmaker: async_sessionmaker[AsyncSession],
    signer: CheckpointSigner,
    clock: Clock,
    link_interval_s: float,
    checkpoint_interval_s: float,
) -> None:
    last_checkpoint: datetime | None = None
    while True:
        await asyncio.sleep(link_interval_s)
        try:
            async with sessionmaker() as db:
                await service.link_all(db, service.LINK_BATCH)
                now = clock()
                due = last_checkpoint is None or (
                    (now - last_checkpoint).total_seconds() >= checkpoint_interval_s
                )
                if due:
                    await service.checkpoint(db, signer, now)
                    last_checkpoint = now
        except Exception:  # a failed run must not stop the schedule; the next one catches up
            log.exception("audit sequencer run failed")
