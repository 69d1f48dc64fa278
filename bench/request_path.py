"""The request path (issue 10): submit-to-decision against a bare "POST + one write" baseline.

For SQLite (one uvicorn worker) and PostgreSQL (one and two workers), in one run:
  baseline   bench/baseline_app.py: POST a small JSON body, one row written (the service's engine
             settings: one connection on SQLite, a pool on PostgreSQL)
  submit     POST /api/applications/{id}/submit on complete drafts filed untimed beforehand
at 16 concurrent connections from `bench/loadgen.py` (two processes of raw asyncio
HTTP/1.1: not the bottleneck — its rate against a bare Litestar GET is printed first). Then,
in-process, the SQL statements and connection checkouts one submit costs; and with sandbox
providers answering in 1.5 s, the p99 of another shop's GET /api/auth/me while 16 submits wait
on providers.

Run: .venv/bin/python bench/request_path.py [--drafts 600] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import loadgen  # noqa: E402
from bench.http_load import (  # noqa: E402
    PG_URL,
    _pg,
    autolease_server,
    free_port,
    fresh_keys,
    server,
)
from bench.loadgen import Load  # noqa: E402
from bench.risk import _application_body  # noqa: E402

CONNECTIONS = 16
BASELINE = 10_000  # requests to the baseline
ROW = b'{"name": "bench", "note": "one row per request"}'
logging.getLogger("httpx").setLevel(logging.WARNING)
PHOTO_KINDS = ("id_front", "id_back", "customer_face", "driving_licence", "vehicle")


def _photo() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (320, 240), "steelblue").save(buf, "JPEG")
    return buf.getvalue()


async def _token(c: httpx.AsyncClient, username: str) -> str:
    r = await c.post("/api/auth/login", json={"username": username, "password": "demo"})
    r.raise_for_status()
    return str(r.json()["access_token"])


async def _drafts(base: str, count: int, offset: int) -> tuple[str, list[str]]:
    """File ``count`` complete applications (16 at a time, untimed); returns a token and ids."""
    photo, today = _photo(), date.today()
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        token = await _token(c, "staff")
        auth = {"Authorization": f"Bearer {token}"}
        ids: list[str] = []
        numbers = iter(range(offset, offset + count))

        async def filer() -> None:
            for n in numbers:
                r = await c.post("/api/applications", json=_application_body(n, today),
                                 headers=auth)  # fmt: skip
                r.raise_for_status()
                app_id = r.json()["id"]
                for kind in PHOTO_KINDS:
                    put = await c.put(f"/api/applications/{app_id}/photos/{kind}", content=photo,
                                      headers={**auth, "Content-Type": "image/jpeg"})  # fmt: skip
                    put.raise_for_status()
                ids.append(app_id)

        await asyncio.gather(*(filer() for _ in range(16)))
    return token, ids


def _submits(base: str, token: str, ids: list[str]) -> Load:
    requests = [("POST", f"/api/applications/{i}/submit", b"") for i in ids]
    return loadgen.run(base, requests, headers={"Authorization": f"Bearer {token}"})


def submit_load(base: str, drafts: int, offset: int = 1) -> Load:
    token, ids = asyncio.run(_drafts(base, drafts, offset))
    return _submits(base, token, ids)


def baseline_load(database: str) -> Load:
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        if database == "sqlite":
            url = f"sqlite+aiosqlite:///{tmp}/baseline.db"
            with server(["bench/baseline_app.py", str(port), url], port) as base:
                return loadgen.run(base, loadgen.repeat("POST", "/write", BASELINE, ROW))
        name = f"autolease_base_{uuid.uuid4().hex[:8]}"
        asyncio.run(_pg(f"CREATE DATABASE {name}"))
        try:
            url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
            with server(["bench/baseline_app.py", str(port), url], port) as base:
                return loadgen.run(base, loadgen.repeat("POST", "/write", BASELINE, ROW))
        finally:
            asyncio.run(_pg(f"DROP DATABASE {name} WITH (FORCE)"))


def client_ceiling() -> Load:
    port = free_port()
    with server(["bench/hello_app.py", str(port)], port) as base:
        return loadgen.run(base, loadgen.repeat("GET", "/healthz", 20_000))


def me_while_providers_are_slow(drafts: int) -> tuple[Load, Load]:
    """16 submits waiting on 1.5 s providers; meanwhile another shop's clerk asks who they are."""
    port = free_port()
    env = {"AUTOLEASE_PROVIDER_LATENCY_MS": "1500"}
    with autolease_server("sqlite", port, 1, env) as base:
        token, ids = asyncio.run(_drafts(base, drafts, 90_000))
        with httpx.Client(base_url=base) as c:
            r = c.post("/api/auth/login", json={"username": "staff2", "password": "demo"})
            other = r.json()["access_token"]
        result: dict[str, Load] = {}

        def submits() -> None:
            result["submit"] = _submits(base, token, ids)

        t = threading.Thread(target=submits)
        t.start()
        time.sleep(2.5)  # the submits are connected and waiting on providers
        me = loadgen.run(base, loadgen.repeat("GET", "/api/auth/me", 200), connections=2,
                         processes=1, headers={"Authorization": f"Bearer {other}"})  # fmt: skip
        t.join()
        return result["submit"], me


@dataclass
class Counts:
    statements: int = 0
    writer: int = 0  # checkouts of the writer (the only pool on PostgreSQL)
    reader: int = 0  # checkouts of a SQLite reader connection

    def __str__(self) -> str:
        return f"{self.writer}w+{self.reader}r" if self.reader else f"{self.writer}"


async def _statements(database_url: str, data_dir: Path) -> Counts:
    """Statements and connection checkouts of one submit (the second: the rule set is compiled
    and cached by then, as on a running worker), counted on the engines in-process."""
    from litestar.testing import AsyncTestClient
    from sqlalchemy import event

    from backend.app import create_app
    from backend.db.migrate import upgrade_async
    from backend.settings import Settings
    from bench.http_load import _seed

    await upgrade_async(database_url)
    await _seed(database_url)
    keys = {k.removeprefix("AUTOLEASE_").lower(): v for k, v in fresh_keys().items()}
    settings = Settings(database_url=database_url, data_dir=data_dir,
                        adaptive_job_interval_s=0, **keys)  # fmt: skip
    app = create_app(settings)
    counts = Counts()
    async with AsyncTestClient(app=app, base_url="http://bench.local") as c:
        auth = {"Authorization": f"Bearer {await _token(c, 'staff')}"}  # type: ignore[arg-type]
        ids = []
        for n in (7, 8):
            r = await c.post("/api/applications", json=_application_body(n, date.today()),
                             headers=auth)  # fmt: skip
            ids.append(r.json()["id"])
            for kind in PHOTO_KINDS:
                await c.put(f"/api/applications/{ids[-1]}/photos/{kind}", content=_photo(),
                            headers={**auth, "Content-Type": "image/jpeg"})  # fmt: skip
        r = await c.post(f"/api/applications/{ids[0]}/submit", headers=auth)
        assert r.status_code == 200, r.text
        engines = [(app.state.engine, "writer"), (app.state.reader_engine, "reader")]
        for engine, role in engines:
            if engine is None:  # PostgreSQL: one pool serves reads and writes
                continue
            sync_engine = engine.sync_engine

            def statement(*_: object) -> None:
                counts.statements += 1

            def checkout(*_: object, role: str = role) -> None:
                setattr(counts, role, getattr(counts, role) + 1)

            event.listen(sync_engine, "before_cursor_execute", statement)
            event.listen(sync_engine.pool, "checkout", checkout)
        r = await c.post(f"/api/applications/{ids[1]}/submit", headers=auth)
        assert r.status_code == 200, r.text
    return counts


def statements_per_submit(database: str) -> Counts:
    with tempfile.TemporaryDirectory() as tmp:
        if database == "sqlite":
            return asyncio.run(_statements(f"sqlite+aiosqlite:///{tmp}/s.db", Path(tmp)))
        name = f"autolease_stmt_{uuid.uuid4().hex[:8]}"
        asyncio.run(_pg(f"CREATE DATABASE {name}"))
        try:
            url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
            return asyncio.run(_statements(url, Path(tmp)))
        finally:
            asyncio.run(_pg(f"DROP DATABASE {name} WITH (FORCE)"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--drafts", type=int, default=600)
    ap.add_argument("--no-postgres", action="store_true")
    opts = ap.parse_args()
    logging.disable(logging.INFO)  # migrating each PostgreSQL database logs every step
    runs = [("sqlite", 1)] + ([] if opts.no_postgres else [("postgres", 1), ("postgres", 2)])

    ceiling = client_ceiling()
    print(f"load client: bench/loadgen.py, 2 processes, {CONNECTIONS} connections; against"
          f" a bare Litestar GET: {ceiling.rps:,.0f} req/s (its ceiling is higher)\n")  # fmt: skip
    print(f"{'setup':<22}{'baseline req/s':>15}{'submit req/s':>14}{'ratio':>7}"
          f"{'p50 ms':>8}{'p99 ms':>8}{'errors':>8}{'stmts':>7}{'checkouts':>10}")  # fmt: skip
    for n, (database, workers) in enumerate(runs):
        base_load = baseline_load(database)
        port = free_port()
        with autolease_server(database, port, workers) as base:
            sub = submit_load(base, opts.drafts, offset=1 + n * opts.drafts)
        counts = statements_per_submit(database)
        print(f"{database + f', {workers} worker(s)':<22}{base_load.rps:>15,.0f}{sub.rps:>14,.0f}"
              f"{sub.rps / base_load.rps:>7.2f}{sub.p50_ms:>8.1f}{sub.p99_ms:>8.1f}"
              f"{sub.errors:>8}{counts.statements:>7}{counts!s:>10}")  # fmt: skip
    sub, me = me_while_providers_are_slow(64)
    print(f"\nproviders answering in 1.5 s (SQLite, 1 worker): {sub.requests} submits, p50 "
          f"{sub.p50_ms:,.0f} ms; another shop's GET /api/auth/me meanwhile: p50 "
          f"{me.p50_ms:.1f} ms, p99 {me.p99_ms:.1f} ms ({me.requests} requests)")  # fmt: skip


if __name__ == "__main__":
    main()
