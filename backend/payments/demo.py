"""A demo payment exception 异常收款, so the finance desk's screen has one to show: the demo
lessee paid their rent through the sandbox's pay page, but the provider's transaction took
¥1.00 less than we asked (a channel discount 立减 we never agreed to). Confirmed through the real
handler, it is kept as an ``amount_differs`` exception and nothing is posted: the rent stays
overdue, and the admin may refund, post or dismiss it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.principal import Principal
from backend.db.models import Contract, User
from backend.payments import notify, sandbox, service
from backend.settings import Settings
from common.api.auth import Role

SHORT_FEN = 100  # what the channel kept back


async def seed_demo_exception(
    db: AsyncSession, settings: Settings, contract: Contract, now: datetime
) -> str | None:
    """The exception's payment id, or None when the contract has no invited lessee."""
    user = await db.scalar(select(User).where(User.customer_id == contract.customer_id))
    if user is None:
        return None
    lessee = Principal(user.id, user.username, Role.LESSEE, user.organisation_id, "demo",
                       customer_id=user.customer_id)  # fmt: skip
    payment, _ = await service.create_payment(db, lessee, contract.id, "next", None, now,
                                              settings.public_url, settings=settings)  # fmt: skip
    await db.flush()
    order = await sandbox.order(db, payment.out_trade_no, lock=True)
    order.amount_fen -= SHORT_FEN
    paid = await sandbox.pay(db, payment.out_trade_no, now)
    await notify.confirm(db, settings, sandbox.transaction(paid), now, via="notify")
    return payment.id
