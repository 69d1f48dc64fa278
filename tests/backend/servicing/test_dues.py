"""The servicing sub-ledger: an activated contract's schedule becomes instalment rows, and money
reaches them through `dues.apply` exactly once per reference, oldest first, with the ledger."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.contracts import views
from backend.db.models import PaymentAllocation
from backend.db.session import make_engine, make_sessionmaker
from backend.ledger import service as ledger
from backend.servicing import dues
from common.ledger import Account
from common.servicing.standing import summary
from tests.backend.servicing.active import active_contract

NOW = datetime.now(UTC)


def fen(yuan: str) -> int:
    return int(Decimal(yuan) * 100)


@pytest.fixture
async def db(settings) -> AsyncIterator[AsyncSession]:  # type: ignore[no-untyped-def]
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as session:
        yield session
    await engine.dispose()


async def _pay(db: AsyncSession, contract_id: str, amount: int, ref: str, **kw):  # type: ignore[no-untyped-def]
    contract = await dues.locked(db, contract_id)
    assert contract is not None
    posted = await dues.apply(db, contract, amount, reference=ref, paid_on=NOW.date(), at=NOW, **kw)
    await db.commit()
    return posted


async def test_activation_makes_the_signed_schedule_the_first_revision(client, settings, db):
    c, lessee = await active_contract(client, settings)
    r = await client.get(f"/api/contracts/{c['id']}/schedule", headers=lessee)
    rows = r.json()
    assert len(rows) == c["term_months"] == len(c["schedule"])
    assert [x["amount_due"] for x in rows] == [x["amount_due"] for x in c["schedule"]]
    assert rows[0]["status"] == "due" and rows[0]["status_label"] == "待还"
    assert {x["status"] for x in rows[1:]} == {"upcoming"}
    assert rows[0]["outstanding"] == rows[0]["amount_due"]


async def test_a_rent_paid_settles_the_oldest_instalment_and_books_it(client, settings, db):
    c, lessee = await active_contract(client, settings)
    first = c["schedule"][0]
    rent = fen(first["amount_due"])
    before = await ledger.contract_balances(db, c["id"])
    posted = await _pay(db, c["id"], rent, "pay-1")
    assert posted is not None and posted.applied.unapplied == 0
    assert posted.applied.principal == fen(first["principal"])
    assert posted.applied.interest == fen(first["interest"])
    after = await ledger.contract_balances(db, c["id"])
    repaid = fen(first["principal"]) + fen(first["interest"])
    assert before[Account.LEASE_RECEIVABLE] - after[Account.LEASE_RECEIVABLE] == repaid
    assert after.get(Account.INTEREST_INCOME, 0) == fen(first["interest"])
    assert (await ledger.trial_balance(db)).balanced
    assert await ledger.unbalanced_entries(db) == []
    rows = (await client.get(f"/api/contracts/{c['id']}/schedule", headers=lessee)).json()
    assert rows[0]["status"] == "paid" and rows[0]["outstanding"] == "0.00"
    assert rows[1]["status"] == "due"


async def test_the_same_reference_applies_once(client, settings, db):
    c, _ = await active_contract(client, settings)
    rent = fen(c["schedule"][0]["amount_due"])
    assert await _pay(db, c["id"], rent, "pay-1") is not None
    assert await _pay(db, c["id"], rent, "pay-1") is None
    total = await db.scalar(
        select(func.sum(PaymentAllocation.amount_fen)).where(
            PaymentAllocation.contract_id == c["id"]
        )
    )
    assert total == rent


async def test_money_beyond_every_due_is_held_as_an_advance(client, settings, db):
    c, _ = await active_contract(client, settings)
    contract = await dues.locked(db, c["id"])
    everything = summary([dues.state(r) for r in await dues.instalments(db, contract)], NOW.date())
    await db.rollback()
    posted = await _pay(db, c["id"], everything.outstanding_fen + 500, "pay-all")
    assert posted is not None and posted.applied.unapplied == 500
    balances = await ledger.contract_balances(db, c["id"])
    assert balances[Account.ADVANCE_RECEIPTS] == 500
    assert balances[Account.LEASE_RECEIVABLE] == balances.get(Account.UNEARNED_INTEREST, 0) == 0


async def test_a_rent_unpaid_after_its_due_date_is_overdue(client, settings, db):
    c, _ = await active_contract(client, settings)
    contract = await dues.locked(db, c["id"])
    rows = await dues.instalments(db, contract)
    later = rows[1].due_date + timedelta(days=2)  # two rents due, none paid
    view = views.serviced(rows, later)
    assert [x.status for x in view[:3]] == ["overdue", "overdue", "due"]
    s = summary([dues.state(r) for r in rows], later)
    assert s.days_past_due == (later - rows[0].due_date).days
    assert s.overdue_fen == sum(dues.state(r).lessee_owes for r in rows[:2])


async def test_the_hall_shows_the_lessee_what_is_due_next(client, settings):
    c, lessee = await active_contract(client, settings)
    hall = (await client.get("/api/me/hall", headers=lessee)).json()
    (mine,) = [x for x in hall["contracts"] if x["id"] == c["id"]]
    assert mine["next_due"] == c["schedule"][0]["amount_due"]
    assert mine["next_due_date"] == c["schedule"][0]["due_date"]
    assert mine["overdue"] == "0.00" and mine["bucket"] == "M0"
    assert mine["instalments_paid"] == 0 and mine["instalments_total"] == c["term_months"]
    staff = await client.get("/api/me/hall", headers={"Authorization": "Bearer x"})
    assert staff.status_code == 401
