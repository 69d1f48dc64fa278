"""The payment job reconciles the business day that ended, once across workers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from backend.db.models import JobTick, ReconciliationRun
from backend.payments import job
from common.business_day import business_date
from tests.backend.payments.helpers import in_process_send, sessions_of


async def test_yesterday_is_reconciled_once_whoever_runs_the_job(client, settings):
    now = datetime.now(UTC)
    runs = [job.run_once(sessions_of(client), settings, now, in_process_send(client))
            for _ in range(3)]  # fmt: skip
    await asyncio.gather(*runs)
    await job.run_once(sessions_of(client), settings, now, in_process_send(client))
    yesterday = business_date(now) - timedelta(days=1)
    async with sessions_of(client)() as db:
        days = list(await db.scalars(select(ReconciliationRun.business_day)))
        ticks = await db.scalar(select(func.count()).select_from(JobTick)
                                .where(JobTick.job == job.RECONCILIATION))  # fmt: skip
    assert days == [yesterday] and ticks == 1
