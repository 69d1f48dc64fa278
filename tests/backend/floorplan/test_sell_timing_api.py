"""`GET /api/floorplan/units/{vin}/sell-timing`: a unit in stock's predicted price month by month
against its floor-plan interest, and the month where holding stops paying (both databases)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from backend.residual import store
from tests.backend.floorplan.helpers import draw, give_line, new_vin, paid_off
from tests.backend.helpers import login


async def _unit(client, dealer, model: str = "迈腾 Magotan") -> str:
    vin = new_vin()
    r = await draw(client, dealer, vin, "198000.00", model=model)
    assert r.status_code == 201, r.text
    return vin


async def test_a_unit_in_stock_gets_its_value_path_and_best_month(client):
    await give_line(client)  # 7.2 %, 180 days, 10 % due after 90 days then every 30
    dealer = await login(client, "dealer")
    vin = await _unit(client, dealer)
    r = await client.get(f"/api/floorplan/units/{vin}/sell-timing", headers=dealer)
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["model_id"] == "fawvw-magotan" and s["model_version"] == store.load().version
    months = s["months"]
    assert [m["months"] for m in months] == list(range(len(months))) and len(months) == 6
    assert months[0]["interest"] == "0.00" and months[0]["gain"] == "0"
    interest = [Decimal(m["interest"]) for m in months]
    assert interest == sorted(interest) and interest[-1] > 0
    assert all(Decimal(m["low"]) <= Decimal(m["value"]) <= Decimal(m["high"]) for m in months)
    # the best month is the one with the most left after interest
    nets = [Decimal(m["net"]) for m in months]
    assert s["best_months"] == nets.index(max(nets))
    assert s["hold_until"] == s["best_on"] == months[s["best_months"]]["on"]
    assert date.fromisoformat(months[-1]["on"]) <= date.fromisoformat(s["as_of"]).replace(
        year=date.fromisoformat(s["as_of"]).year + 1
    )
    assert s["note"].startswith("建议")


async def test_a_model_not_in_the_catalogue_is_valued_on_its_invoice(client):
    await give_line(client)
    dealer = await login(client, "dealer")
    vin = await _unit(client, dealer, model="ID.4 CROZZ")
    s = (await client.get(f"/api/floorplan/units/{vin}/sell-timing", headers=dealer)).json()
    assert s["model_id"] is None
    assert Decimal(s["months"][0]["value"]) < Decimal("198000")


async def test_another_dealers_unit_is_not_found_and_a_sold_one_has_no_timing(client, settings):
    await give_line(client)
    dealer = await login(client, "dealer")
    vin = await _unit(client, dealer)
    other = await login(client, "dealer2")
    r = await client.get(f"/api/floorplan/units/{vin}/sell-timing", headers=other)
    assert r.status_code == 404 and r.json()["code"] == "floorplan_unit_not_found"
    unit = await paid_off(client, settings, dealer, vin, datetime.now(UTC))
    assert unit["status"] == "paid_off"
    r = await client.get(f"/api/floorplan/units/{vin}/sell-timing", headers=dealer)
    assert r.status_code == 409 and r.json()["code"] == "floorplan_unit_not_in_stock"
