"""A small closed-loop HTTP load generator and server launcher for the benchmarks.

Servers run as real uvicorn processes on 127.0.0.1 (one worker), the load comes from N concurrent
httpx clients in this process. The client shares the two cores with the server, so absolute
figures are lower than with a separate load machine; ratios against a baseline measured the same
way in the same run are what to compare.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

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

    async def worker(index: int) -> None:
        nonlocal errors
        h = headers[index % len(headers)] if headers else {}
        async with httpx.AsyncClient(base_url=base_url, headers=h, timeout=30) as client:
            for n in counter:
                start = time.perf_counter()
                response = await make_request(client, n)
                latencies.append((time.perf_counter() - start) * 1000)
                errors += response.status_code >= 400

    start = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(clients)))
    elapsed = time.perf_counter() - start
    return LoadResult(total, elapsed, _pct(latencies, 0.5), _pct(latencies, 0.99), errors)
