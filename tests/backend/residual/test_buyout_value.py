"""At the end of the term the buy-out is shown beside what the car is predicted to be worth on
the last due date (both databases); the contract's figures stay as they are."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backend.residual import store
from tests.backend.servicing.helpers import MovableClock
from tests.backend.servicing.test_end_of_term import _near_the_end


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


async def test_the_buyout_is_shown_beside_the_cars_value_at_term_end(client, settings, clock):
    contract, lessee, last = await _near_the_end(client, settings, clock)
    view = (await client.get(f"/api/contracts/{contract['id']}/end-of-term", headers=lessee)).json()
    value = view["vehicle_value"]
    assert value["on"] == last.isoformat() and value["model_version"] == store.load().version
    low, median, high = (Decimal(value[k]) for k in ("low", "value", "high"))
    assert 0 < low <= median <= high
    assert value["buyout_total"] == view["buyout"]["total"]  # the figure itself is unchanged
    assert Decimal(value["equity"]) == median - Decimal(value["buyout_total"])
    # with the rents all but paid, keeping the car costs far less than it is worth
    # nothing was paid here: with every rent in arrears and its penalty, the buy-out is dearer
    # than even the interval's high end, and handing the car back is the better choice
    assert high < Decimal(value["buyout_total"])
    assert value["verdict"] == "return" and value["note"].startswith("退车更合算")
