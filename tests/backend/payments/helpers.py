"""Payments for tests: an active contract and its signed-in lessee through the real API, payments
made through the API, the sandbox provider paying them, and notifications delivered through the
app (the real handler) — plus the books' invariants every test ends with."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import LedgerEntry, LedgerLine, Payment, PaymentAllocation
from backend.ledger import service as ledger
from backend.payments import sandbox
from backend.settings import Settings
from common.ledger import Account
from tests.backend.contracts.flow import (
    approved,
    contract_for,
    fund,
    funder_key,
    lessee_login,
    sign,
)
from tests.backend.risk.helpers import CLEAN

Client = AsyncTestClient  # type: ignore[type-arg]
MOBILE = "13912340001"
NOTIFY = f"/api/payments/notify/{sandbox.PROVIDER}"


async def active_contract(client: Client, settings: Settings) -> tuple[dict[str, Any], dict]:
    """A signed, funded, active contract and its lessee's headers."""
    app_id = await approved(client, mobile=MOBILE)
    contract = await contract_for(client, app_id)
    lessee = await lessee_login(client, MOBILE, CLEAN)
    assert (await sign(client, lessee, contract["id"], MOBILE)).status_code == 200
    key = await funder_key(settings)
    r = await fund(client, key, contract["id"], contract["principal"])
    assert r.status_code == 200, r.text
    return r.json() | {"id": contract["id"]}, lessee


async def create(client: Client, lessee: dict, contract_id: str, option: str = "next",
                 amount: str | None = None, key: str | None = None) -> Any:  # fmt: skip
    body: dict[str, Any] = {"option": option}
    if amount is not None:
        body["amount"] = amount
    headers = {**lessee, "Idempotency-Key": key or f"k-{datetime.now().timestamp()}-{id(body)}"}
    return await client.post(f"/api/contracts/{contract_id}/payments", json=body, headers=headers)


def sessions_of(client: Client) -> Any:
    """Sessions on the test's own loop (tests/backend/payments/conftest.py)."""
    return client.test_sessions


async def pay(client: Client, out_trade_no: str, now: datetime) -> str:
    """The payer presses 支付 on the sandbox's page: the provider's transaction id."""
    async with sessions_of(client)() as db:
        o = await sandbox.pay(db, out_trade_no, now)
        await db.commit()
    assert o.transaction_id
    return o.transaction_id


async def signed(client: Client, settings: Settings, trade_no: str, now: datetime, /,
                 **changes: Any) -> tuple[dict[str, str], bytes]:  # fmt: skip
    """The provider's signed notification of the order, its transaction changed by ``changes``
    (e.g. amount=..., mchid=...) before signing."""
    async with sessions_of(client)() as db:
        txn = sandbox.transaction(await sandbox.order(db, trade_no))
    txn.update(changes)
    return sandbox.notification(sandbox.platform_keys(settings), settings, txn, now)


async def deliver(client: Client, headers: dict[str, str], body: bytes) -> Any:
    return await client.post(NOTIFY, content=body, headers=headers)


def in_process_send(client: Client) -> sandbox.Send:
    """The notifier's transport for tests: POSTs through the app in-process."""

    async def send(url: str, headers: dict[str, str], body: bytes) -> int:
        path = url.split("testserver.local", 1)[1]
        r = await client.post(path, content=body, headers=headers)
        return r.status_code

    return send


async def repayments(db: AsyncSession, contract_id: str) -> list[LedgerEntry]:
    return list(await db.scalars(
        select(LedgerEntry).where(LedgerEntry.contract_id == contract_id,
                                  LedgerEntry.kind == "repayment")
    ))  # fmt: skip


async def assert_books(client: Client, contract_id: str) -> None:
    """Balanced books; each repayment's applied cash equals its allocation rows; each paid
    payment posted exactly once and nothing else posted."""
    async with sessions_of(client)() as db:
        assert (await ledger.trial_balance(db)).balanced
        assert await ledger.unbalanced_entries(db) == []
        entries = await repayments(db, contract_id)
        paid = set(await db.scalars(
            select(Payment.id).where(Payment.contract_id == contract_id, Payment.status == "paid")
        ))  # fmt: skip
        assert sorted(e.reference for e in entries) == sorted(paid)
        for e in entries:
            cash, advance = (await db.execute(
                select(
                    func.coalesce(func.sum(LedgerLine.debit_fen).filter(
                        LedgerLine.account == Account.CASH.value), 0),
                    func.coalesce(func.sum(LedgerLine.credit_fen).filter(
                        LedgerLine.account == Account.ADVANCE_RECEIPTS.value), 0),
                ).where(LedgerLine.entry_id == e.id)
            )).one()  # fmt: skip
            allocated = await db.scalar(
                select(func.coalesce(func.sum(PaymentAllocation.amount_fen), 0)).where(
                    PaymentAllocation.contract_id == contract_id,
                    PaymentAllocation.reference == e.reference)
            )  # fmt: skip
            payment = await db.get(Payment, e.reference)
            assert payment is not None and cash == payment.amount_fen
            assert allocated + advance == cash, (e.reference, allocated, advance, cash)
