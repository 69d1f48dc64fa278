"""Early payoff 提前结清: the schedule rebuilt from the contract equals its stored rows fen for
fen; a dated quote's line items sum exactly to its total; paying it settles the contract, clears
every balance it owed on the books and releases the title; a payment that does not match the
quote is a rent payment and leaves the quote open."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from backend.db.models import AuditEvent, Contract, TitleRelease
from backend.ledger import service as ledger
from backend.servicing import dues, payoff, quotes
from backend.servicing.settlement import Purpose, settle
from common.business_day import business_date
from common.errors import Conflict, DomainError
from common.money import parse_money, to_fen
from common.servicing import payoff_quote
from common.servicing.policy import STANDARD
from tests.backend.auth.lessee_helpers import session
from tests.backend.contracts.flow import approved, contract_for, lessee_login
from tests.backend.helpers import login
from tests.backend.risk.helpers import CLEAN_2
from tests.backend.servicing.helpers import ZEROED, MovableClock, active, balances, book_penalty


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


def fen(s: str) -> int:
    return to_fen(parse_money(s))


async def test_the_rebuilt_schedule_is_the_stored_one_fen_for_fen(client, settings):
    contract, _ = await active(client, settings)
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        rows = await dues.instalments(db, c)
        rebuilt = await quotes.schedule_for(db, c)
        quotes.check_rows(rebuilt, rows)
        lines = rebuilt.schedule.instalments
        assert [(i.number, i.due_date, to_fen(i.principal), to_fen(i.interest), to_fen(i.fees))
                for i in lines] == [(r.number, r.due_date, r.principal_fen, r.interest_fen,
                                     r.fees_fen) for r in rows]  # fmt: skip
        assert to_fen(rebuilt.schedule.total_interest) == c.document["terms"]["total_interest_fen"]


async def test_a_quote_lists_every_item_and_they_sum_to_its_total(client, settings, clock):
    contract, lessee = await active(client, settings)
    today = business_date(clock())
    url = f"/api/contracts/{contract['id']}/payoff-quotes"
    r = await client.post(url, json={"settle_on": (today + timedelta(days=3)).isoformat()},
                          headers=lessee)  # fmt: skip
    assert r.status_code == 201, r.text
    q = r.json()
    codes = [x["code"] for x in q["lines"]]
    assert codes == [
        "outstanding_principal",
        "accrued_interest",
        "scheduled_fees",
        "overdue_principal",
        "overdue_interest",
        "overdue_fees",
        "penalty_interest",
        "prepayment_penalty",
        "purchase_price",
        "advance_offset",
        "deposit_offset",
    ]
    assert sum(fen(x["amount"]) for x in q["lines"]) == fen(q["total"])
    assert q["status"] == "open" and q["valid_until"] == q["settle_on"]
    by = {x["code"]: fen(x["amount"]) for x in q["lines"]}
    assert by["outstanding_principal"] == fen(contract["principal"])  # nothing due yet
    assert by["accrued_interest"] > 0 and by["purchase_price"] == 10000
    assert by["prepayment_penalty"] == fen(contract["principal"]) * 3 // 100  # year one: 3 %
    assert by["deposit_offset"] == -fen(contract["deposit"])
    # the same as the pure quote on the rebuilt schedule (nothing paid ahead)
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        pure = payoff_quote((await quotes.schedule_for(db, c)).schedule, today, STANDARD.payoff,
                            settle_on=today + timedelta(days=3))  # fmt: skip
    assert to_fen(pure.total) == fen(q["total"])
    again = await client.get(f"{url}/{q['id']}", headers=lessee)
    assert again.status_code == 200 and again.json()["total"] == q["total"]
    staff = await login(client, "staff")
    assert (await client.post(url, json={}, headers=staff)).status_code == 201


async def test_bad_requests_are_refused_with_a_code(client, settings, clock):
    contract, lessee = await active(client, settings)
    url = f"/api/contracts/{contract['id']}/payoff-quotes"
    today = business_date(clock())
    for day in (today - timedelta(days=1), today + timedelta(days=8)):
        r = await client.post(url, json={"settle_on": day.isoformat()}, headers=lessee)
        assert r.status_code == 422 and r.json()["code"] == "payoff_date_invalid", r.text
    r = await client.post(url, json={"settle_on": "tomorrow"}, headers=lessee)
    assert r.status_code == 400
    r = await client.post(url, json={"nope": 1}, headers=lessee)
    assert r.status_code == 400
    assert (await client.get(f"{url}/nope", headers=lessee)).status_code == 404
    # another lessee's contract, and a contract not yet active
    pending = await contract_for(client, await approved(client, CLEAN_2, mobile="13912340002"))
    other = await lessee_login(client, "13912340002", CLEAN_2)
    assert (await client.post(url, json={}, headers=other)).status_code == 404
    r = await client.post(f"/api/contracts/{pending['id']}/payoff-quotes", json={}, headers=other)
    assert r.status_code == 409 and r.json()["code"] == "contract_not_active"


async def _settled_and_zero(settings, contract_id: str, quote_id: str, total: int, paid_on: date,
                            at) -> None:  # fmt: skip
    async with session(settings) as db:
        c = await dues.locked(db, contract_id)
        assert await settle(db, c, Purpose.PAYOFF, total, reference="PAY-1", paid_on=paid_on,
                            at=at, quote_id=quote_id)  # fmt: skip
        await db.commit()
    async with session(settings) as db:
        c = await db.get(Contract, contract_id)
        assert c.status == "settled"
        rows = await dues.instalments(db, c)
        assert all(r.settled_on == paid_on and dues.state(r).outstanding == 0 for r in rows)
        left = await balances(db, contract_id)
        assert {a: left.get(a, 0) for a in ZEROED} == dict.fromkeys(ZEROED, 0)
        assert (await ledger.trial_balance(db)).balanced
        assert await ledger.unbalanced_entries(db) == []
        assert await db.scalar(select(TitleRelease).where(TitleRelease.contract_id == c.id))
        actions = set(await db.scalars(select(AuditEvent.action)
                                       .where(AuditEvent.entity_id == c.id)))  # fmt: skip
        assert {"contract.settled", "contract.title_released"} <= actions
        # the same payment again changes nothing
        assert not await settle(db, c, Purpose.PAYOFF, total, reference="PAY-1", paid_on=paid_on,
                                at=at, quote_id=quote_id)  # fmt: skip


async def test_paying_the_quote_settles_the_contract_and_zeroes_its_books(client, settings, clock):
    contract, lessee = await active(client, settings)
    r = await client.post(f"/api/contracts/{contract['id']}/payoff-quotes", json={},
                          headers=lessee)  # fmt: skip
    q = r.json()
    await _settled_and_zero(settings, contract["id"], q["id"], fen(q["total"]),
                            date.fromisoformat(q["settle_on"]), clock())  # fmt: skip
    shown = await client.get(f"/api/contracts/{contract['id']}/payoff-quotes/{q['id']}",
                             headers=lessee)  # fmt: skip
    assert shown.json()["status"] == "used"
    r = await client.post(f"/api/contracts/{contract['id']}/payoff-quotes", json={},
                          headers=lessee)  # fmt: skip
    assert r.status_code == 409  # settled


async def test_a_payoff_in_arrears_carries_the_arrears_and_their_penalty(client, settings, clock):
    contract, lessee = await active(client, settings)
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        rows = await dues.instalments(db, c)
        first, second = rows[0], rows[1]
        # a part of the first rent paid, then nothing: 20 days late, penalty booked
        await dues.apply(db, c, 10000, reference="RENT-1", paid_on=first.due_date,
                         at=clock())  # fmt: skip
        await db.commit()
    clock.move((first.due_date - business_date(clock())).days + 20)
    today = business_date(clock())
    assert today < second.due_date
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        booked = await book_penalty(db, c, today - timedelta(days=2), clock())
        await db.commit()
    assert booked > 0
    r = await client.post(f"/api/contracts/{contract['id']}/payoff-quotes",
                          json={"settle_on": (today + timedelta(days=2)).isoformat()},
                          headers=lessee)  # fmt: skip
    assert r.status_code == 201, r.text
    q = r.json()
    by = {x["code"]: fen(x["amount"]) for x in q["lines"]}
    assert by["overdue_principal"] + by["overdue_interest"] == (
        first.principal_fen + first.interest_fen - 10000
    )
    assert by["penalty_interest"] > booked  # four more days to the settlement date
    assert sum(by.values()) == fen(q["total"])
    await _settled_and_zero(settings, contract["id"], q["id"], fen(q["total"]),
                            date.fromisoformat(q["settle_on"]), clock())  # fmt: skip


async def test_a_payment_that_does_not_match_the_quote_is_a_rent_payment(client, settings, clock):
    contract, lessee = await active(client, settings)
    q = (await client.post(f"/api/contracts/{contract['id']}/payoff-quotes", json={},
                           headers=lessee)).json()  # fmt: skip
    total = fen(q["total"])
    async with session(settings) as db:
        c = await dues.locked(db, contract["id"])
        with pytest.raises(DomainError) as refused:
            await quotes.amount_for(db, c, "rent", q["id"], business_date(clock()))
        assert refused.value.code == "quote_required"
        assert await quotes.amount_for(db, c, "payoff", q["id"], business_date(clock())) == total
        assert await settle(db, c, Purpose.PAYOFF, total - 1, reference="PAY-X",
                            paid_on=date.fromisoformat(q["settle_on"]), at=clock(),
                            quote_id=q["id"])  # fmt: skip
        await db.commit()
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        assert c.status == "active"
        rows = await dues.instalments(db, c)
        assert sum(dues.state(r).paid for r in rows) == total - 1  # applied as rent, ahead
        # the contract changed since the quote: the quote no longer prices it
        now = await payoff.current(db, c, date.fromisoformat(q["as_of"]), None)
        assert now.total < total
        with pytest.raises(Conflict) as unusable:
            await quotes.amount_for(db, c, "payoff", q["id"], business_date(clock()))
        assert unusable.value.code == "quote_unusable"
    shown = await client.get(f"/api/contracts/{contract['id']}/payoff-quotes/{q['id']}",
                             headers=lessee)  # fmt: skip
    assert shown.json()["status"] == "open"


async def test_an_idempotency_key_replays_the_same_quote(client, settings):
    contract, lessee = await active(client, settings)
    url = f"/api/contracts/{contract['id']}/payoff-quotes"
    headers = {**lessee, "Idempotency-Key": "quote-1"}
    first = await client.post(url, json={}, headers=headers)
    again = await client.post(url, json={}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    other = await client.post(url, json={}, headers={**lessee, "Idempotency-Key": "quote-2"})
    assert other.json()["id"] != first.json()["id"]
