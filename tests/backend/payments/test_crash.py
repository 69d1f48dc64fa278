"""kill -9 in the middle of a burst of notifications, on both databases: a real server process
(`autolease serve`) takes the provider's notifications and is killed mid-burst; after a restart
everything is sent again. Every notification that got an ACK before the kill was posted, none is
half-posted (each paid payment has its one balanced entry and allocations equal to it; no entry
without a paid payment), and after the re-sends every payment is posted exactly once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import select

from backend.db.models import Payment
from backend.payments import sandbox
from tests.backend.payments.helpers import (
    NOTIFY,
    active_contract,
    assert_books,
    create,
    pay,
    sessions_of,
)
from tests.e2e.server import free_port

ROOT = Path(__file__).resolve().parents[3]
PAYMENTS = 60
KILL_AFTER = 12  # ACKs


@contextmanager
def serving(settings, port: int) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, **settings.to_env(), "AUTOLEASE_PUBLIC_URL": f"http://127.0.0.1:{port}",
           "AUTOLEASE_PAYMENTS_JOB_INTERVAL_S": "0", "AUTOLEASE_CONTRACT_JOB_INTERVAL_S": "0",
           "AUTOLEASE_AUDIT_LINK_INTERVAL_S": "3600"}  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-m", "backend.cli", "serve", "--no-app", "--port",
                             str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=20)


async def _burst(port: int, notes, proc=None) -> list[int | None]:
    acks = 0

    async def one(client: httpx.AsyncClient, headers, body) -> int | None:
        nonlocal acks
        try:
            r = await client.post(f"http://127.0.0.1:{port}{NOTIFY}", headers=headers,
                                  content=body)  # fmt: skip
        except httpx.HTTPError:
            return None
        if r.status_code == 200:
            acks += 1
            if proc is not None and acks == KILL_AFTER:
                os.kill(proc.pid, signal.SIGKILL)
        return r.status_code

    limits = httpx.Limits(max_connections=20)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        return await asyncio.gather(*(one(client, h, b) for h, b in notes))


async def test_a_killed_server_loses_no_acknowledged_payment_and_posts_none_twice(client, settings):
    contract, lessee = await active_contract(client, settings)
    payments = []
    for k in range(PAYMENTS):
        r = await create(client, lessee, contract["id"], "custom", f"{k + 1}.00", key=f"c{k}")
        assert r.status_code == 201, r.text
        payments.append(r.json())
        await pay(client, r.json()["out_trade_no"], datetime.now(UTC))
    async with sessions_of(client)() as db:
        txns = [sandbox.transaction(await sandbox.order(db, p["out_trade_no"])) for p in payments]
    keys = sandbox.platform_keys(settings)

    def notes():
        return [sandbox.notification(keys, settings, t, datetime.now(UTC)) for t in txns]

    port = free_port()
    with serving(settings, port) as proc:
        answers = await _burst(port, notes(), proc)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
    acked = {p["id"] for p, a in zip(payments, answers, strict=True) if a == 200}
    assert len(acked) >= KILL_AFTER and None in answers  # some were cut off by the kill
    async with sessions_of(client)() as db:
        paid = set(await db.scalars(select(Payment.id).where(Payment.status == "paid")))
    assert acked <= paid  # an ACK means it was committed
    await assert_books(client, contract["id"])  # nothing half-posted, nothing without its payment
    with serving(settings, port):
        again = await _burst(port, notes())
    assert again == [200] * PAYMENTS
    async with sessions_of(client)() as db:
        paid = set(await db.scalars(select(Payment.id).where(Payment.status == "paid")))
    assert paid == {p["id"] for p in payments}
    await assert_books(client, contract["id"])  # each posted exactly once
