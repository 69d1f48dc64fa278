"""The demo holds what the lessee's hall needs: one contract signed months ago, funded and
booked (balanced books), its past rents paid, with an extension request referred to a risk
officer, and one awaiting signature, both the demo lessee's."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from backend.db.models import Contract
from backend.ledger import service as ledger
from backend.seed import seed_demo_data
from tests.backend.auth.lessee_helpers import session as session_of
from tests.backend.helpers import login


async def test_the_demo_lessee_has_an_active_contract_and_one_to_sign(client, settings):
    async with session_of(settings) as db:
        assert await seed_demo_data(db, settings) == 7
        contracts = list(await db.scalars(select(Contract).order_by(Contract.created_at)))
        assert await ledger.unbalanced_entries(db) == []
        assert (await ledger.trial_balance(db)).balanced
    assert [c.status for c in contracts] == ["active", "awaiting_signature"]
    assert contracts[0].activated_at is not None
    assert (datetime.now(UTC) - contracts[0].activated_at).days >= 90
    lessee = await login(client, "lessee")
    mine = (await client.get("/api/contracts", headers=lessee)).json()
    assert {c["status"] for c in mine} == {"active", "awaiting_signature"}
    active = next(c for c in mine if c["status"] == "active")
    schedule = (await client.get(f"/api/contracts/{active['id']}/schedule", headers=lessee)).json()
    past = [i for i in schedule if date.fromisoformat(i["due_date"]) < date.today()]
    assert len(past) >= 3  # a few months of the schedule are behind it
    # paid on their due dates, but for the latest: overdue, for the hall and collections to show
    assert [i["status"] for i in past] == ["paid"] * (len(past) - 1) + ["overdue"]
    hall = (await client.get("/api/me/hall", headers=lessee)).json()
    headline = next(c for c in hall["contracts"] if c["id"] == active["id"])
    assert headline["instalments_paid"] == len(past) - 1 and headline["overdue"] != "0.00"
    # and their extension request waits for a risk officer
    risk = await login(client, "risk")
    queue = (await client.get("/api/extensions", params={"status": "referred"},
                              headers=risk)).json()  # fmt: skip
    assert [e["contract_id"] for e in queue] == [active["id"]]
    assert (settings.data_dir / "funder-api-key.txt").read_text().startswith("alf_")
