"""The query path 查询订单: when no notification came (the provider never sent it, or we never
answered), ask the provider and settle what it says is paid exactly as a notification would
(`notify.confirm`, the same function, the same lock, the same unique references).

`settle_stale` is run by the payment job for payments still ``created`` a minute after they
were made; `refresh` is the app's "I paid but it still says waiting" (POST
/api/payments/{id}/refresh). A CLOSED order makes the payment ``cancelled``, PAYERROR
``failed``; a NOTPAY one stays ``created``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.db.models import Payment, PaymentException
from backend.payments import notify, sandbox
from backend.settings import Settings
from common.payments import PaymentStatus

log = logging.getLogger(__name__)
BATCH = 100
_CLOSED = {"CLOSED": PaymentStatus.CANCELLED, "PAYERROR": PaymentStatus.FAILED,
           "REVOKED": PaymentStatus.CANCELLED}  # fmt: skip


async def refresh_one(
    db: AsyncSession, settings: Settings, payment: Payment, now: datetime
) -> notify.Outcome | None:
    """Ask the provider about `payment` (in the caller's transaction); the confirmation's outcome
    when it was paid, else None."""
    if payment.status != PaymentStatus.CREATED.value:
        return None
    txn = await sandbox.query(db, payment.out_trade_no)
    if txn is None:
        return None
    state = txn.get("trade_state")
    if state == "SUCCESS":
        return await notify.confirm(db, settings, txn, now, via="query")
    closed = _CLOSED.get(str(state))
    if closed is not None:
        payment.status = closed.value
        await db.flush()
    return None


async def settle_stale(
    sessions: async_sessionmaker[AsyncSession], now: datetime, settings: Settings | None = None
) -> int:
    """Query the payments still ``created`` older than ``payments_query_after_s`` (default a
    minute), each in its own transaction; returns how many were settled."""
    settings = settings or Settings()
    cutoff = now - timedelta(seconds=settings.payments_query_after_s)
    async with sessions() as db:
        # A payment with an exception kept has been confirmed by the provider already and could
        # not be posted: asking again learns nothing, it is the finance desk's
        # (backend/payments/exceptions.py), and it must not take a place in the batch forever.
        kept = select(PaymentException.id).where(PaymentException.payment_id == Payment.id)
        ids = list(await db.scalars(
            select(Payment.id).where(Payment.status == PaymentStatus.CREATED.value,
                                     Payment.created_at <= cutoff, ~kept.exists())
            .order_by(Payment.created_at).limit(BATCH)
        ))  # fmt: skip
        await db.rollback()
    settled = 0
    for payment_id in ids:
        async with sessions() as db:
            try:
                payment = await db.get(Payment, payment_id)
                assert payment is not None
                outcome = await refresh_one(db, settings, payment, now)
                await db.commit()
            except Exception:  # one payment must not stop the others
                await db.rollback()
                log.exception("querying payment %s failed", payment_id)
                continue
        if outcome is not None and outcome.posted:
            settled += 1
    return settled
