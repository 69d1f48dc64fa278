"""A co-lent contract's partial prepayment 部分提前还款, paid through the provider: the funder is
allocated its share of the principal prepaid and its yield on the interest accrued on it, prorated
to the day, when the prepayment is posted — once, however often the payment request and the
notification are retried — and the next rent then allocates only its own share, against the
reduced outstanding."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from sqlalchemy import func, select

from backend.db.models import Contract, ContractFunding, FunderAllocation, LedgerEntry
from backend.ledger import service as ledger
from backend.payments import sandbox
from backend.servicing import dues
from backend.servicing.settlement import Purpose, settle
from common.colending import DAYS_IN_YEAR, WHOLE
from common.ledger import FUNDER_ALLOCATION, Account
from tests.backend.contracts.flow import approved, contract_for, fund, lessee_login, sign
from tests.backend.funders.helpers import agree, funder_key, pay, session, share_of
from tests.backend.payments.helpers import NOTIFY
from tests.backend.risk.helpers import CLEAN
from tests.backend.servicing.helpers import MOBILE, MovableClock

PREPAID = 2_000_000  # ¥20,000.00
ELAPSED = 20  # days into the first period
FUNDER_ACCOUNTS = (Account.FUNDER_CAPITAL, Account.FUNDER_PAYABLE)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


def _fen(text: str) -> int:
    return int(Decimal(text) * 100)


async def _colent(client, settings) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """A contract the demo bank funds for its 80 %: the contract, its lessee's headers and the
    funder's key."""
    await agree(client)
    key = await funder_key(settings)
    contract = await contract_for(client, await approved(client, CLEAN, mobile=MOBILE))
    lessee = await lessee_login(client, MOBILE, CLEAN)
    assert (await sign(client, lessee, contract["id"], MOBILE)).status_code == 200
    r = await fund(client, key, contract["id"], share_of(contract["principal"]))
    assert r.status_code == 200, r.text
    return contract, lessee, key


def _yield_on_prepaid(frozen: ContractFunding, days: int = ELAPSED) -> Fraction:
    """The funder's yield on its share of the principal prepaid for `days`, exactly. What it is
    allocated is this truncated, give or take the accrued interest's rounding to the fen (the
    yield is in proportion to the interest paid): within 2 fen."""
    return Fraction(frozen.share_e4 * PREPAID * frozen.yield_e4 * days,
                    WHOLE * WHOLE * DAYS_IN_YEAR)  # fmt: skip


async def _allocations(db, contract_id: str) -> dict[str, FunderAllocation]:
    """The contract's allocations by repayment reference."""
    found = await db.scalars(
        select(FunderAllocation).where(FunderAllocation.contract_id == contract_id)
    )
    return {a.reference: a for a in found}


async def _prepay_with_retries(client, settings, clock, contract_id: str, lessee) -> dict:
    """¥20,000.00 prepaid through the provider: the payment request sent twice with one
    Idempotency-Key, the provider's notification delivered twice, and the posting replayed. The
    payment as first made."""
    r = await client.post(f"/api/contracts/{contract_id}/prepayments",
                          json={"amount": "20000.00", "mode": "reduce_payment"},
                          headers=lessee)  # fmt: skip
    assert r.status_code == 201, r.text
    quote = r.json()["quote"]
    body = {"option": "quote", "purpose": "prepayment", "quote_id": quote["id"]}
    headers = {**lessee, "Idempotency-Key": "prepay-1"}
    url = f"/api/contracts/{contract_id}/payments"
    made = await client.post(url, json=body, headers=headers)
    assert made.status_code == 201, made.text
    payment = made.json()
    assert payment["amount"] == quote["total"]
    again = await client.post(url, json=body, headers=headers)
    assert again.status_code == 201 and again.json()["id"] == payment["id"]  # replayed
    async with session(settings) as db:
        await sandbox.pay(db, payment["out_trade_no"], clock())
        await db.commit()
        txn = sandbox.transaction(await sandbox.order(db, payment["out_trade_no"]))
    for _ in range(2):  # the provider retries its notification
        signed, raw = sandbox.notification(sandbox.platform_keys(settings), settings, txn, clock())
        assert (await client.post(NOTIFY, content=raw, headers=signed)).status_code in (200, 204)
    async with session(settings) as db:
        c = await dues.locked(db, contract_id)
        assert c is not None
        paid_on = date.fromisoformat(quote["settle_on"])
        assert not await settle(db, c, Purpose.PREPAYMENT, _fen(quote["total"]),
                                reference=payment["id"], paid_on=paid_on, at=clock(),
                                quote_id=quote["id"])  # fmt: skip
        await db.commit()
    return payment


async def test_a_prepayment_allocates_the_funder_its_share_once_and_the_next_rent_its_own(
    client, settings, clock
):
    contract, lessee, key = await _colent(client, settings)
    clock.move(ELAPSED)
    payment = await _prepay_with_retries(client, settings, clock, contract["id"], lessee)

    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        frozen = await db.get(ContractFunding, contract["id"])
        assert c is not None and frozen is not None and c.revision == 2
        [prepaid] = (await _allocations(db, c.id)).values()
        assert prepaid.reference == payment["id"] and prepaid.paid_fen == _fen(payment["amount"])
        assert prepaid.principal_repaid_fen == PREPAID
        assert prepaid.principal_fen == PREPAID * 8 // 10  # its 80 %, at once
        # its yield: its share of the principal prepaid, at its rate, for the days it was out
        assert (prepaid.paid_on - frozen.funded_on).days == ELAPSED
        assert prepaid.yield_fen > 0 and abs(prepaid.yield_fen - _yield_on_prepaid(frozen)) < 2
        entries = await db.scalar(select(func.count()).select_from(LedgerEntry).where(
            LedgerEntry.contract_id == c.id, LedgerEntry.kind == FUNDER_ALLOCATION))  # fmt: skip
        assert entries == 1  # posted once, retries or not
        party = await ledger.party_balances(db, "org-funder", FUNDER_ACCOUNTS)
        assert party[Account.FUNDER_CAPITAL] == frozen.funded_fen - prepaid.principal_fen
        assert party[Account.FUNDER_PAYABLE] == prepaid.principal_fen + prepaid.yield_fen
        assert await ledger.unbalanced_entries(db) == []
        assert (await ledger.trial_balance(db)).balanced
        first = (await dues.instalments(db, c))[0]  # the new revision's first rent

    seen = await client.get(f"/api/funder/portfolio/contracts/{contract['id']}", headers=key)
    assert seen.status_code == 200, seen.text
    d = seen.json()
    assert _fen(d["contract"]["outstanding"]) == frozen.financed_fen - PREPAID
    assert _fen(d["contract"]["funder_outstanding"]) == frozen.funded_fen - prepaid.principal_fen
    assert _fen(d["contract"]["received_principal"]) == prepaid.principal_fen
    assert _fen(d["owed_now"]) == prepaid.principal_fen + prepaid.yield_fen
    assert [a["reference"] for a in d["allocations"]] == [payment["id"]]

    async with session(settings) as db:
        await pay(db, contract["id"], dues.state(first).lessee_owes, "RENT-1",
                  paid_on=first.due_date)  # fmt: skip
        rent = (await _allocations(db, contract["id"]))["RENT-1"]
    # only its own share: of the new first rent's principal, not the prepaid principal again
    assert rent.principal_repaid_fen == first.principal_fen
    assert rent.principal_fen == first.principal_fen * 8 // 10
    opening = frozen.financed_fen - PREPAID  # the new rents run on the reduced principal
    period = (first.due_date - frozen.funded_on).days
    full = frozen.share_e4 * opening * frozen.yield_e4 * period // (WHOLE * WHOLE * DAYS_IN_YEAR)
    assert rent.yield_fen == min(first.interest_fen, full)
    after = (await client.get(f"/api/funder/portfolio/contracts/{contract['id']}",
                              headers=key)).json()  # fmt: skip
    assert _fen(after["contract"]["funder_outstanding"]) == (
        frozen.funded_fen - prepaid.principal_fen - rent.principal_fen
    )


async def test_rent_paid_ahead_then_a_prepayment_allocates_each_principal_fen_once(
    client, settings, clock
):
    contract, lessee, _ = await _colent(client, settings)
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        assert c is not None
        first = (await dues.instalments(db, c))[0]
        await pay(db, c.id, dues.state(first).lessee_owes + 12345, "RENT-AHEAD")
    clock.move(ELAPSED)
    payment = await _prepay_with_retries(client, settings, clock, contract["id"], lessee)
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        frozen = await db.get(ContractFunding, contract["id"])
        assert c is not None and frozen is not None
        got = await _allocations(db, c.id)
        ahead, prepaid = got["RENT-AHEAD"], got[payment["id"]]
        carried = got[f"carry:{payment['id']}"]
        # The principal paid ahead was allocated when it was paid and is not given back when it
        # is lifted: the prepayment's part counts it as repaid, and is its share of the rest.
        share, before = frozen.share_e4, ahead.principal_repaid_fen
        assert prepaid.principal_fen == (
            (before + PREPAID) * share // WHOLE - before * share // WHOLE
        )
        # Carried to the new rows, that money repays more principal there (their interest is
        # lower); only the extra is allocated, so the funder has had, to the fen, its share of
        # the principal repaid.
        rows = await dues.instalments(db, c)
        repaid = frozen.financed_fen - sum(r.principal_fen - r.paid_principal_fen for r in rows)
        assert repaid == PREPAID + carried.principal_repaid_fen
        total = ahead.principal_fen + prepaid.principal_fen + carried.principal_fen
        assert total == repaid * share // WHOLE
        party = await ledger.party_balances(db, "org-funder", FUNDER_ACCOUNTS)
        assert party[Account.FUNDER_CAPITAL] == frozen.funded_fen - total
        assert (await ledger.trial_balance(db)).balanced


async def test_after_a_prepayment_in_a_later_period_the_next_rent_earns_one_periods_yield(
    client, settings, clock
):
    contract, lessee, _ = await _colent(client, settings)
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        frozen = await db.get(ContractFunding, contract["id"])
        assert c is not None and frozen is not None
        first = (await dues.instalments(db, c))[0]
    clock.move((first.due_date - frozen.funded_on).days + 10)  # ten days into the second period
    async with session(settings) as db:
        await pay(db, contract["id"], dues.state(first).lessee_owes, "RENT-1",
                  paid_on=first.due_date)  # fmt: skip
    payment = await _prepay_with_retries(client, settings, clock, contract["id"], lessee)
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        assert c is not None
        prepaid = (await _allocations(db, c.id))[payment["id"]]
        rows = await dues.instalments(db, c)  # the new revision, numbered from 2
        nxt, opening = rows[0], sum(r.principal_fen for r in rows)
        await pay(db, c.id, dues.state(nxt).lessee_owes, "RENT-2", paid_on=nxt.due_date)
        rent = (await _allocations(db, c.id))["RENT-2"]
    # the prepayment's yield: ten days on the funder's share of the principal prepaid
    assert abs(prepaid.yield_fen - _yield_on_prepaid(frozen, 10)) < 2
    # The new first row's period runs from the last due date, not from the value date.
    assert nxt.number == 2
    period = (nxt.due_date - first.due_date).days
    full = frozen.share_e4 * opening * frozen.yield_e4 * period // (WHOLE * WHOLE * DAYS_IN_YEAR)
    assert rent.yield_fen == min(nxt.interest_fen, full)
