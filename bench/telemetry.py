"""Positions per second ingested with the rules evaluated (issue 14), against a raw batch insert
of the same rows in the same run, on SQLite and PostgreSQL.

  raw        the pipeline's own INSERT ... ON CONFLICT DO NOTHING RETURNING (PostgreSQL: one
             statement of unnest'ed arrays; SQLite: executemany) of 1,000-row batches, one
             transaction each: what the database takes without the rules
  pipeline   backend.monitoring.ingest.ingest of 1,000-fix batches, one transaction each:
             plausibility, dedupe, the corridor (vectorised), region and tamper rules, the
             terminal's rule state under its row lock — what every road calls
  http       the HTTP road end to end: POST /api/telemetry/positions with 1,000 positions per
             request (JSON, a terminal token), `autolease serve` with one worker, 4 connections
             from this script's client (its own ceiling against a bare server is printed)

Terminals drive the demo pickup's 京津塘 corridor at 70 km/h, a fix a second, some drifting
off it (the deviation alerts open, as they would). Set-up (migrations, demo data, terminals)
is untimed. The JT/T 808 and MQTT roads are not measured here yet.

Run: .venv/bin/python bench/telemetry.py [--positions 100000] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.http_load import PG_URL, _pg, free_port, fresh_keys, server  # noqa: E402
from bench.payments import load, request  # noqa: E402

BATCH = 1000
TERMINALS = 20


def _fixes(k: int, n: int, start: datetime) -> list[Any]:
    """Terminal k's n fixes a second along the corridor; every 5th terminal drifts off it."""
    from backend.monitoring.demo import JINGJINTANG, _walk
    from common.monitoring.fix import Fix

    # 70 km/h, a fix a second: ~19 m apart (the route is ~100 km: up to ~5,000 fixes)
    path = _walk(JINGJINTANG, max(2, 5200))[:n]
    drift = 0.012 if k % 5 == 0 else 0.0
    return [Fix(at=start + timedelta(seconds=i), lat=lat, lon=lon + (drift if i > n // 2 else 0),
                speed_kmh=70.0, satellites=10) for i, (lon, lat) in enumerate(path)]  # fmt: skip


async def _setup(settings: Any) -> list[Any]:
    """Migrated database, demo data, and TERMINALS terminals on the demo pickup's contract (its
    plan: the 京津塘 corridor)."""
    from sqlalchemy import select

    from backend.db.migrate import upgrade
    from backend.db.models import Contract, Terminal, User
    from backend.db.session import make_engine, make_sessionmaker
    from backend.seed import seed_demo, seed_demo_data

    await asyncio.to_thread(upgrade, settings.database_url)
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    async with sessions() as db:
        await seed_demo(db)
        await db.commit()
        await seed_demo_data(db, settings)
        await db.commit()
        pickup = await db.scalar(select(Contract).where(Contract.status == "active")
                                 .order_by(Contract.created_at))  # fmt: skip
        staff = await db.scalar(select(User).where(User.username == "staff"))
        assert pickup is not None
        assert staff is not None
        vin = str(pickup.document["vehicle"]["vin"])
        made = []
        for k in range(TERMINALS):
            t = Terminal(phone=f"0139{k:08d}", imei=f"86{k:013d}", vin=vin,
                         contract_id=pickup.id, token_hash=f"bench{k:059d}", active=True,
                         created_by=staff.id, created_at=datetime.now(UTC))  # fmt: skip
            db.add(t)
            made.append(t)
        await db.commit()
        ids = [t.id for t in made]
    await engine.dispose()
    return ids


async def _raw(url: str, terminal_ids: list[str], per: int) -> float:
    from backend.db.session import make_engine, make_sessionmaker
    from backend.monitoring import ingest

    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    start = datetime(2026, 1, 1, tzinfo=UTC)  # another day than the pipeline's: no conflicts
    batches = []
    for k, tid in enumerate(terminal_ids):
        fixes = _fixes(k, per, start)
        for i in range(0, len(fixes), BATCH):
            batches.append([{"terminal_id": tid, "fix_time": f.at, "received_at": start,
                             "road": "http", "lat": f.lat, "lon": f.lon, "speed_kmh": f.speed_kmh,
                             "heading": 0, "altitude_m": 0, "accuracy_m": None, "satellites": 10,
                             "ignition": None, "tamper": "", "implausible": None}
                            for f in fixes[i : i + BATCH]])  # fmt: skip
    began = time.perf_counter()
    for rows in batches:  # the pipeline's own insert statement, without the rules around it
        async with sessions() as db:
            await ingest._insert(db, rows)
            await db.commit()
    elapsed = time.perf_counter() - began
    await engine.dispose()
    return sum(len(b) for b in batches) / elapsed


async def _pipeline(url: str, terminal_ids: list[str], per: int) -> tuple[float, int]:
    from backend.db.models import Terminal
    from backend.db.session import make_engine, make_sessionmaker
    from backend.monitoring import ingest
    from common.monitoring.fix import Road

    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    start = datetime.now(UTC) - timedelta(seconds=per + 60)
    work = [(tid, _fixes(k, per, start)) for k, tid in enumerate(terminal_ids)]
    opened = 0
    began = time.perf_counter()
    for tid, fixes in work:
        for i in range(0, len(fixes), BATCH):
            async with sessions() as db:
                terminal = await db.get(Terminal, tid)
                assert terminal is not None
                out = await ingest.ingest(db, terminal, fixes[i : i + BATCH], Road.HTTP,
                                          datetime.now(UTC))  # fmt: skip
                opened += len(out.opened)
                await db.commit()
    elapsed = time.perf_counter() - began
    await engine.dispose()
    return sum(len(f) for _, f in work) / elapsed, opened


async def _tokens(url: str, secret: str, terminal_ids: list[str]) -> list[str]:
    from sqlalchemy import update

    from backend.db.models import Terminal
    from backend.db.session import make_engine, make_sessionmaker
    from backend.monitoring.terminals import token_hash

    engine = make_engine(url)
    out = []
    async with make_sessionmaker(engine)() as db:
        for k, tid in enumerate(terminal_ids):
            token = f"trm_bench{k:04d}{uuid.uuid4().hex}"
            await db.execute(update(Terminal).where(Terminal.id == tid)
                             .values(token_hash=token_hash(secret, token)))  # fmt: skip
            out.append(token)
        await db.commit()
    await engine.dispose()
    return out


def _http_requests(tokens: list[str], per: int) -> tuple[list[bytes], int]:
    import msgspec

    start = datetime.now(UTC) + timedelta(seconds=1) - timedelta(seconds=per)
    raws, count = [], 0
    for k, token in enumerate(tokens):
        fixes = _fixes(k, per, start - timedelta(days=3))  # before the pipeline's fixes
        for i in range(0, len(fixes), BATCH):
            body = msgspec.json.encode({"positions": [
                {"at": f.at.isoformat(), "lat": f.lat, "lon": f.lon, "speed_kmh": f.speed_kmh,
                 "satellites": 10} for f in fixes[i : i + BATCH]]})  # fmt: skip
            raws.append(request("POST", "/api/telemetry/positions",
                                {"Content-Type": "application/json",
                                 "Authorization": f"Bearer {token}"}, body))  # fmt: skip
            count += len(fixes[i : i + BATCH])
    return raws, count


def run(database: str, positions: int) -> dict[str, float]:
    from backend.settings import Settings

    per = max(BATCH, positions // TERMINALS)
    with tempfile.TemporaryDirectory() as data:
        name = None
        if database == "sqlite":
            url = f"sqlite+aiosqlite:///{data}/autolease.db"
        else:
            name = f"autolease_bench_{uuid.uuid4().hex[:8]}"
            url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
            asyncio.run(_pg(f"CREATE DATABASE {name}"))
        try:
            keys = fresh_keys()
            port = free_port()
            settings = Settings(
                database_url=url, data_dir=Path(data), secret_key=keys["AUTOLEASE_SECRET_KEY"],
                pii_key=keys["AUTOLEASE_PII_KEY"],
                audit_signing_key=keys["AUTOLEASE_AUDIT_SIGNING_KEY"],
                public_url=f"http://127.0.0.1:{port}", payments_job_interval_s=0,
                contract_job_interval_s=0, servicing_sweep_interval_s=0,
                monitoring_job_interval_s=0,
            )  # fmt: skip
            ids = asyncio.run(_setup(settings))
            raw = asyncio.run(_raw(url, ids, per))
            pipeline, opened = asyncio.run(_pipeline(url, ids, per))
            tokens = asyncio.run(_tokens(url, settings.secret_key, ids))
            raws, count = _http_requests(tokens, per)
            args = ["-m", "backend.cli", "serve", "--no-app", "--port", str(port)]
            with server(args, port, settings.to_env()):
                http = load(port, raws)
            return {"raw": raw, "pipeline": pipeline, "opened": opened,
                    "http": count / http.seconds if http.seconds else 0.0,
                    "http_errors": http.errors, "http_p50": http.p50_ms}  # fmt: skip
        finally:
            if name:
                asyncio.run(_pg(f"DROP DATABASE {name} WITH (FORCE)"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--positions", type=int, default=100_000)
    ap.add_argument("--no-postgres", action="store_true")
    opts = ap.parse_args()
    print(f"{opts.positions:,} positions per road, {TERMINALS} terminals, {BATCH} per batch\n")
    print(f"{'database':<12}{'raw insert/s':>14}{'pipeline/s':>12}{'ratio':>7}{'alerts':>8}"
          f"{'http/s':>10}{'ratio':>7}{'p50 ms':>8}{'errors':>8}")  # fmt: skip
    for database in ["sqlite"] + ([] if opts.no_postgres else ["postgres"]):
        r = run(database, opts.positions)
        print(
            f"{database:<12}{r['raw']:>14,.0f}{r['pipeline']:>12,.0f}"
            f"{r['pipeline'] / r['raw']:>7.2f}{r['opened']:>8.0f}{r['http']:>10,.0f}"
            f"{r['http'] / r['raw']:>7.2f}{r['http_p50']:>8.0f}{r['http_errors']:>8.0f}"
        )


if __name__ == "__main__":
    main()
