"""Co-lending on the books: the agreement frozen on a contract as it is funded, and each
repayment's part for the funder (`common.colending.allocate`) recorded and posted exactly once.

`on_repayment` is called by `backend.servicing.dues.apply` — the one way money reaches a
contract's instalments — and by the payoff and the partial prepayment, which settle principal
through an entry of their own: each right after the lessee's entry is newly posted, in its
transaction and under its contract lock; a repayment applied before posts nothing there, so it
never reaches here twice, and the allocation's unique (contract, reference) says so again.
How the lessee's money is allocated to the instalments is not changed: this only reads the result.

`on_lift` is called by `backend.servicing.dues.lift_ahead` when a reschedule lifts the rent paid
ahead back to 溢缴款: the yield allocated on the interest lifted is taken back by an allocation of
its own, in the same transaction, before the carry to the new rows allocates on theirs.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import (
    Contract,
    ContractFunding,
    ContractInstalment,
    FunderAgreement,
    FunderAllocation,
    PaymentAllocation,
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


async def on_lift(
    db: AsyncSession, contract: Contract, rows: Sequence[ContractInstalment],
    lifted: Collection[int], *, reference: str, on: date, at: datetime,
) -> FunderAllocation | None:  # fmt: skip
    """Take back the yield allocated on the interest paid on the rows numbered `lifted` (of
    `rows`, the revision being replaced), lifted to 溢缴款 by the reschedule `reference`: an
    allocation of its own, ``lift:<reference>``, with the yield negative and nothing else, and
    its entry (`common.ledger.funder_yield_reversed`). None when no yield was allocated there.

    A reversal, not the carry netted against it: the allocations made stay as they were
    (append-only, like the ledger) and each, the carry's included, still says the yield on what
    its own repayment paid, so every one can be recomputed from the payment allocations beside
    it. Netting would hide the correction inside the carry, and could not express a carry that
    earns less than was lifted (new rows with less interest, or taking only part of the money)
    without a negative carry or the funder keeping yield no interest pays. The caller calls this
    only when the lift's own entry is new, so a retried reschedule takes nothing back twice; the
    unique (contract, reference) says so again."""
    funding = await db.get(ContractFunding, contract.id)
    if funding is None or not rows or not lifted:
        return None
    # The interest each earlier repayment paid on this revision's rows, by row: the allocations
    # to take back from are those that paid some on a lifted row.
    paid: dict[str, dict[int, int]] = {}
    for ref, number, fen in await db.execute(
        select(PaymentAllocation.reference, PaymentAllocation.number,
               func.sum(PaymentAllocation.amount_fen))
        .where(PaymentAllocation.contract_id == contract.id,
               PaymentAllocation.revision == rows[0].revision,
               PaymentAllocation.component == Component.INTEREST.value)
        .group_by(PaymentAllocation.reference, PaymentAllocation.number)
    ):  # fmt: skip
        paid.setdefault(ref, {})[number] = int(fen)
    touched = [ref for ref, by_row in paid.items() if any(n in lifted for n in by_row)]
    if not touched:
        return None
    allocated = await db.execute(
        select(FunderAllocation.reference, FunderAllocation.yield_fen)
        .where(FunderAllocation.contract_id == contract.id,
               FunderAllocation.reference.in_(touched))
    )  # fmt: skip
    schedule = colending.periods(
        [(r.number, r.due_date, r.principal_fen, r.interest_fen) for r in rows],
        await _period_start(db, contract, rows, funding.funded_on),
    )  # what these repayments were allocated against (only a payoff rewrites a row's figures)
    taken = sum(
        colending.yield_lifted(_terms(funding), allocated=int(fen), interest_by_row=paid[ref],
                               lifted=lifted, schedule=schedule)
        for ref, fen in allocated
    )  # fmt: skip
    if taken <= 0:
        return None
    row = FunderAllocation(
        contract_id=contract.id, reference=f"lift:{reference}", funder_id=funding.funder_id,
        paid_fen=0, principal_repaid_fen=0, principal_fen=0, yield_fen=-taken, paid_on=on, at=at,
    )  # fmt: skip
    db.add(row)
    entry = postings.funder_yield_reversed(contract.id, funding.funder_id, taken)
    await ledger.post(db, entry, reference=row.reference, at=at, actor=None)
    return row
