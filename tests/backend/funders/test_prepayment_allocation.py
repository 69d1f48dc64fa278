"""A co-lent contract's partial prepayment 部分提前还款, paid through the provider: the funder is
allocated its share of the principal prepaid and its yield on the interest accrued on it, prorated
to the day, when the prepayment is posted — once, however often the payment request and the
notification are retried — and the next rent then allocates only its own share, against the
reduced outstanding."""

from __future__ import annotations

from fractions import Fraction

import pytest
from sqlalchemy import func, select

from backend.db.models import Contract, ContractFunding, FunderAllocation, LedgerEntry
from backend.ledger import service as ledger
from backend.servicing import dues
from common.colending import DAYS_IN_YEAR, WHOLE
from common.ledger import FUNDER_ALLOCATION, Account
from tests.backend.funders.helpers import colent_with_lessee, fen, pay, prepay_with_retries, session
from tests.backend.servicing.helpers import MovableClock

PREPAID = 2_000_000  # ¥20,000.00
ELAPSED = 20  # days into the first period
FUNDER_ACCOUNTS = (Account.FUNDER_CAPITAL, Account.FUNDER_PAYABLE)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


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


async def test_a_prepayment_allocates_the_funder_its_share_once_and_the_next_rent_its_own(
    client, settings, clock
):
    contract, lessee, key = await colent_with_lessee(client, settings)
    clock.move(ELAPSED)
    payment = await prepay_with_retries(client, settings, clock, contract["id"], lessee)

    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        frozen = await db.get(ContractFunding, contract["id"])
        assert c is not None and frozen is not None and c.revision == 2
        [prepaid] = (await _allocations(db, c.id)).values()
        assert prepaid.reference == payment["id"] and prepaid.paid_fen == fen(payment["amount"])
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
    assert fen(d["contract"]["outstanding"]) == frozen.financed_fen - PREPAID
    assert fen(d["contract"]["funder_outstanding"]) == frozen.funded_fen - prepaid.principal_fen
    assert fen(d["contract"]["received_principal"]) == prepaid.principal_fen
    assert fen(d["owed_now"]) == prepaid.principal_fen + prepaid.yield_fen
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
    assert fen(after["contract"]["funder_outstanding"]) == (
        frozen.funded_fen - prepaid.principal_fen - rent.principal_fen
    )


async def test_rent_paid_ahead_then_a_prepayment_allocates_each_principal_fen_and_yield_once(
    client, settings, clock
):
    contract, lessee, _ = await colent_with_lessee(client, settings)
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        assert c is not None
        first = (await dues.instalments(db, c))[0]
        await pay(db, c.id, dues.state(first).lessee_owes + 12345, "RENT-AHEAD")
    clock.move(ELAPSED)
    payment = await prepay_with_retries(client, settings, clock, contract["id"], lessee)
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
        # The interest paid ahead is lifted with the rent: the old rows no longer earn it, and
        # the yield allocated on it is taken back by an allocation of its own; the carry earns
        # its yield on the new rows' interest. The funder has each period's yield once: on the
        # principal prepaid for the days it was out, and on the rest from the new rows.
        lifted = got[f"lift:{payment['id']}"]
        assert ahead.yield_fen > 0 and lifted.yield_fen == -ahead.yield_fen
        assert lifted.paid_fen == lifted.principal_repaid_fen == lifted.principal_fen == 0
        assert sum(a.yield_fen for a in got.values()) == prepaid.yield_fen + carried.yield_fen
        party = await ledger.party_balances(db, "org-funder", FUNDER_ACCOUNTS)
        assert party[Account.FUNDER_CAPITAL] == frozen.funded_fen - total
        assert party[Account.FUNDER_PAYABLE] == total + prepaid.yield_fen + carried.yield_fen
        assert (await ledger.trial_balance(db)).balanced


async def test_after_a_prepayment_in_a_later_period_the_next_rent_earns_one_periods_yield(
    client, settings, clock
):
    contract, lessee, _ = await colent_with_lessee(client, settings)
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        frozen = await db.get(ContractFunding, contract["id"])
        assert c is not None and frozen is not None
        first = (await dues.instalments(db, c))[0]
    clock.move((first.due_date - frozen.funded_on).days + 10)  # ten days into the second period
    async with session(settings) as db:
        await pay(db, contract["id"], dues.state(first).lessee_owes, "RENT-1",
                  paid_on=first.due_date)  # fmt: skip
    payment = await prepay_with_retries(client, settings, clock, contract["id"], lessee)
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
