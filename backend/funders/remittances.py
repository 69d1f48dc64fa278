"""Remittances 向资金方划款: the lessor pays a funder everything it owes it now — the balance of
funder_payable on each contract funded under an agreement, party = the funder — one ledger
entry per contract (`common.ledger.funder_remittance`), all referenced by the remittance's id.

Contracts funded without an agreement are left alone: there funder_payable still holds the
funding itself, owed back on other terms."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.base import new_id
from backend.db.models import ContractFunding, FunderRemittance, LedgerEntry, LedgerLine
from backend.funders.agreements import funder
from backend.ledger import service as ledger
from common import ledger as postings
from common.api.funders import RemittanceView
from common.errors import Conflict
from common.ledger import Account
from common.money import yuan_text

NOTHING_OWED = Conflict("funder_nothing_owed", "当前没有应付该资金方的款项",
                        "Nothing is owed to this funder now")  # fmt: skip
_ENTRIES = cast(Table, LedgerEntry.__table__)
_LINES = cast(Table, LedgerLine.__table__)


async def owed_by_contract(db: AsyncSession, funder_id: str) -> dict[str, int]:
    """funder_payable per contract funded under an agreement, party = the funder (> 0 only)."""
    balance = func.sum(_LINES.c.credit_fen) - func.sum(_LINES.c.debit_fen)
    query = (
        select(_ENTRIES.c.contract_id, balance)
        .select_from(_LINES.join(_ENTRIES, _LINES.c.entry_id == _ENTRIES.c.id))
        .join(ContractFunding, ContractFunding.contract_id == _ENTRIES.c.contract_id)
        .where(_LINES.c.party == funder_id, _LINES.c.account == Account.FUNDER_PAYABLE.value,
               ContractFunding.funder_id == funder_id)
        .group_by(_ENTRIES.c.contract_id)
        .order_by(_ENTRIES.c.contract_id)
    )  # fmt: skip
    return {c: int(b) for c, b in await db.execute(query) if int(b) > 0}


def view(row: FunderRemittance) -> RemittanceView:
    return RemittanceView(id=row.id, funder_id=row.funder_id, amount=yuan_text(row.amount_fen),
                          contracts=row.contracts, at=row.at)  # fmt: skip


async def remit(
    db: AsyncSession, funder_id: str, bank_reference: str | None, actor: Principal | None,
    now: datetime,
) -> FunderRemittance:  # fmt: skip
    """Pay out what is owed now (409 ``funder_nothing_owed`` when nothing is)."""
    await funder(db, funder_id)
    owed = await owed_by_contract(db, funder_id)
    if not owed:
        raise NOTHING_OWED
    row = FunderRemittance(id=new_id(), funder_id=funder_id, amount_fen=sum(owed.values()),
                           contracts=len(owed), bank_reference=bank_reference,
                           created_by_id=actor.user_id if actor else None, at=now)  # fmt: skip
    db.add(row)
    for contract_id, fen in owed.items():
        entry = postings.funder_remittance(contract_id, funder_id, fen)
        await ledger.post(db, entry, reference=row.id, at=now, actor=actor)
    await audit.record(
        db, actor=actor, action="funder.remitted", entity_type="funder", entity_id=funder_id,
        at=now, detail={"remittance": row.id, "amount_fen": row.amount_fen,
                        "contracts": owed, "bank_reference": bank_reference},
    )  # fmt: skip
    return row
