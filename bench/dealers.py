"""Dealers (issue 15): one function per measurement, `main()` runs them all.

  statement_exports  the time to produce a dealer statement of 10,000 rows in each format —
                     the query (the baseline: what every format pays) and query + render for
                     JSON (the wire view, encoded), CSV, XLSX and PDF — on SQLite and PostgreSQL.
                     The rows are real postings: leases booked, down payments and disbursements
                     for `rows / 3` contracts of one dealer, posted through the ledger service
                     into a fresh database (plus a tenth as many of another dealer's, which the
                     query must skip).
  dealer_home        the dealer home's API (`GET /api/dealer/summary`, the deals list) for a
                     dealer with `--deals` deals, p50/p99 against `GET /api/auth/me`
                     (bench/dealer_home.py, which also runs alone).

Set-up is untimed. Each figure is the median of `--repeat` runs, in milliseconds.

Run: .venv/bin/python bench/dealers.py [--rows 10000] [--repeat 3] [--deals 5000] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import dealer_home  # noqa: E402
from bench.http_load import PG_URL, _pg  # noqa: E402

DEALER, OTHER = "org-shop-east", "org-shop-west"
START = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)


async def _post_history(url: str, rows: int) -> None:
    """`rows` dealer rows (three per contract) spread over 2026, and a tenth as many for another
    dealer."""
    from backend.db.migrate import upgrade_async
    from backend.db.session import make_engine, make_sessionmaker
    from backend.ledger import service as ledger
    from backend.seed import seed_demo
    from common.ledger import activation, disbursement

    await upgrade_async(url)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    async with sessions() as db:
        await seed_demo(db)
    contracts = rows // 3 + (rows % 3 > 0)
    step = timedelta(minutes=365 * 24 * 60 // contracts - 1)
    for dealer, count in ((DEALER, contracts), (OTHER, contracts // 10)):
        async with sessions() as db:
            for k in range(count):
                contract = f"bench-{dealer[-4:]}-{k:06d}"
                at = START + step * k
                entries = activation(
                    contract, lessee_id=f"lessee-{k}", dealer_id=dealer, price=150_000_00 + k,
                    principal=100_000_00 + k, down_payment=50_000_00, total_payment=110_000_00,
                    total_interest=10_000_00 - k, deposit=0, fees=0,
                )  # fmt: skip
                paid = disbursement(contract, dealer, 150_000_00 + k)
                for entry in (*entries, paid):
                    await ledger.post(db, entry, reference=contract, at=at, actor=None)
                if k % 500 == 499:
                    await db.commit()
            await db.commit()
    await engine.dispose()


async def _measure(url: str, repeat: int) -> tuple[int, dict[str, float]]:
    import msgspec

    from backend.db.session import make_engine, make_sessionmaker
    from backend.statements import exports, service
    from common.api.statements import statement_view
    from common.statements import StatementRange

    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    dealer = service.Dealer(DEALER, "城东轮胎店 East Tyre Shop")
    period = StatementRange(date(2026, 1, 1), date(2026, 12, 31))
    now = datetime.now(UTC)

    async def query() -> Any:
        async with sessions() as db:
            return await service.statement(db, dealer, period)

    def as_json(s: Any) -> bytes:
        return msgspec.json.encode(statement_view(s, dealer.name))

    def in_format(fmt: str) -> Callable[[Any], bytes]:
        return lambda s: exports.render(fmt, s, dealer.name, now)

    async def timed(make: Callable[[], Awaitable[Any]], render: Callable[[Any], bytes] | None,
                    ) -> float:  # fmt: skip
        runs = []
        for _ in range(repeat):
            began = time.perf_counter()
            s = await make()
            if render is not None:
                render(s)
            runs.append((time.perf_counter() - began) * 1000)
        return statistics.median(runs)

    await query()  # warm the connection pool and the caches
    rows = len((await query()).rows)
    figures = {"query (baseline)": await timed(query, None)}
    figures["json"] = await timed(query, as_json)
    for fmt in ("csv", "xlsx", "pdf"):
        figures[fmt] = await timed(query, in_format(fmt))
    await engine.dispose()
    return rows, figures


def statement_exports(rows: int, repeat: int, postgres: bool) -> None:
    print(f"statement of {rows:,} rows: query + render, median of {repeat} runs, ms")
    print(f"{'database':<12}{'rows':>8}" + "".join(
        f"{name:>18}" for name in ("query (baseline)", "json", "csv", "xlsx", "pdf")
    ))  # fmt: skip
    for database in ["sqlite"] + (["postgres"] if postgres else []):
        with tempfile.TemporaryDirectory() as data:
            name = None
            if database == "sqlite":
                url = f"sqlite+aiosqlite:///{data}/dealers.db"
            else:
                name = f"autolease_bench_{uuid.uuid4().hex[:8]}"
                url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
                asyncio.run(_pg(f"CREATE DATABASE {name}"))
            try:
                began = time.perf_counter()
                asyncio.run(_post_history(url, rows))
                setup_s = time.perf_counter() - began
                shown, figures = asyncio.run(_measure(url, repeat))
            finally:
                if name:
                    asyncio.run(_pg(f"DROP DATABASE {name} WITH (FORCE)"))
        print(f"{database:<12}{shown:>8,}" + "".join(f"{v:>18,.0f}" for v in figures.values())
              + f"   (set-up: {setup_s:,.0f} s of postings)")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--deals", type=int, default=5000)
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--no-postgres", action="store_true")
    opts = ap.parse_args()
    statement_exports(opts.rows, opts.repeat, not opts.no_postgres)
    dealer_home.report(opts.deals, opts.requests, postgres=not opts.no_postgres)


if __name__ == "__main__":
    main()
