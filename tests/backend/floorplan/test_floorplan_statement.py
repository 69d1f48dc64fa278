"""The dealer's statement 对账单 shows its floor plan: a drawdown and interest are what the dealer
owes (debits), the payoff what it repaid (a credit); the statement ties (closing = opening +
credits - debits) and the repaid unit leaves the balance where it started."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.backend.floorplan.helpers import drawn, give_line, new_vin, paid_off
from tests.backend.helpers import login
from tests.backend.servicing.helpers import MovableClock


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


async def test_drawdown_interest_and_payoff_are_on_the_dealers_statement(client, settings, clock):
    await give_line(client)
    dealer = await login(client, "dealer")
    vin = new_vin()
    unit = await drawn(client, dealer, vin, "200000.00")
    clock.move(10)
    dealer = await login(client, "dealer")
    shown = await paid_off(client, settings, dealer, vin, clock())  # ¥200,000 + 10 days' ¥400
    start = date.fromisoformat(unit["drawn_on"])
    end = date.fromisoformat(shown["paid_off_on"])
    r = await client.get("/api/dealer/statements", headers=dealer,
                         params={"from": start.isoformat(), "to": end.isoformat()})  # fmt: skip
    assert r.status_code == 200, r.text
    statement = r.json()
    rows = {row["kind"]: row for row in statement["rows"]}
    assert Decimal(rows["floorplan_drawdown"]["debit"]) == Decimal("200000.00")
    assert Decimal(rows["floorplan_interest"]["debit"]) == Decimal("400.00")
    assert Decimal(rows["floorplan_payoff"]["credit"]) == Decimal("200400.00")
    assert rows["floorplan_payoff"]["label"] == "库存融资结清"
    opening, closing = Decimal(statement["opening"]), Decimal(statement["closing"])
    moved = Decimal(statement["total_credit"]) - Decimal(statement["total_debit"])
    assert closing == opening + moved and closing == opening  # repaid in full
