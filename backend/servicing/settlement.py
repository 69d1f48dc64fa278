"""What a confirmed payment does, by its purpose: the one entry point the payment
notifications (and the query path that settles a payment without one) call, in their
transaction. Each purpose applies its money exactly once (the ledger's unique reference)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Contract
from backend.servicing import dues
from common.servicing.policy import policy_for


class Purpose(StrEnum):
    RENT = "rent"  # 还租金: next instalment, everything overdue, or a custom amount


async def settle(
    db: AsyncSession,
    contract: Contract,
    purpose: Purpose,
    amount_fen: int,
    *,
    reference: str,
    paid_on: date,
    at: datetime,
    quote_id: str | None = None,
) -> bool:
    """Apply a confirmed payment; False when this reference was applied before. The caller
    holds the contract's lock (`dues.locked`)."""
    order = policy_for(contract.document["terms"]["product_name"]).order
    posted = await dues.apply(
        db, contract, amount_fen, reference=reference, paid_on=paid_on, at=at, order=order
    )
    return posted is not None
