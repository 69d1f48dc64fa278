"""Co-lending on the books: the agreement frozen on a contract as it is funded, and each
repayment's part for the funder (`common.colending.allocate`) recorded and posted exactly once.

`on_repayment` is called by `backend.servicing.dues.apply` — the one way money reaches a
contract's instalments — and by the payoff and the partial prepayment, which settle principal
through an entry of their own: each right after the lessee's entry is newly posted, in its
transaction and under its contract lock; a repayment applied before posts nothing there, so it
never reaches here twice, and the allocation's unique (contract, reference) says so again.
How the lessee's money is allocated to the instalments is not changed: this only reads the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import (
    Contract,
    ContractFunding,
    ContractInstalment,
    FunderAgreement,
    FunderAllocation,
)
from backend.ledger import service as ledger
from common import colending
from common import ledger as postings
from common.servicing import Component
from common.servicing.standing import Applied


def amount_to_fund(agreement: FunderAgreement | None, financed_fen: int) -> int:
    """What the funder wires for a contract: its share under its agreement, else the whole."""
    if agreement is None:
        return financed_fen
    return colending.funded_share(_terms(agreement), financed_fen)


def _terms(row: FunderAgreement | ContractFunding) -> colending.Terms:
    return colending.Terms(row.share_e4, row.yield_e4)


async def on_funding(
    db: AsyncSession, contract: Contract, agreement: FunderAgreement | None, *,
    funded_fen: int, value_date: date, now: datetime,
) -> ContractFunding | None:  # fmt: skip
    """Freeze the agreement on the contract being funded and turn the funder's money into its
    share of it (`common.ledger.funder_participation`). None without an agreement: the funding
    stays as before, owed back whole."""
    if agreement is None:
        return None
    row = ContractFunding(
        contract_id=contract.id, funder_id=agreement.funder_id,
        agreement_version=agreement.version, share_e4=agreement.share_e4,
        yield_e4=agreement.yield_e4, financed_fen=contract.principal_fen, funded_fen=funded_fen,
        funded_on=value_date, at=now,
    )  # fmt: skip
    db.add(row)
    entry = postings.funder_participation(contract.id, agreement.funder_id, funded_fen)
    await ledger.post(db, entry, reference=contract.id, at=now, actor=None)
    return row


def _interest_by_row(applied: Applied) -> dict[int, int]:
    out: dict[int, int] = {}
    for number, component, fen in applied.lines:
        if component is Component.INTEREST:
            out[number] = out.get(number, 0) + fen
    return out


async def _period_start(
    db: AsyncSession, contract: Contract, rows: Sequence[ContractInstalment], funded_on: date
) -> date:
    """Where the first of these rows' periods starts: the value date for the signed schedule; a
    later revision (a prepayment, an extension) continues the numbering from the period it was
    written in, which starts on the due date of the instalment before its first."""
    first = min((r.number for r in rows), default=1)
    if first <= 1:
        return funded_on
    before = await db.scalar(
        select(ContractInstalment.due_date)
        .where(ContractInstalment.contract_id == contract.id,
               ContractInstalment.number == first - 1,
               ContractInstalment.revision < rows[0].revision)
        .order_by(ContractInstalment.revision.desc())
        .limit(1)
    )  # fmt: skip
    return before or funded_on


async def on_repayment(
    db: AsyncSession, contract: Contract, rows: Sequence[ContractInstalment], applied: Applied,
    *, paid: int, reference: str, paid_on: date, at: datetime,
    outstanding_after: int | None = None,
) -> FunderAllocation | None:  # fmt: skip
    """The funder's part of a repayment just applied (`rows`: the instalments of the revision in
    force, already updated by it). None for a contract funded without an agreement.
    `outstanding_after`: the contract's principal outstanding once it is applied, when the rows
    do not say it (a partial prepayment repays principal that no row carries)."""
    funding = await db.get(ContractFunding, contract.id)
    if funding is None:
        return None
    before = await db.scalar(
        select(func.coalesce(func.sum(FunderAllocation.principal_fen), 0))
        .where(FunderAllocation.contract_id == contract.id)
    )  # fmt: skip
    schedule = colending.periods(
        [(r.number, r.due_date, r.principal_fen, r.interest_fen) for r in rows],
        await _period_start(db, contract, rows, funding.funded_on),
    )
    split = colending.allocate(
        _terms(funding), paid=paid, principal=applied.principal,
        interest_by_row=_interest_by_row(applied), schedule=schedule,
        financed=funding.financed_fen,
        outstanding_after=sum(r.principal_fen - r.paid_principal_fen for r in rows)
        if outstanding_after is None else outstanding_after,
        allocated_before=int(before or 0),
    )  # fmt: skip
    row = FunderAllocation(
        contract_id=contract.id, reference=reference, funder_id=funding.funder_id, paid_fen=paid,
        principal_repaid_fen=applied.principal, principal_fen=split.funder_principal,
        yield_fen=split.funder_yield, paid_on=paid_on, at=at,
    )  # fmt: skip
    db.add(row)
    if split.funder:
        entry = postings.funder_allocation(contract.id, funding.funder_id,
                                           principal=split.funder_principal,
                                           yield_=split.funder_yield)  # fmt: skip
        await ledger.post(db, entry, reference=reference, at=at, actor=None)
    return row
