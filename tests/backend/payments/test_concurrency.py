"""Exactly once under load, on both databases: every one of many paid payments notified 50 times
at once through the real handler (each notification its own transaction, all racing for the
contract's lock) is posted exactly once — one repayment entry per payment, allocations equal to
entries, the books balanced."""

from __future__ import annotations

import asyncio
import os
import time
from datetime import UTC, datetime

from sqlalchemy import func, select

from backend.db.models import LedgerEntry, Payment
from backend.payments import notify, sandbox
from tests.backend.payments.helpers import active_contract, assert_books, create, sessions_of

# 100 payments x 50 keeps the pair of runs near a minute on a shared two-core machine;
# AUTOLEASE_PAYMENTS_HEAVY=1 runs the full 200 x 50 (about 35 s on SQLite, 56 s on PostgreSQL).
PAYMENTS = 200 if os.environ.get("AUTOLEASE_PAYMENTS_HEAVY") == "1" else 100
DUPLICATES = 50
WAVE = 8  # payments whose duplicates race at once (PostgreSQL's pool is 20 connections)


async def test_fifty_concurrent_duplicates_of_each_payment_post_each_once(client, settings):
    contract, lessee = await active_contract(client, settings)
    started = time.perf_counter()
    payments = []
    for k in range(PAYMENTS):
        r = await create(client, lessee, contract["id"], "custom", "1.00", key=f"p{k}")
        assert r.status_code == 201, r.text
        payments.append(r.json())
    now = datetime.now(UTC)
    sessions = sessions_of(client)
    async with sessions() as db:
        for p in payments:
            await sandbox.pay(db, p["out_trade_no"], now)
        txns = [sandbox.transaction(await sandbox.order(db, p["out_trade_no"])) for p in payments]
        await db.commit()
    keys = sandbox.platform_keys(settings)
    notes = [sandbox.notification(keys, settings, t, now) for t in txns]
    outcomes = []
    for w in range(0, PAYMENTS, WAVE):
        outcomes += await asyncio.gather(*(
            notify.receive(sessions, settings, sandbox.PROVIDER, h, b, datetime.now(UTC))
            for h, b in notes[w:w + WAVE] for _ in range(DUPLICATES)
        ))  # fmt: skip
    assert all(o.acknowledged for o in outcomes), {o.code for o in outcomes}
    assert sum(o.posted for o in outcomes) == PAYMENTS
    assert sum(o.duplicate for o in outcomes) == PAYMENTS * (DUPLICATES - 1)
    async with sessions() as db:
        entries = await db.scalar(
            select(func.count())
            .select_from(LedgerEntry)
            .where(LedgerEntry.contract_id == contract["id"], LedgerEntry.kind == "repayment")
        )
        assert entries == PAYMENTS
        counts = set(await db.scalars(select(Payment.notified_count)))
        assert min(counts) >= 1 and max(counts) <= DUPLICATES  # the ones that raced the first
    await assert_books(client, contract["id"])
    print(f"{PAYMENTS}x{DUPLICATES} notifications in {time.perf_counter() - started:.1f}s")
