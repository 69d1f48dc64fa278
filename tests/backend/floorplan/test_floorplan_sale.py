"""Payoff on sale: a lease of a financed VIN, once funded, repays the dealer's unit by set-off
against what the lessor owes the dealer for it — in the funding's transaction, exactly once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backend.db.models import Contract, FloorplanUnit, LedgerEntry, LedgerLine
from backend.ledger import service as ledger
from common.ledger import Account
from tests.backend.contracts.flow import (
    approved,
    contract_for,
    fund,
    funder_key,
    lessee_login,
    sign,
)
from tests.backend.floorplan.helpers import Books, drawn, give_line, unit_balances
from tests.backend.helpers import login
from tests.backend.risk.helpers import CLEAN
from tests.backend.servicing.helpers import MovableClock

MOBILE = "13912340077"
DAYS_ON_THE_LOT = 20  # ¥30,000 at 7.2 % on ACT/360: ¥6.00 a day, ¥120.00 in all
INTEREST = 120_00


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


async def _signed_lease_of_a_financed_vin(client, clock, dealer: str, amount: str):
    """An approved application of the east shop; `dealer` finances its VIN; the contract is made
    and signed, and it is funded 20 days after the drawdown."""
    app_id = await approved(client, CLEAN, mobile=MOBILE)
    contract = await contract_for(client, app_id)
    contract["vin"] = contract["vehicle"]["vin"]
    unit = await drawn(client, await login(client, dealer), contract["vin"], amount)
    lessee = await lessee_login(client, MOBILE, CLEAN)
    assert (await sign(client, lessee, contract["id"], MOBILE)).status_code == 200
    clock.move(DAYS_ON_THE_LOT)
    return contract, unit


async def _lease_books(settings, contract_id: str) -> dict[Account, int]:
    async with Books(settings) as db:
        return await ledger.contract_balances(db, contract_id)


async def test_funding_the_lease_pays_the_unit_off_and_pays_the_dealer_the_rest(
    client, settings, clock
):
    await give_line(client)
    contract, unit = await _signed_lease_of_a_financed_vin(client, clock, "dealer", "30000.00")
    key = await funder_key(settings)
    r = await fund(client, key, contract["id"], contract["principal"])
    assert r.status_code == 200 and r.json()["status"] == "active", r.text

    dealer = await login(client, "dealer")
    shown = (await client.get(f"/api/floorplan/units/{contract['vin']}", headers=dealer)).json()
    assert shown["status"] == "paid_off" and shown["contract_id"] == contract["id"]
    assert shown["principal_left"] == "0.00"
    books = await unit_balances(settings, unit["id"])
    assert books[Account.FLOORPLAN_RECEIVABLE] == 0
    assert books[Account.FLOORPLAN_INTEREST_RECEIVABLE] == 0
    assert books[Account.FLOORPLAN_INTEREST_INCOME] == INTEREST  # billed at the payoff
    assert books[Account.FLOORPLAN_CLEARING] == 30_000_00 + INTEREST  # cleared on the lease
    lease = await _lease_books(settings, contract["id"])
    assert lease[Account.DEALER_PAYABLE] == 0  # owed in full: part paid out, part set off
    assert lease[Account.FLOORPLAN_CLEARING] == -(30_000_00 + INTEREST)
    async with Books(settings) as db:
        assert (await ledger.trial_balance(db)).balanced
        assert await ledger.unbalanced_entries(db) == []

    again = await fund(client, key, contract["id"], contract["principal"])  # a retried funding
    assert again.status_code == 200
    async with Books(settings) as db:
        set_offs = await db.scalar(
            select(func.count(LedgerEntry.id)).where(LedgerEntry.kind == "floorplan_set_off")
        )
    assert set_offs == 1


async def test_the_lessor_pays_out_only_what_the_set_off_leaves(client, settings, clock):
    await give_line(client)
    contract, _ = await _signed_lease_of_a_financed_vin(client, clock, "dealer", "30000.00")
    await fund(client, await funder_key(settings), contract["id"], contract["principal"])
    async with Books(settings) as db:
        terms = (await db.get(Contract, contract["id"])).document["terms"]
        paid_out = await db.scalar(
            select(func.sum(LedgerLine.credit_fen))
            .join(LedgerEntry, LedgerEntry.id == LedgerLine.entry_id)
            .where(LedgerEntry.contract_id == contract["id"], LedgerEntry.kind == "disbursement")
        )
    owed = int(terms["principal_fen"]) + int(terms["down_payment_fen"])
    assert int(paid_out) == owed - 30_000_00 - INTEREST


async def test_another_dealers_unit_of_the_same_vin_is_not_touched(client, settings, clock):
    await give_line(client, "org-shop-west")
    contract, unit = await _signed_lease_of_a_financed_vin(client, clock, "dealer2", "30000.00")
    await fund(client, await funder_key(settings), contract["id"], contract["principal"])
    async with Books(settings) as db:
        row = await db.get(FloorplanUnit, unit["id"])
        assert row is not None and row.status == "financed"
    lease = await _lease_books(settings, contract["id"])
    assert Account.FLOORPLAN_CLEARING not in lease


async def test_a_unit_financed_above_what_the_dealer_is_owed_is_left_to_the_dealer(
    client, settings, clock
):
    await give_line(client)
    contract, unit = await _signed_lease_of_a_financed_vin(client, clock, "dealer", "900000.00")
    r = await fund(client, await funder_key(settings), contract["id"], contract["principal"])
    assert r.status_code == 200
    assert (await unit_balances(settings, unit["id"]))[Account.FLOORPLAN_RECEIVABLE] == 900_000_00
    assert (await _lease_books(settings, contract["id"]))[Account.DEALER_PAYABLE] == 0
