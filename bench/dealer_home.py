"""The dealer home's API response time (issue 15): `GET /api/dealer/summary` and
`GET /api/dealer/deals?stage=active` for a dealer with N deals (default 5,000), p50 and p99,
against `GET /api/auth/me` (the same guard and session, no work) in the same run, on SQLite and
PostgreSQL, one worker each.

The deals are synthetic rows written straight to a fresh database (untimed): applications at
every stage over the last twelve months, three in five with a contract (most of them funded,
with a commission), so the summary reads what a busy dealer's would. The load client sends
requests over a few keep-alive connections (bench/loadgen.py; its own ceiling is printed).

Run: .venv/bin/python bench/dealer_home.py [--deals 5000] [--requests 400] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench import loadgen  # noqa: E402
from bench.http_load import PG_URL, _pg, _seed, free_port, fresh_keys, server  # noqa: E402

DEALER = "org-shop-east"
CONNECTIONS = 4
APP_STATUSES = ("draft", "in_review", "approved", "declined", "withdrawn")
CONTRACT_STATUSES = ("active",) * 7 + ("settled", "awaiting_signature", "signed")


def _rows(deals: int, staff_id: str, customer_id: str, version_id: str,
          now: datetime) -> tuple[list[dict[str, Any]], ...]:  # fmt: skip
    rnd = random.Random(15)
    apps, contracts, commissions = [], [], []
    for k in range(deals):
        at = now - timedelta(days=rnd.uniform(0, 360))
        principal = rnd.randrange(5_000_000, 30_000_000, 100)
        app_id = uuid.uuid4().hex
        has_contract = k % 5 < 3
        apps.append({
            "id": app_id, "organisation_id": DEALER, "created_by_id": staff_id,
            "status": "approved" if has_contract else rnd.choice(APP_STATUSES),
            "lease_type": "direct_lease", "maker": "SAIC Volkswagen", "price_fen": principal,
            "is_new": True, "mileage_km": 0, "vin_valid": True, "customer_id": customer_id,
            "customer_version_id": version_id, "quoted_principal_fen": principal,
            "quote_request": {"principal": f"{principal / 100:.2f}"},
            "submitted_at": at, "created_at": at, "updated_at": at, "version": 1,
        })  # fmt: skip
        if not has_contract:
            continue
        status = rnd.choice(CONTRACT_STATUSES)
        funded = status in ("active", "settled")
        contract_id = uuid.uuid4().hex
        contracts.append({
            "id": contract_id, "number": f"BN-{k:07d}", "application_id": app_id,
            "customer_id": customer_id, "organisation_id": DEALER, "status": status,
            "template_id": "bench", "template_version": 1, "document": {},
            "principal_fen": principal, "pdf": b"", "pdf_sha256": "0" * 64,
            "activated_at": at + timedelta(days=2) if funded else None,
            "created_at": at, "updated_at": at, "revision": 1, "bucket": "M0",
            "days_past_due": 0, "version": 1,
        })  # fmt: skip
        if funded:
            commissions.append({
                "contract_id": contract_id, "dealer_id": DEALER, "product_id": "p-new-direct",
                "rule_version": 1, "basis": "percent", "financed_fen": principal,
                "amount_fen": principal * 15 // 1000, "set_off_fen": 0,
                "paid_fen": principal * 15 // 1000, "funded_on": (at + timedelta(days=2)).date(),
                "earned_at": at + timedelta(days=2), "clawback_months": 6,
                "clawback_days_past_due": 60, "clawed_back_fen": 0,
            })  # fmt: skip
    return apps, contracts, commissions


async def _fill(url: str, deals: int) -> None:
    from sqlalchemy import insert, select, text

    from backend.db.models import (
        Application,
        Contract,
        Customer,
        CustomerVersion,
        DealerCommission,
        User,
    )
    from backend.db.session import make_engine, make_sessionmaker

    await _seed(url)
    engine = make_engine(url)
    async with make_sessionmaker(engine)() as db:
        staff = await db.scalar(select(User.id).where(User.username == "staff"))
        customer = Customer(
            organisation_id=DEALER, kind="person", name_enc="x", name_masked="陈**", id_enc="x",
            id_hash="bench", id_masked="1101****", mobile_enc="x", mobile_hash="bench",
            mobile_masked="139****0000",
        )  # fmt: skip
        db.add(customer)
        await db.flush()
        version = CustomerVersion(customer_id=customer.id, version=1, kind="person", name_enc="x",
                                  name_masked="陈**", mobile_enc="x", mobile_hash="bench",
                                  mobile_masked="139****0000")  # fmt: skip
        db.add(version)
        await db.flush()
        apps, contracts, commissions = _rows(deals, str(staff), customer.id, version.id,
                                             datetime.now(UTC))  # fmt: skip
        for model, rows in ((Application, apps), (Contract, contracts),
                            (DealerCommission, commissions)):  # fmt: skip
            for i in range(0, len(rows), 1000):
                await db.execute(insert(model), rows[i : i + 1000])
        await db.commit()
    # Statistics, as autovacuum (PostgreSQL) or a periodic ANALYZE would have them after a bulk
    # load: without, PostgreSQL plans the deals' joins for empty tables (nested loops, 0.7 s).
    async with engine.connect() as conn:
        await conn.execute(text("ANALYZE"))
        await conn.commit()
    await engine.dispose()


def _measure(base: str, requests: int) -> dict[str, loadgen.Load]:
    r = httpx.post(f"{base}/api/auth/login", json={"username": "dealer", "password": "demo"})
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    out = {}
    paths = {
        "baseline /api/auth/me": "/api/auth/me",
        "GET /api/dealer/summary": "/api/dealer/summary",
        "GET /api/dealer/deals?stage=active": "/api/dealer/deals?stage=active",
    }
    for name, path in paths.items():
        loadgen.run(
            base, loadgen.repeat("GET", path, 20), connections=2, processes=1, headers=headers
        )  # warm
        out[name] = loadgen.run(base, loadgen.repeat("GET", path, requests),
                                connections=CONNECTIONS, processes=1, headers=headers)  # fmt: skip
    return out


def run_on(database: str, deals: int, requests: int) -> dict[str, loadgen.Load]:
    from backend.db.migrate import upgrade

    port = free_port()
    env = {"AUTOLEASE_CONTRACT_JOB_INTERVAL_S": "0", "AUTOLEASE_SERVICING_SWEEP_INTERVAL_S": "0",
           "AUTOLEASE_PAYMENTS_JOB_INTERVAL_S": "0", "AUTOLEASE_MONITORING_JOB_INTERVAL_S": "0",
           "AUTOLEASE_WEBHOOK_JOB_INTERVAL_S": "0", **fresh_keys()}  # fmt: skip
    with tempfile.TemporaryDirectory() as data:
        name = f"autolease_bench_{uuid.uuid4().hex[:8]}"
        if database == "sqlite":
            url = f"sqlite+aiosqlite:///{data}/bench.db"
        else:
            url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
            asyncio.run(_pg(f"CREATE DATABASE {name}"))
        try:
            upgrade(url)
            asyncio.run(_fill(url, deals))
            args = ["-m", "backend.cli", "serve", "--no-app", "--port", str(port)]
            env.update({"AUTOLEASE_DATABASE_URL": url, "AUTOLEASE_DATA_DIR": data})
            with server(args, port, env) as base:
                return _measure(base, requests)
        finally:
            if database != "sqlite":
                asyncio.run(_pg(f"DROP DATABASE {name} WITH (FORCE)"))


def report(deals: int, requests: int, postgres: bool = True) -> None:
    print(f"dealer home, {deals} deals, {requests} requests over {CONNECTIONS} connections")
    for database in ("sqlite", "postgres") if postgres else ("sqlite",):
        figures = run_on(database, deals, requests)
        base = figures["baseline /api/auth/me"]
        for name, load in figures.items():
            ratio = load.p50_ms / base.p50_ms if base.p50_ms else 0.0
            print(
                f"  {database:8} {name:36} p50 {load.p50_ms:7.1f} ms  p99 {load.p99_ms:7.1f} ms"
                f"  {load.rps:7.1f} req/s  errors {load.errors}  ({ratio:.1f}x baseline p50)"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deals", type=int, default=5000)
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--no-postgres", action="store_true")
    args = ap.parse_args()
    report(args.deals, args.requests, postgres=not args.no_postgres)


if __name__ == "__main__":
    main()
