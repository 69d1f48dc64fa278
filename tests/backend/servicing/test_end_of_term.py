"""End of term 到期处理: closed until 90 days before the last due date; then renewal (when a
balloon is left to refinance: choosing it applies the offered schedule as the next revision),
buy-out (a payoff quote without the prepayment penalty, paid with purpose payoff) and return (a
free inspection slot, one contract per slot) are offered, and the choice is recorded and
audited."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from backend.db.models import AuditEvent, Contract
from backend.servicing import dues, quotes
from backend.servicing.settlement import Purpose, settle
from common.business_day import business_date
from common.ledger import Account
from common.money import parse_money, to_fen
from tests.backend.auth.lessee_helpers import session
from tests.backend.helpers import create_product
from tests.backend.servicing.helpers import ZEROED, MovableClock, active, balances
from tests.backend.servicing.test_prepayment import books_match_rows


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


def fen(s: str) -> int:
    return to_fen(parse_money(s))


async def _near_the_end(client, settings, clock, quote=None) -> tuple[dict, dict, date]:
    contract, lessee = await active(client, settings, quote=quote)
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


async def test_renewal_spreads_the_balloon_in_level_rents_as_offered(client, settings, clock):
    product = await create_product(client)
    quote = {"product_id": product, "method": "balloon", "balloon": "20000"}
    contract, lessee, last = await _near_the_end(client, settings, clock, quote=quote)
    async with session(settings) as db:  # the rents so far paid
        c = await dues.locked(db, contract["id"])
        today = business_date(clock())
        due = [r for r in await dues.instalments(db, c) if r.due_date <= today]
        await dues.apply(db, c, sum(dues.state(r).outstanding for r in due), reference="RENTS",
                         paid_on=today, at=clock())  # fmt: skip
        await db.commit()
    url = f"/api/contracts/{contract['id']}/end-of-term"
    view = (await client.get(url, headers=lessee)).json()
    offers = {o["term_months"]: o for o in view["renewal"]}
    assert sorted(offers) == [12, 24, 36]
    assert fen(offers[12]["monthly_payment"]) > fen(offers[24]["monthly_payment"])
    assert fen(offers[12]["principal"]) > 2000000  # the balloon and the rent still to pay
    assert offers[12]["annualised_rate_percent"].startswith("6.")
    async with session(settings) as db:
        before = await balances(db, contract["id"])
    r = await client.post(url, json={"option": "renewal", "renewal_term_months": 12},
                          headers=lessee)  # fmt: skip
    assert r.status_code == 201, r.text
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        assert c.revision == 2
        rows = await dues.instalments(db, c)
        # the offer is what applies: its rent, count and end; no balloon left
        assert {r.principal_fen + r.interest_fen for r in rows[:-1]} == {
            fen(offers[12]["monthly_payment"])
        }
        assert len(rows) == offers[12]["instalments"] and rows[-1].due_date > last
        assert str(rows[-1].due_date) == offers[12]["end_date"]
        assert all(r.kind != "balloon" for r in rows)
        quotes.check_rows(await quotes.schedule_for(db, c), rows)
        await books_match_rows(db, c)
        after = await balances(db, c.id)  # the interest of the new rents is booked
        assert after[Account.UNEARNED_INTEREST] > before[Account.UNEARNED_INTEREST]
    # the term now ends later: the end-of-term window is closed again
    view = (await client.get(url, headers=lessee)).json()
    assert view["open"] is False and view["last_due_date"] == offers[12]["end_date"]
