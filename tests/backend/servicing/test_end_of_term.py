"""End of term 到期处理: closed until 90 days before the last due date; then renewal (when a
balloon is left to refinance), buy-out (a payoff quote without the prepayment penalty, paid
with purpose payoff) and return (a free inspection slot, one contract per slot) are offered,
and the choice is recorded and audited."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from backend.db.models import AuditEvent, Contract
from backend.servicing import dues, end_of_term
from backend.servicing.settlement import Purpose, settle
from common.business_day import business_date
from common.money import parse_money, to_fen
from tests.backend.auth.lessee_helpers import session
from tests.backend.servicing.helpers import ZEROED, MovableClock, active, balances


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


def fen(s: str) -> int:
    return to_fen(parse_money(s))


async def _near_the_end(client, settings, clock) -> tuple[dict, dict, date]:
    contract, lessee = await active(client, settings)
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        rows = await dues.instalments(db, c)
        last, before = rows[-1].due_date, rows[-2].due_date
    r = await client.get(f"/api/contracts/{contract['id']}/end-of-term", headers=lessee)
    assert r.status_code == 200 and r.json()["open"] is False
    assert r.json()["opens_on"] == (last - timedelta(days=90)).isoformat()
    r = await client.post(f"/api/contracts/{contract['id']}/end-of-term",
                          json={"option": "buyout"}, headers=lessee)  # fmt: skip
    assert r.status_code == 409 and r.json()["code"] == "end_of_term_not_open"
    clock.move((before - business_date(clock())).days + 3)  # the last period
    return contract, lessee, last


async def test_the_options_open_90_days_before_the_end(client, settings, clock):
    contract, lessee, last = await _near_the_end(client, settings, clock)
    r = await client.get(f"/api/contracts/{contract['id']}/end-of-term", headers=lessee)
    view = r.json()
    assert view["open"] is True and view["last_due_date"] == last.isoformat()
    codes = {o["code"]: o["available"] for o in view["options"]}
    assert codes == {"renewal": False, "buyout": True, "return": True}  # no balloon here
    assert view["renewal"] == []
    by = {x["code"]: fen(x["amount"]) for x in view["buyout"]["lines"]}
    assert by["prepayment_penalty"] == 0 and by["purchase_price"] == 10000
    assert sum(by.values()) == fen(view["buyout"]["total"])
    assert len(view["slots"]) == 28
    r = await client.post(f"/api/contracts/{contract['id']}/end-of-term",
                          json={"option": "renewal", "renewal_term_months": 12},
                          headers=lessee)  # fmt: skip
    assert r.status_code == 422 and r.json()["code"] == "renewal_unavailable"


async def test_a_return_books_a_free_slot_once(client, settings, clock):
    contract, lessee, _ = await _near_the_end(client, settings, clock)
    url = f"/api/contracts/{contract['id']}/end-of-term"
    slot = (await client.get(url, headers=lessee)).json()["slots"][3]
    r = await client.post(url, json={"option": "return", "slot_at": slot}, headers=lessee)
    assert r.status_code == 201, r.text
    assert datetime.fromisoformat(r.json()["choice"]["slot_at"]) == datetime.fromisoformat(slot)
    view = (await client.get(url, headers=lessee)).json()
    assert slot not in view["slots"] and view["choice"]["option"] == "return"
    r = await client.post(url, json={"option": "return", "slot_at": slot}, headers=lessee)
    assert r.status_code == 422 and r.json()["code"] == "slot_unavailable"
    far = (business_date(clock()) + timedelta(days=30)).isoformat() + "T02:00:00Z"
    r = await client.post(url, json={"option": "return", "slot_at": far}, headers=lessee)
    assert r.status_code == 422
    async with session(settings) as db:
        actions = list(await db.scalars(select(AuditEvent.action).where(
            AuditEvent.entity_id == contract["id"])))  # fmt: skip
        assert "contract.end_of_term_chosen" in actions


async def test_a_buyout_is_a_payoff_quote_that_settles_the_contract(client, settings, clock):
    contract, lessee, _ = await _near_the_end(client, settings, clock)
    r = await client.post(f"/api/contracts/{contract['id']}/end-of-term",
                          json={"option": "buyout"}, headers=lessee)  # fmt: skip
    assert r.status_code == 201, r.text
    q = r.json()["quote"]
    assert r.json()["choice"]["quote_id"] == q["id"]
    async with session(settings) as db:
        c = await dues.locked(db, contract["id"])
        assert await settle(db, c, Purpose.PAYOFF, fen(q["total"]), reference="BUY-1",
                            paid_on=date.fromisoformat(q["settle_on"]), at=clock(),
                            quote_id=q["id"])  # fmt: skip
        await db.commit()
        c = await db.get(Contract, contract["id"])
        assert c.status == "settled"
        left = await balances(db, c.id)
        assert {a: left.get(a, 0) for a in ZEROED} == dict.fromkeys(ZEROED, 0)


def test_renewal_refinances_the_balloon_at_the_contract_rate():
    offers = [end_of_term.renewal_offer(3000000, "6.99", date(2029, 12, 5), t) for t in (12, 24)]
    assert all(o.principal == "30000.00" for o in offers)
    assert fen(offers[0].monthly_payment) > fen(offers[1].monthly_payment)
    assert offers[0].annualised_rate_percent == "6.99"
    assert fen(offers[0].monthly_payment) * 12 > 3000000
