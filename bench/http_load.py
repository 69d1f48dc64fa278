"""A small closed-loop HTTP load generator and server launcher for the benchmarks.

Servers run as real uvicorn processes on 127.0.0.1 (one worker), the load comes from N concurrent
httpx clients in this process. The client shares the two cores with the server, so absolute
figures are lower than with a separate load machine; ratios against a baseline measured the same
way in the same run are what to compare.
"""

from __future__ import annotations

import asyncio
import base64
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


def fresh_keys() -> dict[str, str]:
    """`serve` refuses to start without its keys: a bench run makes its own."""
    return {
        "AUTOLEASE_SECRET_KEY": secrets.token_urlsafe(48),
        "AUTOLEASE_PII_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "AUTOLEASE_AUDIT_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
    }


ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(args: list[str], port: int, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run `python <args>` until /healthz (or /) answers; stop it (by its PID) afterwards."""
    proc = subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code < 500:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"server {args} did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


async def closed_loop(
    clients: int,
    total: int,
    make_request: Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]],
    base_url: str,
    headers: list[dict[str, str]] | None = None,
) -> LoadResult:
    """`clients` workers share `total` requests; each sends its next as soon as one returns."""
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    connected = asyncio.Barrier(clients + 1)

    async def worker(index: int) -> None:
        nonlocal errors
        h = headers[index % len(headers)] if headers else {}
        async with httpx.AsyncClient(base_url=base_url, headers=h, timeout=30) as client:
            await client.get("/healthz")  # connect before the clock starts
            await connected.wait()
            await connected.wait()
            for n in counter:
                start = time.perf_counter()
                response = await make_request(client, n)
                latencies.append((time.perf_counter() - start) * 1000)
                errors += response.status_code >= 400

    workers = [asyncio.create_task(worker(i)) for i in range(clients)]
    await connected.wait()  # every client is connected
    start = time.perf_counter()
    await connected.wait()  # go
    await asyncio.gather(*workers)
    elapsed = time.perf_counter() - start
    return LoadResult(total, elapsed, _pct(latencies, 0.5), _pct(latencies, 0.99), errors)


PG_URL = os.environ.get(
    "AUTOLEASE_BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


async def _pg(sql: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(sql))
    await engine.dispose()


async def _seed(url: str) -> None:
    from backend.db.session import make_engine, make_sessionmaker
    from backend.seed import seed_demo

    engine = make_engine(url)
    async with make_sessionmaker(engine)() as db:
        await seed_demo(db)
    await engine.dispose()


@contextmanager
def autolease_server(
    database: str, port: int, workers: int = 1, env: dict[str, str] | None = None
) -> Iterator[str]:
    """`autolease` (API only) on SQLite (the demo, one worker) or on a fresh PostgreSQL database
    with the demo accounts (`workers` processes). The contract job is off: it would render the
    PDFs of the applications a benchmark approves (~0.4 s of CPU each) beside what is measured."""
    env = {
        "AUTOLEASE_CONTRACT_JOB_INTERVAL_S": "0",
        "AUTOLEASE_SERVICING_SWEEP_INTERVAL_S": "0",
        **(env or {}),
    }
    import tempfile
    import uuid

    from backend.db.migrate import upgrade

    with tempfile.TemporaryDirectory() as data:
        if database == "sqlite":
            args = [
                "-m",
                "backend.cli",
                "demo",
                "--no-app",
                "--port",
                str(port),
                "--data-dir",
                data,
            ]
            with server(args, port, env) as base:
                yield base
            return
        name = f"autolease_bench_{uuid.uuid4().hex[:8]}"
        url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
        asyncio.run(_pg(f"CREATE DATABASE {name}"))
        try:
            upgrade(url)
            asyncio.run(_seed(url))
            pg_env = {**(env or {}), "AUTOLEASE_DATABASE_URL": url, "AUTOLEASE_DATA_DIR": data,
                      **fresh_keys()}  # fmt: skip
            args = ["-m", "backend.cli", "serve", "--no-app", "--port", str(port)]
            with server([*args, "--workers", str(workers)], port, pg_env) as base:
                yield base
        finally:
            asyncio.run(_pg(f"DROP DATABASE {name} WITH (FORCE)"))
