"""A closed-loop HTTP/1.1 load client that is not the bottleneck: several processes, each with
asyncio connections that speak just enough HTTP/1.1 (keep-alive, Content-Length bodies) to send
prepared requests and time them. No HTTP library on the hot path: one process sends well over
10,000 requests/s here, so at the service's rates the server is what is measured
(`ceiling()` prints the client's own figure against a trivial server).

Each request is sent exactly once; the run ends when the last one is answered.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import queue
import time
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

Request = tuple[str, str, bytes]  # method, path, body (JSON when not empty)


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int  # status >= 400 or no answer

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _pct(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


async def read_response(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 response (headers, a Content-Length body); its status (999: none)."""
    status_line = await reader.readline()
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    parts = status_line.split()
    return int(parts[1]) if len(parts) >= 2 else 999


async def _connection(host: str, port: int, headers: bytes, queue: list[Request],
                      latencies: list[float], errors: list[int]) -> None:  # fmt: skip
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while queue:
            method, path, body = queue.pop()
            head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {len(body)}\r\n"
            extra = b"Content-Type: application/json\r\n" if body else b""
            start = time.perf_counter()
            writer.write(head.encode() + extra + headers + b"\r\n" + body)
            status = await read_response(reader)
            latencies.append((time.perf_counter() - start) * 1000)
            if status >= 400:
                errors.append(1)
    finally:
        writer.close()


def _process(url: str, headers: dict[str, str], requests: list[Request], connections: int,
             start_at: float, out: mp.Queue) -> None:  # type: ignore[type-arg]  # fmt: skip
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    raw = b"".join(f"{k}: {v}\r\n".encode() for k, v in headers.items())
    queue = list(reversed(requests))
    latencies: list[float] = []
    errors: list[int] = []

    async def run() -> float:
        await asyncio.sleep(max(0.0, start_at - time.time()))
        began = time.perf_counter()
        await asyncio.gather(*(
            _connection(host, port, raw, queue, latencies, errors) for _ in range(connections)
        ))  # fmt: skip
        return time.perf_counter() - began

    elapsed = asyncio.run(run())
    out.put((latencies, len(errors), elapsed))


def run(url: str, requests: Sequence[Request], *, connections: int = 16, processes: int = 2,
        headers: dict[str, str] | None = None) -> Load:  # fmt: skip
    """Send every request once over ``connections`` connections spread across ``processes``."""
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
    start_at = time.time() + 1.5  # every process is up and connected before the clock starts
    share = [list(requests[i::processes]) for i in range(processes)]
    procs = [
        ctx.Process(target=_process, args=(url, headers or {}, share[i],
                                           connections // processes, start_at, out))
        for i in range(processes)
    ]  # fmt: skip
    for p in procs:
        p.start()
    results: list[tuple[list[float], int, float]] = []
    while len(results) < len(procs):
        try:
            results.append(out.get(timeout=1))
        except queue.Empty:  # a load process that died would leave this waiting for ever
            if any(p.exitcode not in (None, 0) for p in procs):
                raise RuntimeError("a load process died; see its traceback above") from None
    for p in procs:
        p.join()
    latencies = sorted(x for r in results for x in r[0])
    return Load(len(latencies), max(r[2] for r in results), _pct(latencies, 0.5),
                _pct(latencies, 0.99), sum(r[1] for r in results))  # fmt: skip


def repeat(method: str, path: str, count: int, body: bytes = b"") -> list[Request]:
    return [(method, path, body)] * count
