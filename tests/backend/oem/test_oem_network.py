"""A vehicle maker sees its network's dealers only — each one's floor-plan utilisation, stock
age, sell-through and turnover, curtailments overdue and its last stock audit — aggregated, no
lessee data; a dealer outside the network is 404, and only OEM users ask."""

from __future__ import annotations

from datetime import UTC, datetime

from backend.floorplan.demo import seed_demo_floorplan
from tests.backend.floorplan.helpers import Books
from tests.backend.helpers import login


async def test_the_oem_sees_its_dealers_floor_plan_aggregated(client, settings):
    async with Books(settings) as db:
        assert await seed_demo_floorplan(db, settings, datetime.now(UTC)) == 7
        await db.commit()
    oem = await login(client, "oem")
    r = await client.get("/api/oem/dealers", headers=oem)
    assert r.status_code == 200, r.text
    [east] = r.json()  # the west shop is not in the network
    assert east["dealer_id"] == "org-shop-east" and east["limit"] == "5000000.00"
    line = (await client.get("/api/floorplan/line", headers=await login(client, "dealer"))).json()
    assert east["used"] == line["used"] and east["units_in_stock"] == line["units_financed"] == 6
    used = float(line["used"]) / (float(line["limit"]) + float(line["temporary_increase"]))
    assert abs(float(east["utilisation_percent"]) - used * 100) < 0.01
    assert east["average_stock_age_days"] > 0 and east["units_over_90_days"] >= 1
    assert east["curtailments_overdue"] == line["curtailments_overdue"] != "0.00"
    assert east["sold_last_30_days"] + east["units_in_stock"] >= 6
    assert east["last_audit"]["status"] == "open" and east["last_audit"]["units"] == 6
    text = r.text
    assert "vin" not in text.lower() and "lessee" not in text  # aggregated: no unit, no person
    detail = await client.get("/api/oem/dealers/org-shop-east", headers=oem)
    assert detail.json() == east


async def test_a_dealer_outside_the_network_is_not_found_and_only_oems_ask(client, settings):
    oem = await login(client, "oem")
    for dealer_id in ("org-shop-west", "org-funder", "nope", "x" * 300):
        r = await client.get(f"/api/oem/dealers/{dealer_id}", headers=oem)
        assert r.status_code == 404 and r.json()["code"] == "dealer_not_found", dealer_id
    east = (await client.get("/api/oem/dealers", headers=oem)).json()
    assert [d["dealer_id"] for d in east] == ["org-shop-east"]
    assert east[0]["limit"] == "0.00" and east[0]["utilisation_percent"] is None  # no line yet
    for who in ("dealer", "staff", "admin", "funder", "monitor"):
        r = await client.get("/api/oem/dealers", headers=await login(client, who))
        assert r.status_code == 403, who
    assert (await client.get("/api/oem/dealers")).status_code == 401
