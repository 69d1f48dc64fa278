"""What a confirmed payment does, by its purpose: the one entry point the payment
notifications (and the query path that settles a payment without one) call, in their
transaction. Each purpose applies its money exactly once (the ledger's unique reference).

A payment for a quote (payoff, prepayment) does what the quote says only when the quote holds
for it: open, priced on the revision in force, paid within its dates, for exactly its total,
and the contract's figures unchanged since. Otherwise the money is not lost and not refused:
it is applied as a rent payment (`dues.apply`) and the quote stays as it was.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Contract
from backend.servicing import dues, payoff, prepayment, quotes
from common.errors import NotFound
from common.servicing.policy import policy_for


class Purpose(StrEnum):
    RENT = "rent"  # 还租金: next instalment, everything overdue, or a custom amount
    PAYOFF = "payoff"  # 提前结清 (and the buy-out 留购 at the end of the term): a payoff quote
    PREPAYMENT = "prepayment"  # 部分提前还款: a prepayment quote


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
    if purpose in (Purpose.PAYOFF, Purpose.PREPAYMENT) and quote_id:
        try:
            quote = await quotes.load_quote(db, contract, quote_id, purpose.value)
        except NotFound:
            quote = None
        if quote is not None:
            pay = payoff.pay if purpose is Purpose.PAYOFF else prepayment.pay
            done = await pay(
                db, contract, quote, amount_fen, reference=reference, paid_on=paid_on, at=at
            )
            if done is not None:
                return done
    order = policy_for(contract.document["terms"]["product_name"]).order
    posted = await dues.apply(
        db, contract, amount_fen, reference=reference, paid_on=paid_on, at=at, order=order
    )
    return posted is not None
