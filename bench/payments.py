"""Payment notifications per second (issue 13): the provider's signed, encrypted notification
(RSA-SHA256 verification + AES-256-GCM decryption + the payment marked paid and posted to the
ledger and the instalments, one transaction) against a bare "POST + one write" baseline, on
SQLite (one worker) and PostgreSQL (one worker), in one run.

  client     this script's load client (raw asyncio HTTP/1.1, 2 processes, prepared requests
             with their own headers) against a bare Litestar GET: what the client alone does
  baseline   bench/baseline_app.py: POST a small JSON body, one row written
  notify     POST /api/payments/notify/wechatpay_sandbox, each notification a different paid
             payment of the demo's active contract (so every one posts: the worst case — they
             all queue for that one contract's lock)
  duplicate  the same notifications again: each answered SUCCESS, nothing posted

Set-up is untimed and in-process: the demo data (`autolease demo`'s seed) on a fresh database,
N payments of ¥1.00 created and paid at the sandbox provider, the notifications signed.

Run: .venv/bin/python bench/payments.py [--payments 2000] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.http_load import PG_URL, _pg, free_port, fresh_keys, server  # noqa: E402
from bench.loadgen import Load, _pct, read_response  # noqa: E402

CONNECTIONS = 16
PROCESSES = 2
Raw = bytes  # a whole prepared HTTP/1.1 request


async def _connection(host: str, port: int, queue: list[Raw], latencies: list[float],
                      errors: list[int]) -> None:  # fmt: skip
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while queue:
            raw = queue.pop()
            start = time.perf_counter()
            writer.write(raw)
            status = await read_response(reader)
            latencies.append((time.perf_counter() - start) * 1000)
            if status >= 400:
                errors.append(1)
    finally:
        writer.close()


def _process(port: int, requests: list[Raw], connections: int, start_at: float,
             out: mp.Queue) -> None:  # type: ignore[type-arg]  # fmt: skip
    queue = list(reversed(requests))
    latencies: list[float] = []
    errors: list[int] = []

    async def run() -> float:
        await asyncio.sleep(max(0.0, start_at - time.time()))
        began = time.perf_counter()
        await asyncio.gather(*(_connection("127.0.0.1", port, queue, latencies, errors)
                               for _ in range(connections)))  # fmt: skip
        return time.perf_counter() - began

    out.put((latencies, len(errors), asyncio.run(run())))


def load(port: int, requests: list[Raw]) -> Load:
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
    start_at = time.time() + 1.5
    procs = [ctx.Process(target=_process, args=(port, requests[i::PROCESSES],
                                                 CONNECTIONS // PROCESSES, start_at, out))
             for i in range(PROCESSES)]  # fmt: skip
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    lat = sorted(x for r in results for x in r[0])
    return Load(len(lat), max(r[2] for r in results), _pct(lat, 0.5), _pct(lat, 0.99),
                sum(r[1] for r in results))  # fmt: skip


def request(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> Raw:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
    return (head + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n").encode() + body


def client_ceiling() -> Load:
    port = free_port()
    with server(["bench/hello_app.py", str(port)], port):
        return load(port, [request("GET", "/healthz", {})] * 20_000)


def baseline(url: str, count: int) -> Load:
    port = free_port()
    body = b'{"name":"bench","note":"a small JSON body, one row written"}'
    raw = request("POST", "/write", {"Content-Type": "application/json"}, body)
    with server(["bench/baseline_app.py", str(port), url], port):
        return load(port, [raw] * count)


async def _prepare(settings: Any, count: int) -> list[Raw]:
    """The demo data, `count` paid payments of the demo's active contract, their notifications."""
    from sqlalchemy import select

    from backend.auth.principal import Principal
    from backend.commands.serve import _seed
    from backend.db.migrate import upgrade
    from backend.db.models import Contract, User
    from backend.db.session import make_engine, make_sessionmaker
    from backend.payments import sandbox, service
    from common.api.auth import Role

    await asyncio.to_thread(upgrade, settings.database_url)
    await _seed(settings)
    engine = make_engine(settings.database_url)
    now = datetime.now(UTC)
    async with make_sessionmaker(engine)() as db:
        user = await db.scalar(select(User).where(User.username == "lessee"))
        assert user is not None
        contract = await db.scalar(
            select(Contract).where(
                Contract.status == "active", Contract.customer_id == user.customer_id
            )
        )
        assert contract is not None
        caller = Principal(user.id, user.username, Role.LESSEE, user.organisation_id, "bench",
                           user.customer_id)  # fmt: skip
        txns = []
        for _ in range(count):
            payment, _url = await service.create_payment(
                db, caller, contract.id, "custom", 100, now, settings.public_url,
                settings=settings)  # fmt: skip
            await db.flush()
            order = await sandbox.pay(db, payment.out_trade_no, now)
            txns.append(sandbox.transaction(order))
        await db.commit()
    await engine.dispose()
    keys = sandbox.platform_keys(settings)
    path = f"/api/payments/notify/{sandbox.PROVIDER}"
    out = []
    for t in txns:
        headers, body = sandbox.notification(keys, settings, t, datetime.now(UTC))
        out.append(request("POST", path, headers, body))
    return out


def notifications(database: str, count: int) -> tuple[Load, Load, Load]:
    """(baseline, notify, duplicate) on `database`."""
    import base64

    from backend.settings import Settings

    with tempfile.TemporaryDirectory() as data:
        name = None
        if database == "sqlite":
            url = f"sqlite+aiosqlite:///{data}/autolease.db"
            base_url = f"sqlite+aiosqlite:///{data}/baseline.db"
        else:
            name = f"autolease_bench_{uuid.uuid4().hex[:8]}"
            url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
            base_url = PG_URL.rsplit("/", 1)[0] + f"/{name}_base"
            asyncio.run(_pg(f"CREATE DATABASE {name}"))
            asyncio.run(_pg(f"CREATE DATABASE {name}_base"))
        try:
            keys = fresh_keys()
            port = free_port()
            settings = Settings(
                database_url=url, data_dir=Path(data), secret_key=keys["AUTOLEASE_SECRET_KEY"],
                pii_key=keys["AUTOLEASE_PII_KEY"],
                audit_signing_key=keys["AUTOLEASE_AUDIT_SIGNING_KEY"],
                public_url=f"http://127.0.0.1:{port}", payments_job_interval_s=0,
                contract_job_interval_s=0,
            )  # fmt: skip
            assert base64.b64decode(settings.pii_key)
            raws = asyncio.run(_prepare(settings, count))
            base = baseline(base_url, count)
            args = ["-m", "backend.cli", "serve", "--no-app", "--port", str(port)]
            with server(args, port, settings.to_env()):
                first = load(port, raws)
                again = load(port, raws)
            return base, first, again
        finally:
            if name:
                asyncio.run(_pg(f"DROP DATABASE {name} WITH (FORCE)"))
                asyncio.run(_pg(f"DROP DATABASE {name}_base WITH (FORCE)"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--payments", type=int, default=2000)
    ap.add_argument("--no-postgres", action="store_true")
    opts = ap.parse_args()
    ceiling = client_ceiling()
    print(f"load client: {PROCESSES} processes, {CONNECTIONS} connections; against a bare"
          f" Litestar GET: {ceiling.rps:,.0f} req/s\n")  # fmt: skip
    print(f"{'setup':<22}{'baseline req/s':>15}{'notify/s':>10}{'ratio':>7}{'p50 ms':>8}"
          f"{'p99 ms':>8}{'errors':>8}{'duplicate/s':>13}{'p50 ms':>8}")  # fmt: skip
    for database in ["sqlite"] + ([] if opts.no_postgres else ["postgres"]):
        base, first, again = notifications(database, opts.payments)
        print(
            f"{database + ', 1 worker':<22}{base.rps:>15,.0f}{first.rps:>10,.0f}"
            f"{first.rps / base.rps:>7.2f}{first.p50_ms:>8.1f}{first.p99_ms:>8.1f}"
            f"{first.errors + again.errors:>8}{again.rps:>13,.0f}{again.p50_ms:>8.1f}"
        )


if __name__ == "__main__":
    main()
