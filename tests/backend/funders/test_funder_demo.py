"""The demo's leases are co-lent by 示范银行 under its 80 % / 4.2 % agreement: its `funder` user
sees them in its portfolio with the rents paid allocated to its share, and the books balance."""

from __future__ import annotations

from decimal import Decimal

from backend.ledger import service as ledger
from backend.seed import seed_demo_data
from tests.backend.auth.lessee_helpers import session as session_of
from tests.backend.helpers import login


async def test_the_demo_bank_sees_its_co_lent_leases(client, settings):
    async with session_of(settings) as db:
        await seed_demo_data(db, settings)
        assert await ledger.unbalanced_entries(db) == []
        assert (await ledger.trial_balance(db)).balanced
    r = await client.get("/api/funder/portfolio", headers=await login(client, "funder"))
    assert r.status_code == 200, r.text
    p = r.json()
    # the demo lessee's two leases and the charging operator's, all funded under the agreement
    assert p["contracts"] == 3 and p["agreement"]["share_percent"] == "80.0000"
    assert {x["share_percent"] for x in p["items"]} == {"80.0000"}
    assert Decimal(p["funded"]) == sum(Decimal(x["funded"]) for x in p["items"])
    assert Decimal(p["received_principal"]) > 0 and Decimal(p["received_yield"]) > 0
    assert Decimal(p["owed_now"]) == Decimal(p["received_principal"]) + Decimal(
        p["received_yield"])  # fmt: skip
    assert sum(m["repayments"] for m in p["months"]) >= 3
