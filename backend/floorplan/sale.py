"""Payoff on sale, when the vehicle is leased through us 售车自动结清.

When a lease is funded and its vehicle's VIN is a unit the same dealer still owes on the floor
plan, what the lessor owes the dealer for that lease repays the unit instead of being paid out,
in the funding's transaction: on the lease, Dr dealer_payable / Cr floorplan_clearing; on the
unit, its payoff from floorplan_clearing (interest billed to the day, then Cr
floorplan_interest_receivable and floorplan_receivable). The funding pays the dealer the rest.

Exactly once: the unit is locked and stops being owed (its `financed_vin` is cleared) in the same
transaction, and both entries are unique by their references (the unit's id on the lease, "payoff"
on the unit). When the payoff is more than the dealer is owed for the lease (a unit financed above
the sale price), nothing is set off: the unit stays owed and the dealer repays it itself.

This is an internal settlement, with no payment provider: the lease's funding pays it. A payoff
the dealer ordered through the provider and pays afterwards finds the unit settled, and is kept
for the finance desk to refund (`backend.floorplan.payments`), never posted.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.db.models import Contract, FloorplanUnit
from backend.floorplan import units
from backend.ledger import service as ledger
from common import floorplan as fp
from common import ledger as postings
from common.business_day import business_date
from common.ledger import Account

log = logging.getLogger(__name__)
SALE_REFERENCE = "payoff"  # the unit's payoff entry by set-off: one per unit


async def set_off_on_funding(
    db: AsyncSession, contract: Contract, owed_fen: int, now: datetime
) -> int:
    """Repay the dealer's unit of the lease's VIN from `owed_fen` (what the lessor owes the
    dealer for the lease); the amount set off (0: no such unit, or it does not fit)."""
    vin = str((contract.document.get("vehicle") or {}).get("vin") or "")  # None: a partner asset
    if not vin:
        return 0
    unit = await db.scalar(
        select(FloorplanUnit)
        .where(
            FloorplanUnit.financed_vin == vin, FloorplanUnit.dealer_id == contract.organisation_id
        )
        .with_for_update()
    )
    if unit is None:
        return 0
    quote = fp.payoff(await units.figures_of(db, unit), units.terms_of(unit), business_date(now))
    if quote.total_fen > owed_fen:
        await audit.record(
            db, actor=None, action="floorplan.set_off_short", entity_type="floorplan_unit",
            entity_id=unit.id, detail={"contract": contract.id, "payoff_fen": quote.total_fen,
                                       "owed_fen": owed_fen}, at=now,
        )  # fmt: skip
        log.info("unit %s: payoff %s beyond the %s owed for %s", unit.id, quote.total_fen,
                 owed_fen, contract.id)  # fmt: skip
        return 0
    entry = postings.floorplan_set_off(contract.id, unit.dealer_id, quote.total_fen, vin)
    await ledger.post(db, entry, reference=unit.id, at=now, actor=None)
    row = await units.pay_off(
        db, unit, now, reference=SALE_REFERENCE, source=Account.FLOORPLAN_CLEARING,
        contract_id=contract.id,
    )  # fmt: skip
    return row.principal_fen + row.interest_fen
