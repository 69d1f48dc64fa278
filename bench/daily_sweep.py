"""The daily servicing sweep's time for N contracts (default 100,000), on SQLite and PostgreSQL.

Seeds the rows directly with bulk inserts (customers, applications, active contracts, three
instalments each): 10 % of the contracts are 10 days overdue (penalty, bucket M1, a collections
case), 10 % fall due on the day (T0 reminders by SMS and in the app), the rest are current. Then
times, in the same run:
  baseline  a bare SELECT of every active contract's unsettled instalments (what any sweep reads);
  sweep     `run_day` for the day (batches of `--batch` contracts per transaction);
  again     the same day once more (idempotent: nothing new is written).

    .venv/bin/python -m bench.daily_sweep [--contracts 100000] [--engines sqlite,postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from backend.db.migrate import upgrade
from backend.db.models import (
    Application,
    Contract,
    ContractInstalment,
    Customer,
    LedgerEntry,
    Reminder,
    User,
)
from backend.db.session import make_engine, make_reader, make_sessionmaker
from backend.jobs import servicing_sweep
from backend.providers.registry import sms_senders_for
from backend.security.pii import PiiCipher
from backend.seed import seed_demo
from backend.settings import Settings

PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
DAY = date(2026, 6, 15)
NOW = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai: reminders go out
CHUNK = 5000


def settings_for(url: str, data_dir: Path) -> Settings:
    return Settings(
        database_url=url, data_dir=data_dir, secret_key="bench-secret-of-at-least-32-bytes!!",
        pii_key=base64.b64encode(b"bench-pii-key-of-exactly-32-byte").decode(),
        audit_signing_key=base64.b64encode(bytes(range(1, 33))).decode(),
    )  # fmt: skip


async def seed(settings: Settings, n: int) -> None:
    engine = make_engine(settings.database_url)
    pii = PiiCipher(settings.pii_key_bytes(), settings.lookup_key_bytes())
    sessions = make_sessionmaker(engine)
    async with sessions() as db:
        await seed_demo(db)
        staff = await db.scalar(sa.select(User.id).where(User.username == "staff"))
        await db.commit()
    customers = []
    for i in range(1000):
        mobile = f"139{i:08d}"
        customers.append(dict(
            id=uuid.uuid4().hex, organisation_id="org-shop-east", kind="person",
            name_enc=pii.encrypt("张三", context="customer.name"), name_masked="张*",
            id_enc=pii.encrypt(f"ID{i}", context="customer.id_number"), id_hash=uuid.uuid4().hex,
            id_masked="1101**********1234",
            mobile_enc=pii.encrypt(mobile, context="customer.mobile"),
            mobile_hash=pii.lookup_hash(mobile, context="customer.mobile"),
            mobile_masked=mobile[:3] + "****" + mobile[-4:], created_at=NOW, updated_at=NOW,
        ))  # fmt: skip
    async with engine.begin() as conn:
        await conn.execute(sa.insert(Customer), customers)
    for start in range(0, n, CHUNK):
        apps, contracts, rows = [], [], []
        for i in range(start, min(n, start + CHUNK)):
            cid, aid, cust = uuid.uuid4().hex, uuid.uuid4().hex, customers[i % 1000]["id"]
            apps.append(dict(id=aid, organisation_id="org-shop-east", created_by_id=staff,
                             status="approved", lease_type="direct_lease", vin_valid=False,
                             mileage_km=0, is_new=True, customer_id=cust, version=1,
                             created_at=NOW, updated_at=NOW))  # fmt: skip
            contracts.append(dict(
                id=cid, number=f"ZL-B-{i:07d}", application_id=aid, customer_id=cust,
                organisation_id="org-shop-east", status="active", template_id="t",
                template_version=1, document={"terms": {"product_name": "bench"}},
                principal_fen=900_000, pdf=b"", pdf_sha256="0" * 64, activated_at=NOW,
                revision=1, bucket="M0", days_past_due=0, version=1, created_at=NOW,
                updated_at=NOW,
            ))  # fmt: skip
            share = i % 10
            first = DAY - timedelta(days=10) if share == 0 else DAY if share == 1 else (
                DAY + timedelta(days=5 + i % 20))  # fmt: skip
            for k in range(3):
                rows.append(dict(
                    id=uuid.uuid4().hex, contract_id=cid, revision=1, number=k + 1, kind="rent",
                    due_date=first + timedelta(days=30 * k), principal_fen=300_000,
                    interest_fen=5_000, fees_fen=0, offset_fen=0, offset_applied_fen=0,
                    penalty_fen=0, paid_principal_fen=0, paid_interest_fen=0, paid_fees_fen=0,
                    paid_penalty_fen=0,
                ))  # fmt: skip
        async with engine.begin() as conn:
            await conn.execute(sa.insert(Application), apps)
            await conn.execute(sa.insert(Contract), contracts)
            await conn.execute(sa.insert(ContractInstalment), rows)
    await engine.dispose()


async def measure(settings: Settings, n: int, batch: int) -> dict[str, float]:
    engine = make_engine(settings.database_url)
    reader = make_reader(settings.database_url)
    sessions = make_sessionmaker(engine, reader)
    pii = PiiCipher(settings.pii_key_bytes(), settings.lookup_key_bytes())
    sms_for = sms_senders_for(settings, pii)
    out: dict[str, float] = {}
    t = time.perf_counter()
    async with sessions() as db:
        got = (await db.execute(
            sa.select(ContractInstalment.contract_id, ContractInstalment.due_date,
                      ContractInstalment.principal_fen, ContractInstalment.paid_principal_fen)
            .join(Contract, Contract.id == ContractInstalment.contract_id)
            .where(Contract.status == "active", ContractInstalment.settled_on.is_(None))
        )).all()  # fmt: skip
    out["baseline_s"] = time.perf_counter() - t
    assert len(got) == 3 * n
    t = time.perf_counter()
    report = await servicing_sweep.run_day(sessions, DAY, NOW, sms_for, pii, batch=batch)
    out["sweep_s"] = time.perf_counter() - t
    out["candidates"] = report.contracts
    out["penalty_entries"] = report.penalty_entries
    out["cases"] = report.cases_opened
    async with sessions() as db:
        out["reminders"] = int(await db.scalar(sa.select(sa.func.count()).select_from(Reminder))
                               or 0)  # fmt: skip
        entries = await db.scalar(sa.select(sa.func.count()).select_from(LedgerEntry))
    t = time.perf_counter()
    again = await servicing_sweep.run_day(sessions, DAY, NOW, sms_for, pii, batch=batch)
    out["again_s"] = time.perf_counter() - t
    async with sessions() as db:
        assert await db.scalar(sa.select(sa.func.count()).select_from(LedgerEntry)) == entries
    assert again.penalty_entries == 0
    assert again.cases_opened == 0
    await engine.dispose()
    if reader is not None:
        await reader.dispose()
    return out


async def _ddl(sql: str) -> None:
    engine = create_async_engine(PG, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(sa.text(sql))
    await engine.dispose()


def run_engine(engine: str, n: int, batch: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if engine == "sqlite":
            url, name = f"sqlite+aiosqlite:///{tmp}/bench.db", None
        else:
            name = f"autolease_bench_{uuid.uuid4().hex[:8]}"
            asyncio.run(_ddl(f"CREATE DATABASE {name}"))
            url = PG.rsplit("/", 1)[0] + f"/{name}"
        try:
            upgrade(url)
            settings = settings_for(url, Path(tmp))
            t = time.perf_counter()
            asyncio.run(seed(settings, n))
            seeded = time.perf_counter() - t
            r = asyncio.run(measure(settings, n, batch))
        finally:
            if name:
                asyncio.run(_ddl(f"DROP DATABASE {name} WITH (FORCE)"))
    print(
        f"{engine:8} {n:,} contracts (seeded in {seeded:.1f} s): "
        f"baseline SELECT of unsettled instalments {r['baseline_s']:.2f} s "
        f"({n / r['baseline_s']:,.0f} contracts/s); "
        f"sweep {r['sweep_s']:.1f} s = {n / r['sweep_s']:,.0f} contracts/s on the book, "
        f"{r['candidates'] / r['sweep_s']:,.0f}/s of the {int(r['candidates']):,} with work "
        f"({int(r['penalty_entries']):,} penalty entries, {int(r['cases']):,} cases, "
        f"{int(r['reminders']):,} reminders sent); same day again {r['again_s']:.1f} s, "
        "nothing new",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=servicing_sweep.BATCH)
    parser.add_argument("--engines", default="sqlite,postgres")
    args = parser.parse_args()
    for engine in args.engines.split(","):
        run_engine(engine, args.contracts, args.batch)


if __name__ == "__main__":
    main()
