"""Paying a quote through the provider: a payoff quote's total is the payment's amount, and the
provider's notification settles the contract (the payoff posting, every instalment settled)."""

from __future__ import annotations

from datetime import UTC, datetime

from backend.db.models import Contract
from backend.ledger import service as ledger
from common.ledger import Account
from tests.backend.payments.helpers import (
    active_contract,
    deliver,
    pay,
    sessions_of,
    signed,
)


def now() -> datetime:
    return datetime.now(UTC)


async def _quote_payment(client, lessee, contract_id, body):  # type: ignore[no-untyped-def]
    headers = {**lessee, "Idempotency-Key": f"q-{now().timestamp()}"}
    return await client.post(f"/api/contracts/{contract_id}/payments", json=body, headers=headers)


async def test_a_payoff_quote_paid_through_the_provider_settles_the_contract(client, settings):
    contract, lessee = await active_contract(client, settings)
    r = await client.post(f"/api/contracts/{contract['id']}/payoff-quotes", json={},
                          headers=lessee)  # fmt: skip
    assert r.status_code == 201, r.text
    quote = r.json()
    body = {"option": "quote", "purpose": "payoff", "quote_id": quote["id"]}
    made = await _quote_payment(client, lessee, contract["id"], body)
    assert made.status_code == 201, made.text
    payment = made.json()
    assert payment["amount"] == quote["total"] and payment["purpose"] == "payoff"
    await pay(client, payment["out_trade_no"], now())
    headers, raw = await signed(client, settings, payment["out_trade_no"], now())
    assert (await deliver(client, headers, raw)).status_code in (200, 204)
    async with sessions_of(client)() as db:
        row = await db.get(Contract, contract["id"])
        assert row is not None and row.status == "settled"
        balances = await ledger.contract_balances(db, contract["id"])
        assert balances.get(Account.LEASE_RECEIVABLE, 0) == 0
        assert (await ledger.trial_balance(db)).balanced
    hall = (await client.get("/api/me/hall", headers=lessee)).json()
    mine = next(c for c in hall["contracts"] if c["id"] == contract["id"])
    assert mine["status"] == "settled"


async def test_a_quote_needs_its_purpose_and_a_rent_no_quote(client, settings):
    contract, lessee = await active_contract(client, settings)
    for body in ({"option": "quote"}, {"option": "next", "purpose": "payoff"},
                 {"option": "quote", "purpose": "payoff", "quote_id": "nope"}):  # fmt: skip
        r = await _quote_payment(client, lessee, contract["id"], body)
        assert 400 <= r.status_code < 500 and r.status_code != 201, (body, r.text)
