"""Floor-plan figures: the pure maths per unit, the daily job's month-end billing of N units,
and the dealer's screen's reads for a dealer with N units (the line; the units' first page, and
a page of 200 deep in the list), on SQLite (and PostgreSQL with --engines sqlite,postgres).

    .venv/bin/python -m bench.floorplan [--units 2000] [--engines sqlite]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import create_async_engine

from backend.app import create_app
from backend.db.migrate import upgrade
from backend.db.models import FloorplanLine, FloorplanUnit
from backend.db.session import make_engine, make_sessionmaker
from backend.floorplan import job
from backend.floorplan.lines import terms_json
from backend.risk.demo import make_vin
from backend.seed import seed_demo
from bench.daily_sweep import PG, settings_for
from common import floorplan as fp

DEALER = "org-shop-east"
FIRST = date(2026, 7, 1)  # the job's billing day
NOW = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)


def pure(n: int = 20_000) -> float:
    terms = fp.LineTerms(Decimal("7.2"), 180)
    repaid = (
        fp.Repayment(date(2026, 4, 10), 2_000_000),
        fp.Repayment(date(2026, 5, 10), 2_000_000),
    )
    unit = fp.UnitFigures(20_000_000, date(2026, 1, 10), repaid, 300_000, 200_000)
    on = date(2026, 6, 1)
    start = time.perf_counter()
    for _ in range(n):
        fp.payoff(unit, terms, on)
        fp.next_curtailment(unit, terms, on)
        fp.principal_overdue(unit, terms, on)
    return (time.perf_counter() - start) / n * 1e6


async def seed(url: str, n: int) -> None:
    engine = make_engine(url)
    async with make_sessionmaker(engine)() as db:
        await seed_demo(db)
        line = FloorplanLine(
            id=uuid.uuid4().hex, dealer_id=DEALER, limit_fen=10**15, annual_rate_percent="7.2",
            max_days=180, plan=terms_json(fp.LineTerms(Decimal("7.2"), 180))["plan"],
            status="active", created_at=NOW, updated_at=NOW,
        )  # fmt: skip
        db.add(line)
        await db.flush()
        terms = terms_json(fp.LineTerms(Decimal("7.2"), 180))
        rows = []
        for i in range(n):
            vin = make_vin("LFV", 2026, i, vds="3A28K")
            rows.append({
                "id": uuid.uuid4().hex, "line_id": line.id, "dealer_id": DEALER, "vin": vin,
                "financed_vin": vin, "model": f"M{i % 7}", "payee": "一汽-大众",
                "principal_fen": 15_000_000 + i, "principal_left_fen": 15_000_000 + i,
                "interest_billed_fen": 0, "interest_paid_fen": 0, "terms": terms,
                "drawn_on": FIRST - timedelta(days=1 + i % 150), "status": "financed",
                "overdue_fen": 0, "created_at": NOW, "updated_at": NOW,
            })  # fmt: skip
        await db.execute(sa.insert(FloorplanUnit), rows)
        await db.commit()
    await engine.dispose()


async def timed_job(url: str) -> tuple[float, float, int]:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    t0 = time.perf_counter()
    report = await job.run_day(sessions, FIRST, NOW)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = await job.run_day(sessions, FIRST, NOW)
    second = time.perf_counter() - t0
    await engine.dispose()
    assert again.interest_entries == 0
    return first, second, report.interest_entries


async def timed_reads(url: str, data_dir: Path, rounds: int = 30) -> dict[str, list[float]]:
    """The line; the units' first page (50, what the app shows first); a page of 200 deep in
    the list (its cursor from a walk through every page, which must see each unit once)."""
    settings = settings_for(url, data_dir)
    app = create_app(settings)
    out: dict[str, list[float]] = {"line": [], "units": [], "units?limit=200 (a deep page)": []}
    async with AsyncTestClient(app=app, base_url="http://bench.local") as client:
        r = await client.post("/api/auth/login", json={"username": "dealer", "password": "demo"})
        headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
        cursors, seen, cursor = [], 0, None
        while True:  # every page once: each unit once, and the cursors to read again
            params = {"limit": "200", **({"cursor": cursor} if cursor else {})}
            body = (await client.get("/api/floorplan/units", params=params, headers=headers)).json()
            seen += len(body["units"])
            cursor = body["next_cursor"]
            if cursor is None:
                break
            cursors.append(cursor)
        deep = {"limit": "200", "cursor": cursors[len(cursors) // 2]} if cursors else {}
        reads = (("line", "/api/floorplan/line", {}), ("units", "/api/floorplan/units", {}),
                 ("units?limit=200 (a deep page)", "/api/floorplan/units", deep))  # fmt: skip
        for _ in range(rounds):
            for name, path, params in reads:
                t0 = time.perf_counter()
                r = await client.get(path, params=params, headers=headers)
                out[name].append(time.perf_counter() - t0)
                assert r.status_code == 200, r.text
    out["walked"] = [float(seen)]
    return out


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def one_engine(engine: str, n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if engine == "sqlite":
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        else:
            name = f"autolease_fpbench_{uuid.uuid4().hex[:8]}"
            admin = create_async_engine(PG, isolation_level="AUTOCOMMIT")
            async with admin.connect() as conn:
                await conn.execute(sa.text(f"CREATE DATABASE {name}"))
            url = PG.rsplit("/", 1)[0] + f"/{name}"
        await asyncio.to_thread(upgrade, url)
        await seed(url, n)
        first, again, entries = await timed_job(url)
        print(f"{engine}: month-end billing of {n} units: {first:.2f} s "
              f"({entries} entries, {first / n * 1000:.2f} ms/unit); the same day again "
              f"{again:.2f} s (nothing posted)")  # fmt: skip
        reads = await timed_reads(url, Path(tmp))
        assert reads.pop("walked") == [float(n)], "paging saw each unit once"
        for path, values in reads.items():
            print(f"{engine}: GET /api/floorplan/{path} with {n} units: "
                  f"p50 {_pct(values, 0.5):.1f} ms, p99 {_pct(values, 0.99):.1f} ms, "
                  f"mean {statistics.mean(values) * 1000:.1f} ms")  # fmt: skip
        if engine != "sqlite":
            async with admin.connect() as conn:
                await conn.execute(sa.text(f"DROP DATABASE {name} WITH (FORCE)"))
            await admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--engines", default="sqlite")
    args = parser.parse_args()
    print(f"pure maths (payoff + next curtailment + overdue) per unit: {pure():.1f} µs")
    for engine in args.engines.split(","):
        asyncio.run(one_engine(engine, args.units))


if __name__ == "__main__":
    main()
