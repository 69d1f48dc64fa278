"""The retention sweep 数据保留清理, on every worker (each step is idempotent, so racing nodes
delete nothing twice and lose nothing):

- drafts untouched for ``draft_ttl_days`` (racing nodes: `backend.intake.drafts.expire`);
- sign-in sessions ended a day ago, with their retired refresh tokens;
- login-throttle windows that are over and one-time codes expired with their window;
- the record of spent upload tokens once the tokens themselves have expired;
- statement export files older than ``statement_export_keep_days`` (exported again on demand).

What is kept for good: the audit trail, the ledger, and idempotency records (a money request
retried late must still find its first answer).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.auth import otp, throttle
from backend.auth.service import forget_ended_sessions
from backend.clock import Clock
from backend.intake import drafts, photo_store
from backend.settings import Settings
from backend.statements import exports

log = logging.getLogger("autolease.jobs.retention")
SESSION_GRACE = timedelta(days=1)  # an ended session stays a day: its 401s read "invalid" alike

Step = Callable[[AsyncSession, Settings, datetime], Awaitable[int]]
STEPS: dict[str, Step] = {
    "drafts": drafts.expire,
    "sessions": lambda db, _, now: forget_ended_sessions(db, now, SESSION_GRACE),
    "login_windows": lambda db, _, now: throttle.forget_past_windows(db, now),
    "one_time_codes": lambda db, _, now: otp.forget_expired_codes(db, now),
    "upload_tokens": photo_store.forget_spent_upload_tokens,
    "statement_exports": exports.expire_old,
}


async def sweep(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, now: datetime
) -> dict[str, int]:
    """One pass, a transaction per step (one failing leaves the others done); what each removed."""
    done: dict[str, int] = {}
    for name, step in STEPS.items():
        try:
            async with sessionmaker() as db:
                done[name] = await step(db, settings, now)
                await db.commit()
        except Exception:  # one failed step must not stop the others
            log.exception("retention sweep: %s failed", name)
    return done


async def run_periodically(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, clock: Clock
) -> None:
    """Every ``retention_sweep_interval_s`` seconds, until cancelled."""
    while True:
        await asyncio.sleep(settings.retention_sweep_interval_s)
        removed = {k: v for k, v in (await sweep(sessionmaker, settings, clock())).items() if v}
        if removed:
            log.info("retention sweep removed %s", removed)
