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
  jt808      the JT/T 808 road end to end: each terminal on its own TCP connection to the same
             server's gateway registers (0x0100 -> 0x8100), authenticates (0x0102), then writes
             its 0x0200 reports 1,000 at a time and waits for every one's 0x8001 (sent after the
             commit); the terminals run side by side, the clock runs from the first report
  mqtt       the MQTT road end to end: the terminals publish 1,000 positions per QoS 1 message to
             the local Mosquitto (a topic prefix of this run's own); the clock runs from the first
             publish until the server has stored every position

Each road has terminals of its own (fresh rule state: every fix is new and drives the rules).
They drive the demo pickup's 京津塘 corridor at 70 km/h, a fix a second, every fifth drifting
off it (the deviation alerts open, as they would). Set-up (migrations, demo data, terminals,
logins) is untimed.

Run: .venv/bin/python bench/telemetry.py [--positions 100000] [--no-postgres] [--no-mqtt]
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
from bench.payments import client_ceiling, load, request  # noqa: E402

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


ROADS = ("raw", "pipeline", "http", "jt808", "mqtt")


async def _setup(settings: Any) -> dict[str, list[str]]:
    """Migrated database, demo data, and TERMINALS terminals per road on the demo pickup's
    contract (its plan: the 京津塘 corridor)."""
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
        made: dict[str, list[Any]] = {}
        for g, road in enumerate(ROADS):
            for k in range(TERMINALS):
                n = g * 1000 + k
                t = Terminal(phone=f"0139{n:08d}", imei=f"86{n:013d}", vin=vin,
                             contract_id=pickup.id, token_hash=f"bench{n:059d}", active=True,
                             created_by=staff.id, created_at=datetime.now(UTC))  # fmt: skip
                db.add(t)
                made.setdefault(road, []).append(t)
        await db.commit()
        ids = {road: [t.id for t in ts] for road, ts in made.items()}
    await engine.dispose()
    return ids


def _start(per: int) -> datetime:
    """The first fix's time: the last one lands a minute before now (none from the future)."""
    return datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=per + 60)


async def _raw(url: str, terminal_ids: list[str], per: int) -> float:
    from backend.db.session import make_engine, make_sessionmaker
    from backend.monitoring import ingest

    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    start = _start(per)
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
    start = _start(per)
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

    start = _start(per)
    raws, count = [], 0
    for k, token in enumerate(tokens):
        fixes = _fixes(k, per, start)
        for i in range(0, len(fixes), BATCH):
            body = msgspec.json.encode({"positions": [
                {"at": f.at.isoformat(), "lat": f.lat, "lon": f.lon, "speed_kmh": f.speed_kmh,
                 "satellites": 10} for f in fixes[i : i + BATCH]]})  # fmt: skip
            raws.append(request("POST", "/api/telemetry/positions",
                                {"Content-Type": "application/json",
                                 "Authorization": f"Bearer {token}"}, body))  # fmt: skip
            count += len(fixes[i : i + BATCH])
    return raws, count


async def _jt808(port: int, phones: list[str], per: int) -> float:
    """Positions/s through the JT/T 808 gateway, every report answered after its commit."""
    from backend.commands.simulate_terminal import Jt808Terminal

    start = _start(per)
    work = [_fixes(k, per, start) for k in range(len(phones))]
    terminals = [Jt808Terminal("127.0.0.1", port, phone) for phone in phones]
    for t in terminals:
        await t.connect()
    await asyncio.gather(*(t.login() for t in terminals))

    async def drive(t: Jt808Terminal, fixes: list[Any]) -> None:
        for i in range(0, len(fixes), BATCH):
            await t.send(fixes[i : i + BATCH])

    began = time.perf_counter()
    await asyncio.gather(*(drive(t, f) for t, f in zip(terminals, work, strict=True)))
    elapsed = time.perf_counter() - began
    for t in terminals:
        await t.__aexit__(None, None, None)
    return sum(len(f) for f in work) / elapsed


async def _stored(url: str, terminal_ids: list[str]) -> int:
    from sqlalchemy import func, select

    from backend.db.models import Position
    from backend.db.session import make_engine, make_sessionmaker

    engine = make_engine(url)
    async with make_sessionmaker(engine)() as db:
        n = await db.scalar(select(func.count()).select_from(Position)
                            .where(Position.terminal_id.in_(terminal_ids)))  # fmt: skip
    await engine.dispose()
    return int(n or 0)


async def _mqtt(url: str, prefix: str, tokens: list[str], ids: list[str], per: int) -> float:
    """Positions/s through the MQTT road: from the first QoS 1 publish until all are stored."""
    import aiomqtt
    import msgspec

    from backend.commands.simulate_terminal import position

    start = _start(per)
    bodies = []
    for k, token in enumerate(tokens):
        fixes = _fixes(k, per, start)
        for i in range(0, len(fixes), BATCH):
            batch = [position(f) for f in fixes[i : i + BATCH]]
            bodies.append((k, msgspec.json.encode({"token": token, "positions": batch})))
    expected = len(tokens) * per
    async with aiomqtt.Client("127.0.0.1", 1883, identifier=f"bench-{uuid.uuid4().hex[:8]}",
                              max_queued_outgoing_messages=0) as client:  # fmt: skip
        began = time.perf_counter()
        for k, body in bodies:
            await client.publish(f"{prefix}/bench{k}/positions", body, qos=1)
        while await _stored(url, ids) < expected:
            if time.perf_counter() - began > 600:
                raise SystemExit("mqtt: the positions were not all stored in 10 minutes")
            await asyncio.sleep(0.05)
        return expected / (time.perf_counter() - began)


def run(database: str, positions: int, mqtt: bool) -> dict[str, float]:
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
            port, jt808_port = free_port(), free_port()
            prefix = f"autolease/bench-{uuid.uuid4().hex[:8]}"
            settings = Settings(
                database_url=url, data_dir=Path(data), secret_key=keys["AUTOLEASE_SECRET_KEY"],
                pii_key=keys["AUTOLEASE_PII_KEY"],
                audit_signing_key=keys["AUTOLEASE_AUDIT_SIGNING_KEY"],
                public_url=f"http://127.0.0.1:{port}", payments_job_interval_s=0,
                contract_job_interval_s=0, servicing_sweep_interval_s=0,
                monitoring_job_interval_s=0, webhook_job_interval_s=0, jt808_port=jt808_port,
                mqtt_url="mqtt://127.0.0.1:1883" if mqtt else "", mqtt_topic_prefix=prefix,
                mqtt_client_id=f"autolease-bench-{uuid.uuid4().hex[:8]}",
            )  # fmt: skip
            ids = asyncio.run(_setup(settings))
            raw = asyncio.run(_raw(url, ids["raw"], per))
            pipeline, opened = asyncio.run(_pipeline(url, ids["pipeline"], per))
            tokens = asyncio.run(_tokens(url, settings.secret_key, ids["http"]))
            mqtt_tokens = asyncio.run(_tokens(url, settings.secret_key, ids["mqtt"]))
            raws, count = _http_requests(tokens, per)
            phones = [f"0139{1000 * ROADS.index('jt808') + k:08d}" for k in range(TERMINALS)]
            args = ["-m", "backend.cli", "serve", "--no-app", "--port", str(port)]
            with server(args, port, settings.to_env()):
                http = load(port, raws)
                jt808 = asyncio.run(_jt808(jt808_port, phones, per))
                by_mqtt = (asyncio.run(_mqtt(url, prefix, mqtt_tokens, ids["mqtt"], per))
                           if mqtt else 0.0)  # fmt: skip
            return {"raw": raw, "pipeline": pipeline, "opened": opened,
                    "http": count / http.seconds if http.seconds else 0.0,
                    "http_errors": http.errors, "http_p50": http.p50_ms,
                    "jt808": jt808, "mqtt": by_mqtt}  # fmt: skip
        finally:
            if name:
                asyncio.run(_pg(f"DROP DATABASE {name} WITH (FORCE)"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--positions", type=int, default=100_000)
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--no-mqtt", action="store_true", help="no broker at 127.0.0.1:1883")
    opts = ap.parse_args()
    ceiling = client_ceiling()
    print(f"{opts.positions:,} positions per road, {TERMINALS} terminals per road, {BATCH} per "
          f"batch; the HTTP load client alone: {ceiling.requests / ceiling.seconds:,.0f} req/s "
          "against a bare GET\n")  # fmt: skip
    roads = "".join(f"{f'{k}/s':>9}{'×':>6}" for k in ("http", "jt808", "mqtt"))
    print(f"{'database':<10}{'raw/s':>9}{'pipeline/s':>12}{'×':>6}{'alerts':>7}{roads}"
          f"{'errors':>7}")  # fmt: skip
    for database in ["sqlite"] + ([] if opts.no_postgres else ["postgres"]):
        r = run(database, opts.positions, not opts.no_mqtt)
        print(
            f"{database:<10}{r['raw']:>9,.0f}{r['pipeline']:>12,.0f}"
            f"{r['pipeline'] / r['raw']:>6.2f}{r['opened']:>7.0f}"
            + "".join(f"{r[k]:>9,.0f}{r[k] / r['raw']:>6.2f}" for k in ("http", "jt808", "mqtt"))
            + f"{r['http_errors']:>7.0f}"
        )


if __name__ == "__main__":
    main()
