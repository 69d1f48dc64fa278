"""The demo's charging-pile lease: the operator signs in with the demo password and finds it
in the hall; the months behind it were reported (one above the floor: variable rent charged and
paid with the next rent) but for the latest ended month, which the lessor's overview shows as
overdue; the books balance."""

from __future__ import annotations

from sqlalchemy import select

from backend.db.models import Contract, LedgerEntry
from backend.ledger import service as ledger
from backend.seed import seed_demo_data
from tests.backend.auth.lessee_helpers import session as session_of
from tests.backend.helpers import login


async def test_the_demo_operator_reports_its_months_and_the_latest_is_overdue(client, settings):
    async with session_of(settings) as db:
        await seed_demo_data(db, settings)
        assert await ledger.unbalanced_entries(db) == []
        assert (await ledger.trial_balance(db)).balanced
    operator = await login(client, "operator")
    hall = (await client.get("/api/me/hall", headers=operator)).json()
    [lease] = hall["contracts"]
    assert lease["revenue_share"] and lease["status"] == "active"
    assert "充电桩" in lease["vehicle"]  # the asset it finances, in place of a car
    months = (await client.get(f"/api/contracts/{lease['id']}/revenue-reports",
                               headers=operator)).json()["months"]  # fmt: skip
    statuses = [m["status"] for m in months]
    assert statuses.count("reported") >= 2 and "overdue" in statuses
    reported = [m for m in months if m["status"] == "reported"]
    assert any(m["variable_rent"] != "0.00" for m in reported)  # above the floor once
    assert any(m["variable_rent"] == "0.00" for m in reported)  # within it once
    admin = await login(client, "admin")
    overdue = (await client.get("/api/revenue-share/reports", params={"status": "overdue"},
                                headers=admin)).json()  # fmt: skip
    assert [x["contract_id"] for x in overdue] == [lease["id"]]
    async with session_of(settings) as db:
        contract = await db.get(Contract, lease["id"])
        assert contract is not None
        kind = LedgerEntry.kind == "variable_rent"
        charged = list(
            await db.scalars(
                select(LedgerEntry).where(LedgerEntry.contract_id == contract.id, kind)
            )
        )
        # each month above the floor charged once, and each charge paid with its rent
        assert len(charged) == sum(m["variable_rent"] != "0.00" for m in reported)
    schedule = (await client.get(f"/api/contracts/{lease['id']}/schedule",
                                 headers=operator)).json()  # fmt: skip
    carriers = {m["charged_on_instalment"] for m in reported if m["variable_rent"] != "0.00"}
    assert {i["status"] for i in schedule if i["number"] in carriers} == {"paid"}
