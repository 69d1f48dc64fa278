"""The sandbox provider's refunds 申请退款, modelled on WeChat Pay v3 domestic refunds
(POST /v3/refund/domestic/refunds, GET /v3/refund/domestic/refunds/{out_refund_no}).

A request names the transaction, the merchant's ``out_refund_no`` and ``amount {refund, total,
currency}``. The provider refuses (`RefundRefused`, WeChat's error code and HTTP status): an
unknown transaction or one not paid (404 RESOURCE_NOT_EXISTS), a total other than the
transaction's or a currency other than CNY (400 PARAM_ERROR), a refund of nothing or more than
what the transaction has left after its earlier refunds (400 INVALID_REQUEST), an
``out_refund_no`` used before with other parameters (400 INVALID_REQUEST). The same request again
is answered with the refund it made the first time: the provider is idempotent by
``out_refund_no``, which is what makes a merchant's retry safe. A refund is PROCESSING when made
and SUCCESS once the provider has processed it (`process_due`, the payment job's tick).

Like the rest of the sandbox it lives in our process but is called as a remote service: each
call runs in its own session and commits before it answers, whatever the caller does next.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.db.models import SandboxProviderOrder, SandboxProviderRefund
from backend.db.upsert import upsert_ignore
from backend.settings import Settings
from common.business_day import BUSINESS_TZ as SHANGHAI

LIVE = ("PROCESSING", "SUCCESS")  # refunds that count against what a transaction has left
PARAMS_DIFFER = "商户退款单号已存在，请求参数与原请求不一致"


@dataclass(frozen=True)
class RefundRefused(Exception):
    """The provider's refusal: its HTTP status, its error code and message."""

    status: int
    code: str
    message: str


def _refund_id(now: datetime) -> str:
    return f"5030{now.astimezone(SHANGHAI):%Y%m%d}{secrets.randbelow(10**17):017d}"


def answer(r: SandboxProviderRefund) -> dict[str, Any]:
    """The refund as WeChat's refund API describes it."""
    out: dict[str, Any] = {
        "refund_id": r.refund_id, "out_refund_no": r.out_refund_no,
        "transaction_id": r.transaction_id, "out_trade_no": r.out_trade_no,
        "channel": "ORIGINAL", "user_received_account": "支付用户零钱",
        "create_time": r.created_at.astimezone(SHANGHAI).isoformat(timespec="seconds"),
        "status": r.status, "funds_account": "AVAILABLE",
        "amount": {"total": r.total_fen, "refund": r.refund_fen, "payer_total": r.total_fen,
                   "payer_refund": r.refund_fen, "settlement_total": r.total_fen,
                   "settlement_refund": r.refund_fen, "discount_refund": 0,
                   "currency": r.currency},
    }  # fmt: skip
    if r.success_time is not None:
        out["success_time"] = r.success_time.astimezone(SHANGHAI).isoformat(timespec="seconds")
    return out


def _same(r: SandboxProviderRefund, transaction_id: str, refund_fen: int, total_fen: int) -> bool:
    return (r.transaction_id, r.refund_fen, r.total_fen) == (transaction_id, refund_fen, total_fen)


async def _by_no(db: AsyncSession, out_refund_no: str) -> SandboxProviderRefund | None:
    return await db.scalar(
        select(SandboxProviderRefund).where(SandboxProviderRefund.out_refund_no == out_refund_no)
    )


async def refund(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, *, transaction_id: str,
    out_refund_no: str, refund_fen: int, total_fen: int, currency: str, reason: str,
    now: datetime,
) -> dict[str, Any]:  # fmt: skip
    """申请退款: the refund made (PROCESSING), or the one this out_refund_no made before."""
    async with sessions() as db:
        found = await _by_no(db, out_refund_no)
        if found is not None:
            if not _same(found, transaction_id, refund_fen, total_fen):
                raise RefundRefused(400, "INVALID_REQUEST", PARAMS_DIFFER)
            return answer(found)
        o = await db.scalar(
            select(SandboxProviderOrder)
            .where(SandboxProviderOrder.transaction_id == transaction_id).with_for_update()
        )  # fmt: skip
        if o is None or o.mch_id != settings.payments_merchant_id or o.trade_state != "SUCCESS":
            raise RefundRefused(404, "RESOURCE_NOT_EXISTS", "订单不存在")
        if currency != "CNY" or total_fen != o.amount_fen:
            raise RefundRefused(400, "PARAM_ERROR", "订单金额或币种与原交易不符")
        refunded = await db.scalar(
            select(func.coalesce(func.sum(SandboxProviderRefund.refund_fen), 0))
            .where(SandboxProviderRefund.transaction_id == transaction_id,
                   SandboxProviderRefund.status.in_(LIVE))
        )  # fmt: skip
        if refund_fen <= 0 or int(refunded or 0) + refund_fen > o.amount_fen:
            raise RefundRefused(400, "INVALID_REQUEST", "退款金额超过订单可退金额")
        await db.execute(upsert_ignore(
            db, SandboxProviderRefund, ["out_refund_no"], id=secrets.token_hex(16),
            mch_id=o.mch_id, out_trade_no=o.out_trade_no, transaction_id=transaction_id,
            out_refund_no=out_refund_no, refund_id=_refund_id(now), refund_fen=refund_fen,
            total_fen=total_fen, currency=currency, reason=reason[:80], status="PROCESSING",
            created_at=now,
        ))  # fmt: skip
        made = await _by_no(db, out_refund_no)  # ours, or a racer's with this number
        assert made is not None
        if not _same(made, transaction_id, refund_fen, total_fen):
            await db.rollback()
            raise RefundRefused(400, "INVALID_REQUEST", PARAMS_DIFFER)
        out = answer(made)
        await db.commit()
        return out


async def query_refund(
    sessions: async_sessionmaker[AsyncSession], out_refund_no: str
) -> dict[str, Any] | None:
    """查询单笔退款 by out_refund_no; None when the provider has no such refund."""
    async with sessions() as db:
        found = await _by_no(db, out_refund_no)
        return None if found is None else answer(found)


async def process_due(sessions: async_sessionmaker[AsyncSession], now: datetime) -> int:
    """The provider processes the refunds made before now: PROCESSING -> SUCCESS."""
    async with sessions() as db:
        done = await db.execute(
            update(SandboxProviderRefund)
            .where(SandboxProviderRefund.status == "PROCESSING",
                   SandboxProviderRefund.created_at <= now)
            .values(status="SUCCESS", success_time=now)
        )  # fmt: skip
        await db.commit()
    return int(getattr(done, "rowcount", 0) or 0)


async def of_day(db: AsyncSession, settings: Settings, day: date) -> list[SandboxProviderRefund]:
    """The refunds asked for on a business day (Asia/Shanghai), for the day's bill."""
    start = datetime.combine(day, time(), SHANGHAI).astimezone(UTC)
    return list(await db.scalars(
        select(SandboxProviderRefund)
        .where(SandboxProviderRefund.created_at >= start,
               SandboxProviderRefund.created_at < start + timedelta(days=1),
               SandboxProviderRefund.mch_id == settings.payments_merchant_id)
        .order_by(SandboxProviderRefund.created_at, SandboxProviderRefund.out_refund_no)
    ))  # fmt: skip
