"""The units list is paged, on both databases: newest drawdown first, then by id; following
`next_cursor` to the end gives every unit once, with no duplicates or gaps, even when units are
drawn meanwhile; the limit has a ceiling, and a cursor or status it did not give is a clear 400."""

from __future__ import annotations

from datetime import date

import pytest

from common.api.paging import encode_cursor
from tests.backend.floorplan.helpers import EAST, drawn, give_line, new_vin, paid_off
from tests.backend.helpers import login
from tests.backend.servicing.helpers import MovableClock

URL = "/api/floorplan/units"


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


async def _stock(client, clock, days: tuple[int, ...]) -> list[dict]:
    """Units drawn on successive days, several on some days (ties broken by id)."""
    await give_line(client, limit="100000000")
    made = []
    for per_day in days:
        dealer = await login(client, "dealer")
        made += [await drawn(client, dealer, new_vin(), "10000") for _ in range(per_day)]
        clock.move(1)
    return made


async def _all_pages(client, headers, limit: int, **params) -> tuple[list[dict], int]:
    seen, pages, cursor = [], 0, None
    while True:
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        r = await client.get(URL, params=query, headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        assert len(body["units"]) <= limit
        seen += body["units"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, pages


def _order(units: list[dict]) -> list[tuple[date, str]]:
    return [(date.fromisoformat(u["drawn_on"]), u["id"]) for u in units]


async def test_paging_through_all_units_gives_each_once_newest_first(client, clock):
    made = await _stock(client, clock, (3, 1, 4, 0, 5, 2))  # 15 units over 6 days
    dealer = await login(client, "dealer")
    for limit in (1, 4, 5, 15, 200):
        seen, pages = await _all_pages(client, dealer, limit)
        assert sorted(u["id"] for u in seen) == sorted(u["id"] for u in made)  # no gap
        assert len({u["id"] for u in seen}) == len(seen)  # no duplicate
        assert _order(seen) == sorted(_order(seen), reverse=True)  # newest first, then by id
        assert pages == -(-len(made) // limit)  # no empty last page: a page says if more follow
    first = (await client.get(URL, headers=dealer)).json()  # default: 50, all of them here
    assert len(first["units"]) == len(made) and first["next_cursor"] is None


async def test_units_drawn_between_pages_never_repeat_or_hide_the_others(client, clock):
    made = await _stock(client, clock, (2, 2, 2))
    dealer = await login(client, "dealer")
    first = (await client.get(URL, params={"limit": 3}, headers=dealer)).json()
    late = await drawn(client, dealer, new_vin(), "10000")  # newest: before the cursor
    rest, cursor = [], first["next_cursor"]
    while cursor:
        body = (await client.get(URL, params={"limit": 3, "cursor": cursor},
                                 headers=dealer)).json()  # fmt: skip
        rest += body["units"]
        cursor = body["next_cursor"]
    ids = [u["id"] for u in first["units"] + rest]
    assert sorted(ids) == sorted(u["id"] for u in made) and late["id"] not in ids
    again = (await client.get(URL, params={"limit": 3}, headers=dealer)).json()
    assert again["units"][0]["id"] == late["id"]  # a fresh first page shows it


async def test_owed_pages_leave_out_the_units_paid_off(client, settings, clock):
    made = await _stock(client, clock, (2, 2))
    dealer = await login(client, "dealer")
    gone = await paid_off(client, settings, dealer, made[0]["vin"], clock())
    assert gone["status"] == "paid_off"
    owed, _ = await _all_pages(client, dealer, 2, status="owed")
    assert {u["id"] for u in owed} == {u["id"] for u in made[1:]}
    settled, _ = await _all_pages(client, dealer, 2, status="paid_off")
    assert [u["id"] for u in settled] == [made[0]["id"]]
    everything, _ = await _all_pages(client, dealer, 2)
    assert len(everything) == len(made)


async def test_the_admin_pages_a_dealers_units_and_another_dealer_gets_404(client, clock):
    made = await _stock(client, clock, (3,))
    admin = await login(client, "admin")
    seen, _ = await _all_pages(client, admin, 2, dealer_id=EAST)
    assert len(seen) == len(made)
    r = await client.get(URL, params={"dealer_id": EAST}, headers=await login(client, "dealer2"))
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"limit": 0}, None),
        ({"limit": 201}, None),  # the ceiling
        ({"limit": "many"}, None),
        ({"cursor": "not-a-cursor"}, "cursor_invalid"),
        ({"cursor": encode_cursor(("2026-13-40", "x"))}, "cursor_invalid"),
        ({"cursor": encode_cursor(("2026-01-01",))}, "cursor_invalid"),
        ({"cursor": "x" * 201}, None),
        ({"status": "sold"}, "floorplan_status_invalid"),
    ],
)
async def test_a_bad_limit_cursor_or_status_is_a_400(client, clock, params, code):
    await _stock(client, clock, (1,))
    r = await client.get(URL, params=params, headers=await login(client, "dealer"))
    assert r.status_code == 400, r.text
    if code:
        assert r.json()["code"] == code
