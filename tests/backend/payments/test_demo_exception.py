"""The demo holds one open payment exception for the finance desk's screen, and nothing of it
is posted: the demo lessee's rent stays overdue and the books balance."""

from __future__ import annotations

from sqlalchemy import select

from backend.db.models import Payment
from backend.ledger import service as ledger
from backend.seed import seed_demo_data
from tests.backend.auth.lessee_helpers import session as session_of
from tests.backend.helpers import login


async def test_the_demo_has_an_open_short_payment_exception(client, settings):
    async with session_of(settings) as db:
        assert await seed_demo_data(db, settings) > 0
        assert (await ledger.trial_balance(db)).balanced
        # the lessees' (the demo dealer's floor-plan payments are its own: paid and posted)
        payments = list(await db.scalars(select(Payment).where(Payment.contract_id.is_not(None))))
    admin = await login(client, "admin")
    (exc,) = (await client.get("/api/payments/exceptions", headers=admin)).json()
    assert exc["kind"] == "amount_differs" and exc["status"] == "open"
    assert exc["actions"] == ["refund", "post", "dismiss"]
    assert int(exc["expected"].replace(".", "")) - int(exc["received"].replace(".", "")) == 100
    assert [(p.id, p.status) for p in payments] == [(exc["payment_id"], "created")]
    hall = (await client.get("/api/me/hall", headers=await login(client, "lessee"))).json()
    assert next(c for c in hall["contracts"] if c["status"] == "active")["overdue"] != "0.00"
