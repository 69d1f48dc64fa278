"""The demo dealer's floor plan: a line, units of different ages, one overdue, one curtailed,
one paid off (its payments made through the sandbox provider), interest billed, this month's
audit open — and the books balance."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from backend.db.models import LedgerEntry, Payment
from backend.floorplan.demo import seed_demo_floorplan
from backend.ledger import service as ledger
from tests.backend.floorplan.helpers import Books
from tests.backend.helpers import login


async def test_the_demo_dealer_sees_its_line_units_and_an_audit(client, settings):
    async with Books(settings) as db:
        assert await seed_demo_floorplan(db, settings, datetime.now(UTC)) == 7
        await db.commit()
        assert await seed_demo_floorplan(db, settings, datetime.now(UTC)) == 0  # seeds once
        assert (await ledger.trial_balance(db)).balanced
        assert await ledger.unbalanced_entries(db) == []
        # the dealer's two curtailments and a payoff, each paid through the sandbox provider and
        # posted once under its payment's id
        paid = {p.id: p.purpose for p in await db.scalars(
            select(Payment).where(Payment.floorplan_unit_id.is_not(None)))}  # fmt: skip
        assert sorted(paid.values()) == ["floorplan_curtailment"] * 2 + ["floorplan_payoff"]
        posted = list(await db.scalars(select(LedgerEntry.reference).where(
            LedgerEntry.kind.in_(("floorplan_payoff", "floorplan_repayment")))))  # fmt: skip
        assert sorted(posted) == sorted(paid)
        assert await db.scalar(select(func.count(Payment.id)).where(
            Payment.floorplan_unit_id.is_not(None), Payment.status != "paid")) == 0  # fmt: skip
    dealer = await login(client, "dealer")
    line = (await client.get("/api/floorplan/line", headers=dealer)).json()
    assert line["limit"] == "5000000.00" and line["units_financed"] == 6
    assert line["curtailments_overdue"] != "0.00"
    units = (await client.get("/api/floorplan/units", headers=dealer)).json()["units"]
    by_model = {u["model"]: u for u in units}
    assert by_model["探歌 T-Roc"]["status"] == "paid_off"
    assert by_model["迈腾 Magotan"]["overdue"] == "19800.00"
    curtailed = by_model["ID.4 CROZZ"]
    assert curtailed["principal_left"] == "149200.00" and curtailed["overdue"] == "0.00"
    assert curtailed["interest_accrued"] != "0.00"
    assert sorted(u["age_days"] for u in units if u["status"] != "paid_off") == [
        4, 16, 38, 70, 96, 125,
    ]  # fmt: skip
    audits = (await client.get("/api/floorplan/audits", headers=dealer)).json()
    assert [a["status"] for a in audits] == ["open"] and len(audits[0]["units"]) == 6
