"""Submit path over HTTP at 16 concurrent clients, next to a bare Litestar hello-world (issue 3).

Measures, against a real `autolease` server (API only) on SQLite (the demo, one worker) and on
PostgreSQL (one and two workers):
  create  POST /api/applications with vehicle, customer and quote, each with an Idempotency-Key
  submit  POST /api/applications/{id}/submit on complete drafts (photos uploaded untimed before)
and the same client loop against `bench/hello_app.py` POST /hello.
"""

from __future__ import annotations

import asyncio
import io
import sys
from pathlib import Path

import httpx
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.http_load import (  # noqa: E402
    LoadResult,
    autolease_server,
    closed_loop,
    free_port,
    server,
)
from tests.backend.helpers import VALID_VIN, person, quote_request  # noqa: E402

CLIENTS = 16


def resident_id(n: int) -> str:
    """A valid GB 11643 number per n: every draft is a different customer, as in a real shop."""
    body = f"110105{1960 + n % 40}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (800, 600), "gray").save(buf, "JPEG")
    return buf.getvalue()


async def _tokens(base: str, n: int) -> list[dict[str, str]]:
    async with httpx.AsyncClient(base_url=base) as c:
        out = []
        for _ in range(n):
            r = await c.post("/api/auth/login", json={"username": "staff", "password": "demo"})
            out.append({"Authorization": f"Bearer {r.json()['access_token']}"})
        return out


async def _run(base: str, hello: str, count: int) -> dict[str, LoadResult]:
    headers = await _tokens(base, CLIENTS)
    ids: list[str] = []

    async def create(client: httpx.AsyncClient, n: int) -> httpx.Response:
        body = {
            "vehicle": {"vin": VALID_VIN, "price": "150000"},
            "customer": person(id_number=resident_id(n), mobile=f"139{n:08d}"),
            "quote": quote_request(),
        }
        r = await client.post("/api/applications", json=body, headers={"Idempotency-Key": f"b-{n}"})
        if r.status_code != 201:
            print("create failed:", r.status_code, r.text[:300])
            return r
        ids.append(r.json()["id"])
        return r

    results = {
        "hello": await closed_loop(
            CLIENTS, count, lambda c, n: c.post("/hello", json={"name": "x"}), hello
        )
    }
    results["create"] = await closed_loop(CLIENTS, count, create, base, headers)
    photo = _jpeg()
    async with httpx.AsyncClient(base_url=base, headers=headers[0], timeout=30) as c:
        for app_id in ids:
            for kind in ("id_front", "id_back", "customer_face", "driving_licence", "vehicle"):
                await c.put(
                    f"/api/applications/{app_id}/photos/{kind}",
                    content=photo,
                    headers={"Content-Type": "image/jpeg"},
                )
    results["submit"] = await closed_loop(
        CLIENTS, len(ids), lambda c, n: c.post(f"/api/applications/{ids[n]}/submit"), base, headers
    )
    return results


RUNS = (("sqlite", 1), ("postgres", 1), ("postgres", 2))  # (database, uvicorn workers)


def bench_submit_path(count: int = 400, runs: tuple[tuple[str, int], ...] = RUNS) -> None:
    hello_port = free_port()
    with server(["bench/hello_app.py", str(hello_port)], hello_port) as hello:
        for database, workers in runs:
            port = free_port()
            with autolease_server(database, port, workers) as base:
                results = asyncio.run(_run(base, hello, count))
            _report(f"{database}, {workers} uvicorn worker(s)", count, results)


def _report(setup: str, count: int, results: dict[str, LoadResult]) -> None:
    h = results["hello"]
    print(f"\nHTTP at {CLIENTS} concurrent clients, {setup}, {count} requests")
    print(f"  {'endpoint':<34}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'vs hello':>10}{'errors':>8}")
    rows = (
        ("hello", "bare Litestar POST /hello"),
        ("create", "POST /api/applications"),
        ("submit", "POST /api/applications/{id}/submit"),
    )
    for name, label in rows:
        r = results[name]
        print(
            f"  {label:<34}{r.rps:>8.0f}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}"
            f"{r.rps / h.rps:>10.2f}{r.errors:>8}"
        )


if __name__ == "__main__":
    bench_submit_path(int(sys.argv[1]) if len(sys.argv) > 1 else 400)
