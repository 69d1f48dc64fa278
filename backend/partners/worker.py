"""The webhook worker 推送任务, run in the app's lifespan on every worker process: claim what is
due (backend/partners/outbox.py), send each outside any transaction (backend/partners/sender.py),
record each outcome in a short transaction of its own. Safe on many processes and machines: a row
is claimed by one worker per lease, and the lease outlasts the sender's total time limit.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.partners import outbox, sender
from backend.partners.ssrf import Resolver, UrlPolicy, system_resolver
from backend.security.pii import PiiCipher
from backend.settings import Settings

log = logging.getLogger(__name__)
BATCH = 20  # deliveries claimed at once
CONCURRENCY = 8  # sent at once by one worker


@dataclass(frozen=True)
class Worker:
    sessions: async_sessionmaker[AsyncSession]
    pii: PiiCipher
    policy: UrlPolicy
    clock: Callable[[], datetime]
    resolver: Resolver = system_resolver
    limits: sender.SendLimits = field(default_factory=sender.SendLimits)
    jitter: Callable[[], float] = random.random
    batch: int = BATCH

    @classmethod
    def for_settings(
        cls, sessions: async_sessionmaker[AsyncSession], settings: Settings, pii: PiiCipher,
        clock: Callable[[], datetime],
    ) -> Worker:  # fmt: skip
        return cls(sessions, pii, UrlPolicy.for_settings(settings), clock)

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.limits.total_s * 4 + 60)

    async def run_once(self) -> dict[str, int]:
        """Claims and sends one batch; the count of each resulting status."""
        async with self.sessions() as db:
            claimed = await outbox.claim(
                db, self.pii, self.clock(), limit=self.batch, lease=self.lease
            )
            await db.commit()
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(c: outbox.Claimed) -> str | None:
            async with gate:
                return await self._deliver(c)

        counts: dict[str, int] = {}
        for status in await asyncio.gather(*(one(c) for c in claimed)):
            key = status or "lost_claim"
            counts[key] = counts.get(key, 0) + 1
        return counts

    async def _deliver(self, c: outbox.Claimed) -> str | None:
        t = int(self.clock().timestamp())
        try:
            outcome = await sender.post(
                self.policy, self.resolver, c.url, outbox.headers_for(c, t), c.body, self.limits
            )
        except Exception as exc:  # a bug must not leave the row claimed until its lease ends
            log.exception("sending webhook %s failed", c.delivery_id)
            outcome = sender.Outcome(None, "send_failed", f"{type(exc).__name__}: {exc}", 0)
        if not outcome.delivered:
            log.info("webhook %s to %s: %s %s", c.delivery_id, c.url, outcome.error_code,
                     outcome.error)  # fmt: skip
        async with self.sessions() as db:
            status = await outbox.record(db, c, outcome, self.clock(), self.jitter())
            await db.commit()
        return status


async def run_periodically(worker: Worker, interval_s: float) -> None:
    while True:
        try:
            counts = await worker.run_once()
            if sum(counts.values()) >= worker.batch:
                continue  # more may be due: no pause while there is a backlog
        except Exception:
            log.exception("the webhook worker failed; trying again next time")
        await asyncio.sleep(interval_s)
