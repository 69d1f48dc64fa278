"""Our own records as facts: the same VIN, ID or mobile in other recent applications, the shop's
volume today, and a vehicle already under an active lease."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, update

from backend.auth.principal import Principal
from backend.db.migrate import upgrade_async
from backend.db.models import Application
from backend.db.session import make_engine, make_sessionmaker
from backend.intake.applications import load
from backend.risk.facts import OWN_RECORDS, own_records
from common.api.auth import Role
from tests.backend.helpers import login
from tests.backend.risk.helpers import file_application, submit

CLEAN = "110105198506150014"  # a sandbox persona with a clean file
RISK = Principal("r", "risk", Role.RISK_OFFICER, "org-lessor", "s")


async def test_other_applications_sharing_vin_id_and_mobile_are_counted(client, settings):
    staff = await login(client, "staff")
    first = await file_application(client, staff, CLEAN, mobile="13912345678")
    first_view = await submit(client, staff, first)
    second = await file_application(client, staff, CLEAN, mobile="13912345678")
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as db:
        app = await load(db, RISK, second)
        # the second draft: the same customer filed with the same mobile, a different VIN
        records = await own_records(db, app, datetime.now(UTC))
        assert (records.same_vin, records.same_id, records.same_mobile) == (0, 1, 1)
        assert records.dealer_today == 1 and not records.vin_under_lease
        # give it the first application's VIN: now the vehicle is seen twice, and leased if approved
        await db.execute(
            update(Application)
            .where(Application.id == second)
            .values(vin=first_view["vehicle"]["vin"])
        )
        await db.execute(
            update(Application).where(Application.id == first).values(status="approved")
        )
        app = await load(db, RISK, second)
        await db.refresh(app)
        records = await own_records(db, app, datetime.now(UTC))
        assert records.same_vin == 1 and records.vin_under_lease
    await engine.dispose()


async def test_the_counts_search_by_index_and_never_scan_the_applications(tmp_path):
    # A busy shop's day or a long history must not make every submit slower (SQLite's plan).
    url = f"sqlite+aiosqlite:///{tmp_path / 'plan.db'}"
    await upgrade_async(url)
    engine = make_engine(url)
    names = ("app_id", "vin", "since", "day_start", "organisation_id", "id_hash", "mobile_hash",
             "today", "late_before", "family", "party_uscc")  # fmt: skip
    sent: list[tuple[str, Any]] = []
    event.listen(engine.sync_engine, "before_cursor_execute",
                 lambda _c, _cur, sql, params, *_: sent.append((sql, params)))  # fmt: skip
    async with engine.connect() as conn:
        await conn.execute(OWN_RECORDS, {name: None for name in (*names, "filed_region")})
        sql, params = sent[-1]
        plan = (await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)).all()
    await engine.dispose()
    steps = [row[-1] for row in plan]
    assert not [s for s in steps if s.startswith("SCAN") and "CONSTANT" not in s], steps
    # the VIN, customer, mobile, shop-day, leased VIN; the asset's debtor approved and counted
    assert sum("SEARCH applications USING INDEX" in s for s in steps) == 7, steps
