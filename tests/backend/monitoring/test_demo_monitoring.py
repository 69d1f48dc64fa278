"""The demo shows monitoring with data: the lessee's two vehicles carry terminals, the pickup
has drifted off its 京津塘 corridor (an open deviation alert) and the sedan went silent (a
judged signal-loss alert); the lessee sees the sedan's position, as its plan allows, and not
the pickup's."""

from __future__ import annotations

from sqlalchemy import select

from backend.db.models import Contract, User
from backend.seed import seed_demo_data
from tests.backend.auth.lessee_helpers import session
from tests.backend.helpers import login


async def test_the_demo_has_monitored_vehicles_and_alerts(client, settings):
    async with session(settings) as db:
        await seed_demo_data(db, settings)
        lessee = await db.scalar(select(User).where(User.username == "lessee"))
        assert lessee is not None  # the demo lessee's vehicles (the charging operator has none)
        pickup, sedan = list(await db.scalars(
            select(Contract).where(Contract.status == "active",
                                   Contract.customer_id == lessee.customer_id)
            .order_by(Contract.created_at)
        ))  # fmt: skip
    monitor = await login(client, "monitor")
    alerts = (await client.get("/api/monitoring/alerts", headers=monitor)).json()
    assert {(a["contract_id"], a["type"]) for a in alerts} == {
        (pickup.id, "deviation"), (sedan.id, "signal_loss"),
    }  # fmt: skip
    loss = next(a for a in alerts if a["type"] == "signal_loss")
    assert any("失联" in r for r in loss["reasons"])
    track = (await client.get(f"/api/monitoring/contracts/{pickup.id}/track",
                              headers=monitor)).json()  # fmt: skip
    assert len(track["points"]) == 80 and len(track["route"]) >= 5
    lessee = await login(client, "lessee")
    seen = await client.get(f"/api/contracts/{sedan.id}/vehicle-position", headers=lessee)
    assert seen.status_code == 200 and seen.json()["lat"] is not None
    hidden = await client.get(f"/api/contracts/{pickup.id}/vehicle-position", headers=lessee)
    assert hidden.status_code == 403 and hidden.json()["code"] == "position_not_shared"
    assert (settings.data_dir / "terminal-tokens.txt").read_text().count("trm_") == 2
    # and the partners attached to the contracts have the alerts in their outbox
    deliveries = (await client.get("/api/partners/deliveries", headers=monitor)).json()
    assert {d["event_type"] for d in deliveries} == {"alert.opened"}
    assert len(deliveries) == 4  # two alerts, each to the logistics company and the insurer
