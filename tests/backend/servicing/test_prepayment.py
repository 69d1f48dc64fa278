"""Partial prepayment 部分提前还款: both modes previewed, a stored quote, and its payment writes
the next schedule revision (the old one kept) whose rows the rebuilt schedule matches fen for
fen, with books that still say what the rows say; a payoff afterwards settles to zero."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from backend.db.models import Contract, ContractInstalment
from backend.ledger import service as ledger
from backend.servicing import dues, quotes
from backend.servicing.settlement import Purpose, settle
from common.business_day import business_date
from common.ledger import Account
from common.money import parse_money, to_fen
from tests.backend.auth.lessee_helpers import session
from tests.backend.servicing.helpers import ZEROED, MovableClock, active, balances


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


def fen(s: str) -> int:
    return to_fen(parse_money(s))


async def books_match_rows(db, c: Contract) -> None:
    rows = await dues.instalments(db, c)
    states = [dues.state(r) for r in rows]
    left = await balances(db, c.id)
    assert left[Account.LEASE_RECEIVABLE] == sum(
        s.principal + s.interest - s.paid_principal - s.paid_interest for s in states
    )
    assert left[Account.UNEARNED_INTEREST] == sum(s.interest - s.paid_interest for s in states)
    assert left.get(Account.FEES_RECEIVABLE, 0) == sum(s.fees - s.paid_fees for s in states)
    assert (await ledger.trial_balance(db)).balanced


async def pay_prepayment(settings, contract_id: str, q: dict, reference: str, clock) -> None:
    """The prepayment quote `q` paid on its date, as the payment notification would."""
    async with session(settings) as db:
        c = await dues.locked(db, contract_id)
        assert await settle(db, c, Purpose.PREPAYMENT, fen(q["total"]), reference=reference,
                            paid_on=date.fromisoformat(q["settle_on"]), at=clock(),
                            quote_id=q["id"])  # fmt: skip
        await db.commit()


def oldest_first(states) -> bool:
    """Paid rows (settled, then at most one in part) come before the unpaid ones."""
    marks = ["settled" if s.settled else "part" if s.paid else "none" for s in states]
    order = {"settled": 0, "part": 1, "none": 2}
    return marks == sorted(marks, key=order.get) and marks.count("part") <= 1


async def test_both_modes_are_previewed(client, settings):
    contract, lessee = await active(client, settings)
    url = f"/api/contracts/{contract['id']}/prepayments/preview"
    r = await client.post(url, json={"amount": "20000.00"}, headers=lessee)
    assert r.status_code == 200, r.text
    reduce, shorten = r.json()
    assert (reduce["mode"], shorten["mode"]) == ("reduce_payment", "shorten_term")
    rent = fen(contract["monthly_payment"])
    assert fen(reduce["rent"]) < rent and reduce["term_remaining"] == contract["term_months"]
    assert fen(shorten["rent"]) == rent and shorten["term_remaining"] < contract["term_months"]
    for p in (reduce, shorten):
        assert fen(p["amount_due"]) == (
            fen(p["principal_prepaid"]) + fen(p["accrued_interest"]) + fen(p["penalty"])
        )
        assert fen(p["penalty"]) == 60000  # 3 % in year one
        assert sum(fen(x["principal"]) for x in p["schedule"]) == fen(contract["principal"]) - (
            2000000
        )
        assert p["schedule"][0]["number"] == 1 and p["annualised_rate_percent"]
    one = await client.post(url, json={"amount": "20000.00", "mode": "shorten_term"},
                            headers=lessee)  # fmt: skip
    assert [p["mode"] for p in one.json()] == ["shorten_term"]


async def test_bad_prepayments_are_refused(client, settings):
    contract, lessee = await active(client, settings)
    url = f"/api/contracts/{contract['id']}/prepayments/preview"
    for body, status, code in (
        ({"amount": contract["principal"]}, 422, "prepayment_invalid"),
        ({"amount": "-1.00"}, 422, "prepayment_invalid"),
        ({"amount": "abc"}, 422, None),
        ({"amount": "100.00", "mode": "faster"}, 400, None),
        ({"amount": "100.00", "on": "2000-01-01"}, 422, "prepayment_date_invalid"),
    ):
        r = await client.post(url, json=body, headers=lessee)
        assert r.status_code == status, (body, r.text)
        if code:
            assert r.json()["code"] == code


async def test_paying_a_prepayment_writes_the_next_revision(client, settings, clock):
    contract, lessee = await active(client, settings)
    r = await client.post(
        f"/api/contracts/{contract['id']}/prepayments",
        json={"amount": "20000.00", "mode": "reduce_payment"},
        headers=lessee,
    )
    assert r.status_code == 201, r.text
    body = r.json()
    q = body["quote"]
    assert sum(fen(x["amount"]) for x in q["lines"]) == fen(q["total"])
    await pay_prepayment(settings, contract["id"], q, "PRE-1", clock)
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        assert c.revision == 2
        rows = await dues.instalments(db, c)
        assert [(r.number, str(r.due_date), f"{r.principal_fen / 100:.2f}") for r in rows] == [
            (x["number"], x["due_date"], x["principal"]) for x in body["preview"]["schedule"]
        ]
        old = list(await db.scalars(select(ContractInstalment).where(
            ContractInstalment.contract_id == c.id, ContractInstalment.revision == 1)))  # fmt: skip
        assert len(old) == contract["term_months"]  # kept
        quotes.check_rows(await quotes.schedule_for(db, c), rows)
        await books_match_rows(db, c)
        # replaying the payment changes nothing
        assert not await settle(db, c, Purpose.PREPAYMENT, fen(q["total"]), reference="PRE-1",
                                paid_on=date.fromisoformat(q["settle_on"]), at=clock(),
                                quote_id=q["id"])  # fmt: skip
    # the schedule route shows the new rows; a payoff afterwards clears the books
    shown = await client.get(f"/api/contracts/{contract['id']}/schedule", headers=lessee)
    assert fen(shown.json()[0]["principal"]) == fen(body["preview"]["schedule"][0]["principal"])
    p = (await client.post(f"/api/contracts/{contract['id']}/payoff-quotes", json={},
                           headers=lessee)).json()  # fmt: skip
    by = {x["code"]: fen(x["amount"]) for x in p["lines"]}
    assert by["outstanding_principal"] == fen(contract["principal"]) - 2000000
    async with session(settings) as db:
        c = await dues.locked(db, contract["id"])
        assert await settle(db, c, Purpose.PAYOFF, fen(p["total"]), reference="PAY-2",
                            paid_on=date.fromisoformat(p["settle_on"]), at=clock(),
                            quote_id=p["id"])  # fmt: skip
        await db.commit()
        left = await balances(db, c.id)
        assert {a: left.get(a, 0) for a in ZEROED} == dict.fromkeys(ZEROED, 0)


async def test_a_payment_on_another_day_is_rent(client, settings, clock):
    contract, lessee = await active(client, settings)
    q = (await client.post(f"/api/contracts/{contract['id']}/prepayments",
                           json={"amount": "5000.00", "mode": "shorten_term"},
                           headers=lessee)).json()["quote"]  # fmt: skip
    async with session(settings) as db:
        c = await dues.locked(db, contract["id"])
        later = date.fromordinal(date.fromisoformat(q["settle_on"]).toordinal() + 1)
        assert await settle(db, c, Purpose.PREPAYMENT, fen(q["total"]), reference="PRE-X",
                            paid_on=later, at=clock(), quote_id=q["id"])  # fmt: skip
        await db.commit()
        c = await db.get(Contract, contract["id"])
        assert c.revision == 1
        ahead = sum(dues.state(r).paid for r in await dues.instalments(db, c))
        assert ahead == fen(q["total"])


async def test_rent_paid_ahead_is_applied_to_the_new_rows(client, settings, clock):
    contract, lessee = await active(client, settings)
    async with session(settings) as db:
        c = await dues.locked(db, contract["id"])
        first = (await dues.instalments(db, c))[0]
        ahead = dues.state(first).total + 12345  # the next rent and some of the one after
        await dues.apply(db, c, ahead, reference="RENT-AHEAD", paid_on=clock().date(),
                         at=clock())  # fmt: skip
        await db.commit()
    r = await client.post(f"/api/contracts/{contract['id']}/prepayments",
                          json={"amount": "20000.00", "mode": "reduce_payment"},
                          headers=lessee)  # fmt: skip
    assert r.status_code == 201, r.text
    body = r.json()
    assert fen(body["preview"]["paid_ahead"]) == ahead
    q = body["quote"]
    await pay_prepayment(settings, contract["id"], q, "PRE-A", clock)
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        assert c.revision == 2
        rows = await dues.instalments(db, c)
        states = [dues.state(r) for r in rows]
        # the money paid ahead now pays the new (lower) rents, oldest first
        assert sum(s.paid for s in states) == ahead
        assert oldest_first(states)
        await books_match_rows(db, c)
        assert (await balances(db, c.id)).get(Account.ADVANCE_RECEIPTS, 0) == 0


async def test_no_prepayment_while_a_rent_is_overdue(client, settings, clock):
    contract, lessee = await active(client, settings)
    rows = (await client.get(f"/api/contracts/{contract['id']}/schedule", headers=lessee)).json()
    first = date.fromisoformat(rows[0]["due_date"])
    clock.move((first - business_date(clock())).days + 2)
    r = await client.post(f"/api/contracts/{contract['id']}/prepayments/preview",
                          json={"amount": "100.00"}, headers=lessee)  # fmt: skip
    assert r.status_code == 409 and r.json()["code"] == "prepayment_not_now"
