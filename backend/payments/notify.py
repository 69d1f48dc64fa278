"""The provider's asynchronous notification 支付结果通知, and what a confirmation does.

`receive` is the handler of POST /api/payments/notify/{provider}: it verifies the platform's
signature over ``timestamp\\nnonce\\nbody\\n`` (401 ``notify_signature_invalid``), the timestamp
window (400 ``notify_replayed``), decrypts the resource with the APIv3 key (400
``notify_invalid``), then `confirm`s the transaction in its own session and commits.

`confirm` is the one function a confirmation goes through, whoever brings it (a notification or
the query path): the payment (404 ``payment_unknown``), the amount, currency and merchant
against ours (a difference is kept as a `PaymentException`, nothing is posted, and the answer is
a 422 the provider retries, until the finance desk has resolved it: then SUCCESS, nothing
posted), then the payment is re-read under its row lock: already paid by
this transaction -> a duplicate, SUCCESS, nothing posted; otherwise, under the contract's lock
too (`dues.locked`), it becomes paid with the provider's transaction id (UNIQUE) and
`settlement.settle` posts it under the payment's id, in this one transaction. A dealer's
floor-plan payment goes the same way, under its unit's lock instead, through
`backend.floorplan.payments.settle`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import defer

from backend.db.base import new_id
from backend.db.models import Contract, Payment, PaymentException
from backend.db.upsert import upsert_ignore
from backend.floorplan import payments as floorplan_payments
from backend.payments import sandbox
from backend.servicing import settlement
from backend.settings import Settings
from common import payments as wire
from common.business_day import business_date
from common.errors import DomainError
from common.payments import ExceptionStatus, PaymentStatus


@dataclass(frozen=True)
class Outcome:
    """The answer to the provider: 200 SUCCESS, or a stable error code (4xx: retried)."""

    status: int
    code: str
    message: str
    posted: bool = False
    duplicate: bool = False

    @property
    def acknowledged(self) -> bool:
        return self.status == 200

    def body(self) -> dict[str, str]:
        if self.acknowledged:
            return dict(wire.SUCCESS_ACK)
        return {"code": self.code, "message": self.message}


SUCCESS = Outcome(200, "SUCCESS", "成功")
DUPLICATE = Outcome(200, "SUCCESS", "成功", duplicate=True)


def _fail(status: int, code: str, message: str) -> Outcome:
    return Outcome(status, code, message)


SIGNATURE_INVALID = _fail(401, "notify_signature_invalid", "通知签名验证失败")
REPLAYED = _fail(400, "notify_replayed", "通知时间戳超出允许范围")
INVALID = _fail(400, "notify_invalid", "通知内容无法解析")
UNKNOWN = _fail(404, "payment_unknown", "商户订单号不存在")
PROVIDER_UNKNOWN = _fail(404, "provider_unknown", "未知的支付渠道")


def _header(headers: Mapping[str, str], name: str) -> str:
    return headers.get(name) or headers.get(name.lower()) or ""


async def receive(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, provider: str,
    headers: Mapping[str, str], body: bytes, now: datetime,
) -> Outcome:  # fmt: skip
    if provider != sandbox.PROVIDER:
        return PROVIDER_UNKNOWN
    timestamp = _header(headers, "Wechatpay-Timestamp")
    nonce = _header(headers, "Wechatpay-Nonce")
    signature = _header(headers, "Wechatpay-Signature")
    public = sandbox.platform_keys(settings).public_for(_header(headers, "Wechatpay-Serial"))
    if public is None or not wire.verify(public, timestamp, nonce, body, signature):
        return SIGNATURE_INVALID
    if not wire.within_window(timestamp, now.timestamp()):
        return REPLAYED
    try:
        envelope = json.loads(body)
        txn = wire.decrypt_resource(sandbox.apiv3_key(settings), envelope.get("resource"))
    except (ValueError, AttributeError):
        return INVALID
    async with sessions() as db:
        try:
            outcome = await confirm(db, settings, txn, now, via="notify")
            await db.commit()
        except IntegrityError:  # the transaction id is another payment's: posted there, once
            await db.rollback()
            return DUPLICATE
    return outcome


async def _exception(db: AsyncSession, payment: Payment | None, out_trade_no: str, txn_id: str,
                     kind: str, expected: str, received: str, now: datetime,
                     received_fen: int | None) -> bool:  # fmt: skip
    """Keep (or count again) what could not be posted, for reconciliation and the finance desk
    (backend/payments/exceptions.py). True when the finance desk has resolved it already: the
    caller then acknowledges the provider (nothing is posted) so its retries stop."""
    await db.execute(upsert_ignore(
        db, PaymentException, ["provider_txn_id", "kind"], id=new_id(),
        payment_id=payment.id if payment else None, out_trade_no=out_trade_no,
        provider_txn_id=txn_id, kind=kind, expected=expected[:64], received=received[:64],
        seen_count=0, first_seen_at=now, last_seen_at=now, received_fen=received_fen,
        status=ExceptionStatus.OPEN.value,
    ))  # fmt: skip
    status = await db.scalar(
        update(PaymentException)
        .where(PaymentException.provider_txn_id == txn_id, PaymentException.kind == kind)
        .values(seen_count=PaymentException.seen_count + 1, last_seen_at=now)
        .returning(PaymentException.status)
    )
    return status == ExceptionStatus.RESOLVED.value


async def _resolved(db: AsyncSession, txn_id: str) -> bool:
    """Has the finance desk resolved an exception of this transaction (e.g. refunded it)?"""
    return (
        await db.scalar(
            select(PaymentException.id)
            .where(
                PaymentException.provider_txn_id == txn_id,
                PaymentException.status == ExceptionStatus.RESOLVED.value,
            )
            .limit(1)
        )
    ) is not None


def _total(amount: Mapping[str, Any]) -> int | None:
    total = amount.get("total")
    return total if isinstance(total, int) and not isinstance(total, bool) else None


def _paid_at(txn: Mapping[str, Any], now: datetime) -> datetime:
    try:
        found = datetime.fromisoformat(str(txn["success_time"]))
    except (KeyError, ValueError):
        return now
    return found if found.tzinfo else now


async def _locked(db: AsyncSession, contract_id: str | None) -> Contract | None:
    """`dues.locked` without the contract's PDFs (posting reads its terms, never its files:
    loading the sealed PDF on every confirmation cost more than the posting itself); None for
    a floor-plan payment's (no contract)."""
    if contract_id is None:
        return None
    return await db.scalar(
        select(Contract).where(Contract.id == contract_id)
        .options(defer(Contract.pdf), defer(Contract.signed_pdf)).with_for_update()
    )  # fmt: skip


def receipt_number(payment: Payment, paid_at: datetime) -> str:
    return f"SJ{business_date(paid_at):%Y%m%d}{payment.out_trade_no[-10:]}"


async def confirm(
    db: AsyncSession, settings: Settings, txn: Mapping[str, Any], now: datetime, *, via: str
) -> Outcome:
    """Apply the provider's word on one transaction in the caller's transaction (not committed).
    ``via`` is "notify" or "query": a notification that reaches the lock is counted on the
    payment (``notified_count``: the confirming one and those that raced it; a duplicate that
    finds the payment already paid by its transaction answers at once and writes nothing).
    The early answer is safe: ``paid`` with a transaction id is final, and everything else is
    decided again under the lock."""
    out_trade_no = str(txn.get("out_trade_no") or "")
    txn_id = str(txn.get("transaction_id") or "")
    payment = await db.scalar(select(Payment).where(Payment.out_trade_no == out_trade_no))
    if payment is None:
        return UNKNOWN
    if txn.get("trade_state") != "SUCCESS" or not txn_id:
        return INVALID  # only successes are notified; the query path handles the others
    amount: Any = txn.get("amount") if isinstance(txn.get("amount"), dict) else {}
    checks = (
        ("merchant_differs", settings.payments_merchant_id, str(txn.get("mchid"))),
        ("amount_differs", str(payment.amount_fen), str(amount.get("total"))),
        ("currency_differs", payment.currency, str(amount.get("currency", "CNY"))),
    )
    received_fen = _total(amount)
    for kind, expected, received in checks:
        if expected != received:
            if await _exception(db, payment, out_trade_no, txn_id, kind, expected, received, now,
                                received_fen):  # fmt: skip
                return DUPLICATE
            return _fail(422, f"payment_{kind}", "通知与商户订单不符，未入账")
    if payment.status == PaymentStatus.PAID.value and payment.provider_txn_id == txn_id:
        return DUPLICATE  # known paid by this very transaction: nothing to lock, nothing to write
    # Locks in one order everywhere: the payment, then its contract (`dues.locked`) or unit.
    # Racing duplicates queue on their payment's row; only an unpaid one goes on to the next.
    payment = await db.scalar(
        select(Payment).where(Payment.id == payment.id).with_for_update()
        .execution_options(populate_existing=True)
    )  # fmt: skip
    assert payment is not None
    if via == "notify":
        payment.notified_count += 1
    if payment.status == PaymentStatus.PAID.value:
        if payment.provider_txn_id == txn_id:
            return DUPLICATE
        if await _exception(db, payment, out_trade_no, txn_id, "second_transaction",
                            str(payment.provider_txn_id), txn_id, now, received_fen):  # fmt: skip
            return DUPLICATE
        return _fail(422, "payment_second_transaction", "该订单已由另一笔交易支付")
    if payment.status == PaymentStatus.REFUNDED.value:
        # The finance desk refunded the money of this payment's transaction: acknowledged,
        # never posted. Another transaction of it is kept as an exception of its own.
        if await _resolved(db, txn_id):
            return DUPLICATE
        await _exception(db, payment, out_trade_no, txn_id, "second_transaction", "refunded",
                         txn_id, now, received_fen)  # fmt: skip
        return _fail(422, "payment_second_transaction", "该订单已退款")
    paid_at = _paid_at(txn, now)
    if payment.floorplan_unit_id is not None:  # a dealer's payoff or curtailment 库存融资还款
        try:
            await floorplan_payments.settle(db, payment, business_date(paid_at), now)
        except floorplan_payments.CannotApply as exc:  # e.g. the unit was sold meanwhile
            if await _exception(db, payment, out_trade_no, txn_id, exc.code, exc.expected,
                                exc.found, now, received_fen):  # fmt: skip
                return DUPLICATE
            return _fail(422, exc.code, exc.message)
        posted = True
    else:
        contract = await _locked(db, payment.contract_id)
        assert contract is not None
        try:
            posted = await settlement.settle(
                db, contract, settlement.Purpose(payment.purpose), payment.amount_fen,
                reference=payment.id, paid_on=business_date(paid_at), at=now,
                quote_id=payment.quote_id,
            )  # fmt: skip
        except DomainError as exc:  # e.g. the contract was settled meanwhile: keep it, post
            # nothing (a late rent after a payoff: kind contract_not_active, the desk may refund)
            if await _exception(db, payment, out_trade_no, txn_id, exc.code, "active",
                                contract.status, now, received_fen):  # fmt: skip
                return DUPLICATE
            return _fail(422, exc.code, exc.message)
    payment.status = PaymentStatus.PAID.value
    payment.provider_txn_id = txn_id
    payment.paid_at = paid_at
    if payment.contract_id is not None:  # a floor-plan payment's is the dealer's statement
        payment.receipt_number = receipt_number(payment, paid_at)
    await db.flush()
    return Outcome(200, "SUCCESS", "成功", posted=posted)
