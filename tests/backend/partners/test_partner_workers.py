"""Several workers on one outbox (several processes or machines, each with its own pool): every
delivery is claimed by exactly one of them and sent exactly once. On PostgreSQL they claim
side by side (FOR UPDATE SKIP LOCKED); on SQLite the writer lock takes them in turn."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace

from sqlalchemy import func, select

from backend.db.models import WebhookDelivery
from backend.db.session import make_engine, make_reader, make_sessionmaker
from backend.partners.sender import SendLimits
from tests.backend.partners.helpers import START, MovingClock, enqueue, subscribed_contract, worker

EVENTS = 40
# Claims are under test, not timeouts: on a loaded CI machine FAST's half-second read limit
# turned a slow answer into a retry the frozen clock never made due again.
PATIENT = SendLimits(connect_s=10.0, read_s=10.0, total_s=20.0, max_response_bytes=4096)


async def test_two_workers_never_send_one_delivery_twice(client, server, sessions, settings, pii):
    contract_id, _ = await subscribed_contract(client, server.url("ok"))
    for n in range(EVENTS):
        await enqueue(sessions, settings, pii, contract_id, f"evt-{n:03d}", START)
    engines = [(make_engine(settings.database_url), make_reader(settings.database_url))
               for _ in range(2)]  # fmt: skip
    try:
        workers = [
            replace(
                worker(make_sessionmaker(e, r), settings, pii, MovingClock(), limits=PATIENT),
                batch=7,
            )
            for e, r in engines
        ]
        rounds: list[dict[str, int]] = []
        while True:
            counts = await asyncio.gather(*(w.run_once() for w in workers))
            rounds.extend(counts)
            if not any(counts):
                break
    finally:
        for e, r in engines:
            await e.dispose()
            if r is not None:
                await r.dispose()
    sent = Counter(r.headers["AutoLease-Event-Id"] for r in server.of("ok"))
    assert len(sent) == EVENTS and set(sent.values()) == {1}, (sent.most_common(3), rounds)
    assert sum(c.get("delivered", 0) for c in rounds) == EVENTS
    assert all("lost_claim" not in c for c in rounds)
    if not settings.is_sqlite:  # SKIP LOCKED: each takes other rows at once
        both = [c.get("delivered", 0) for c in rounds[:2]]
        assert all(both), both  # both workers took part in the first round
    async with sessions() as db:
        attempts = await db.scalar(select(func.sum(WebhookDelivery.total_attempts)))
    assert attempts == EVENTS
