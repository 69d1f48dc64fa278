"""Refunds 退款 of payment exceptions: money the provider took that we did not post goes back to
the payer through the provider (sandbox: backend/payments/sandbox_refunds.py).

A refund is asked for in three steps, because the provider is outside our transaction:

1. under the exception's lock: ``open`` -> ``refunding``, and our refund row (status
   ``requested``) with our refund number ``RF`` + the exception's id; committed. From here no
   other resolution can be taken (409 ``payment_exception_refunding``), only the refund
   completed;
2. the provider's refund API with that number, the amount the transaction received and its
   total (the provider commits its refund before it answers);
3. under the payment's and the exception's locks: the provider's answer kept (refund id,
   PROCESSING or SUCCESS, its create time), the exception resolved, the payment ``refunded``
   when it was its own transaction; audited; committed.

A retry after anything going wrong between 1 and 3 (no answer, a crash) finds the exception
``refunding`` and asks again with the same number: the provider answers with the refund it made,
so a retry never refunds twice. When the provider refuses (an answer, not a silence), nothing
was refunded: the exception is open again and our row withdrawn.

Ledger: an exception means nothing was posted for that money, so its refund posts nothing to the
lessee's books either — the provider's refund line and our refund row are what reconcile it
(backend/payments/reconcile.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.auth.principal import Principal
from backend.db.models import Payment, PaymentException, PaymentRefund
from backend.payments import exceptions, sandbox_refunds
from backend.settings import Settings
from common.errors import Conflict, DomainError
from common.payments import ExceptionStatus, PaymentStatus, Resolution, exception_actions

REQUESTED = "requested"
ALREADY_REFUNDED = Conflict("payment_already_refunded", "该笔交易已退款",
                            "This transaction has been refunded already")  # fmt: skip


def refund_number(exception_id: str) -> str:
    """Ours at the provider (WeChat: 1-64 of [A-Za-z0-9_-|*@]); one per exception."""
    return f"RF{exception_id}"


def _time(answer: dict[str, Any], key: str) -> datetime | None:
    try:
        found = datetime.fromisoformat(str(answer[key]))
    except (KeyError, ValueError):
        return None
    return found if found.tzinfo else None


async def _claim(db: AsyncSession, caller: Principal, exception_id: str, note: str,
                 now: datetime) -> PaymentRefund:  # fmt: skip
    """Step 1: the exception ``refunding`` with our refund row (or the one a retry finds)."""
    exc = await exceptions.locked(db, exception_id)
    if exc.status == ExceptionStatus.RESOLVED.value:
        raise exceptions.RESOLVED
    if exc.status == ExceptionStatus.OPEN.value:
        if Resolution.REFUND not in exception_actions(exc.kind, postable=False):
            raise exceptions.not_allowed(exc.kind, Resolution.REFUND)
        if exc.received_fen is None or exc.received_fen <= 0:
            raise exceptions.AMOUNT_UNKNOWN
        other = await db.scalar(select(PaymentRefund.id).where(
            PaymentRefund.provider_txn_id == exc.provider_txn_id).limit(1))  # fmt: skip
        if other is not None:  # another exception of the same transaction was refunded
            raise ALREADY_REFUNDED
        db.add(PaymentRefund(
            exception_id=exc.id, payment_id=exc.payment_id, out_trade_no=exc.out_trade_no,
            provider_txn_id=exc.provider_txn_id, out_refund_no=refund_number(exc.id),
            amount_fen=exc.received_fen, currency="CNY", status=REQUESTED, created_at=now,
            requested_by_id=caller.user_id,
        ))  # fmt: skip
        exc.status = ExceptionStatus.REFUNDING.value
        exc.resolution_note = note or None
        await exceptions.record(db, exc, caller, "refund_requested", now,
                                out_refund_no=refund_number(exc.id))  # fmt: skip
        await db.flush()
    row = await db.scalar(select(PaymentRefund).where(PaymentRefund.exception_id == exc.id))
    assert row is not None
    return row


async def refund_exception(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, caller: Principal,
    exception_id: str, note: str, now: datetime,
) -> None:  # fmt: skip
    async with sessions() as db:
        row = await _claim(db, caller, exception_id, note, now)
        txn_id, number, fen, out_trade_no = (row.provider_txn_id, row.out_refund_no,
                                             row.amount_fen, row.out_trade_no)  # fmt: skip
        await db.commit()
    try:
        # the whole of what the transaction received, so its total is the refund's too
        answer = await sandbox_refunds.refund(
            sessions, settings, transaction_id=txn_id, out_refund_no=number, refund_fen=fen,
            total_fen=fen, currency="CNY", reason=f"异常收款退款 {out_trade_no}", now=now,
        )  # fmt: skip
    except sandbox_refunds.RefundRefused as refused:
        await _withdraw(sessions, caller, exception_id, refused, now)
        raise DomainError("payment_refund_refused", f"支付机构拒绝退款：{refused.message}",
                          f"the provider refused the refund ({refused.code})",
                          status=422) from None  # fmt: skip
    async with sessions() as db:
        await _keep(db, caller, exception_id, answer, note, now)
        await db.commit()


async def _withdraw(sessions: async_sessionmaker[AsyncSession], caller: Principal,
                    exception_id: str, refused: sandbox_refunds.RefundRefused,
                    now: datetime) -> None:  # fmt: skip
    """The provider refused, so it refunded nothing: the exception is open again."""
    async with sessions() as db:
        exc = await exceptions.locked(db, exception_id)
        if exc.status == ExceptionStatus.REFUNDING.value:
            exc.status = ExceptionStatus.OPEN.value
            await db.execute(delete(PaymentRefund).where(PaymentRefund.exception_id == exc.id))
            await exceptions.record(db, exc, caller, "refund_refused", now,
                                    provider_code=refused.code)  # fmt: skip
        await db.commit()


async def _keep(db: AsyncSession, caller: Principal, exception_id: str, answer: dict[str, Any],
                note: str, now: datetime) -> None:  # fmt: skip
    """Step 3, in a confirmation's lock order: the payment, then the exception."""
    first = await db.get(PaymentException, exception_id)
    assert first is not None
    payment = None
    if first.payment_id is not None:
        payment = await db.scalar(
            select(Payment).where(Payment.id == first.payment_id).with_for_update()
            .execution_options(populate_existing=True)
        )  # fmt: skip
    exc = await exceptions.locked(db, exception_id)
    if exc.status == ExceptionStatus.RESOLVED.value:
        raise exceptions.RESOLVED  # a racer kept the same refund (one at the provider) first
    row = await db.scalar(
        select(PaymentRefund).where(PaymentRefund.exception_id == exc.id).with_for_update()
    )  # fmt: skip
    assert row is not None
    row.status = str(answer.get("status") or "PROCESSING")
    row.provider_refund_id = str(answer.get("refund_id") or "") or None
    row.created_at = _time(answer, "create_time") or row.created_at  # dates the bill's line
    row.success_time = _time(answer, "success_time")
    # Nothing was posted for this money (that is what an exception is), so nothing is reversed
    # in the ledger: the lessee's books are as they were.
    if (
        payment is not None
        and payment.status != PaymentStatus.PAID.value
        and exc.kind != "second_transaction"
    ):
        payment.status = PaymentStatus.REFUNDED.value  # the lessee sees 已退款
    exceptions.mark_resolved(exc, Resolution.REFUND, note or (exc.resolution_note or ""),
                             caller, now)  # fmt: skip
    await exceptions.record(db, exc, caller, "refunded", now, out_refund_no=row.out_refund_no,
                            refund_id=row.provider_refund_id, refund_status=row.status,
                            refund_fen=row.amount_fen)  # fmt: skip
    await db.flush()


async def sync_processing(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, now: datetime
) -> int:
    """查询单笔退款 for our refunds still PROCESSING: keep what the provider says now (the
    payment job). Returns how many changed."""
    async with sessions() as db:
        numbers = list(await db.scalars(
            select(PaymentRefund.out_refund_no).where(PaymentRefund.status == "PROCESSING")
            .order_by(PaymentRefund.created_at).limit(100)
        ))  # fmt: skip
        await db.rollback()
    changed = 0
    for number in numbers:
        answer = await sandbox_refunds.query_refund(sessions, number)
        if answer is None or answer.get("status") == "PROCESSING":
            continue
        async with sessions() as db:
            row = await db.scalar(
                select(PaymentRefund).where(PaymentRefund.out_refund_no == number)
                .with_for_update()
            )  # fmt: skip
            if row is not None and row.status == "PROCESSING":
                row.status = str(answer.get("status"))
                row.success_time = _time(answer, "success_time")
                changed += 1
            await db.commit()
    return changed
