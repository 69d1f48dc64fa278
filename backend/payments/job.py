"""The payment job, run in the app's lifespan on every worker (like the contract job): the
sandbox provider's notifier sends what is due (its retry schedule), and the query path settles
payments no notification confirmed, and the refunds still PROCESSING are asked about (the
sandbox provider processes its own first). All are idempotent; workers racing each other only send a
notification twice, which the handler answers as a duplicate. Once a business day has ended,
its reconciliation runs against the provider's statement, once across workers (a job tick)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.jobs import ticks
from backend.payments import query, reconcile, refunds, sandbox, sandbox_refunds
from backend.payments.controllers import payment_routes
from backend.settings import Settings
from common.business_day import business_date

log = logging.getLogger(__name__)
RECONCILIATION = "payments.reconciliation"


def routes(settings: Settings) -> list[Any]:
    return payment_routes(settings)


async def run_once(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, now: datetime,
    send: sandbox.Send = sandbox.http_send,
) -> tuple[int, int]:  # fmt: skip
    """(notifications acknowledged, payments settled by query)."""
    acked = 0
    if settings.providers == "sandbox":
        acked = await sandbox.deliver_due(sessions, settings, now, send)
        await sandbox_refunds.process_due(sessions, now)  # the provider processes its refunds
    settled = await query.settle_stale(sessions, now, settings)
    await refunds.sync_processing(sessions, settings, now)
    yesterday = business_date(now) - timedelta(days=1)  # its statement is published

    async def reconcile_yesterday() -> None:
        await reconcile.reconcile_day(sessions, yesterday, now, settings)

    await ticks.run_once(sessions, RECONCILIATION, yesterday.isoformat(), reconcile_yesterday,
                         ticks.worker_name(), lambda: now)  # fmt: skip
    return acked, settled


async def run_periodically(
    sessions: async_sessionmaker[AsyncSession], settings: Settings,
    clock: Callable[[], datetime],
) -> None:  # fmt: skip
    while True:
        try:
            await run_once(sessions, settings, clock())
        except Exception:
            log.exception("the payment job failed; trying again next time")
        await asyncio.sleep(settings.payments_job_interval_s)
