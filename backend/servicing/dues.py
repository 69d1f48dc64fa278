"""The servicing sub-ledger: a contract's instalments, and applying money to them exactly once.

`apply` is the one way money reaches a contract's instalments (a rent paid, the deposit
offsetting the last rents, an overpayment used). In the caller's transaction it locks the
contract row, allocates (`common.servicing.allocate`, penalty -> fees -> interest -> principal
by default), posts ONE ledger entry under the payment's reference — the ledger's unique
(contract, kind, reference) decides whether this payment was applied before, and then nothing
is written — and updates the instalments and the allocation rows beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Contract, ContractInstalment, PaymentAllocation
from backend.funders import allocation as colending
from backend.ledger import service as ledger
from common import ledger as postings
from common.contracts import ContractStatus
from common.errors import Conflict
from common.ledger import Account
from common.money import from_fen
from common.servicing import DEFAULT_ORDER, Component, allocate
from common.servicing.standing import Applied, InstalmentState, dues_for, in_fen

NOT_ACTIVE = Conflict("contract_not_active", "合同未起租或已结清", "The contract is not active")


def rows_from_document(contract: Contract, revision: int = 1) -> list[ContractInstalment]:
    """The signed schedule as instalment rows; the deposit offset of a line is what its amount
    due is short of its payment and fees."""
    out = []
    for line in contract.document["schedule"]:
        payment, fees = int(line["payment_fen"]), int(line["fees_fen"])
        out.append(ContractInstalment(
            contract_id=contract.id, revision=revision, number=int(line["number"]),
            kind=line["kind"], due_date=date.fromisoformat(str(line["due_date"])),
            principal_fen=int(line["principal_fen"]), interest_fen=int(line["interest_fen"]),
            fees_fen=fees, offset_fen=max(0, payment + fees - int(line["amount_due_fen"])),
            offset_applied_fen=0, penalty_fen=0, paid_principal_fen=0, paid_interest_fen=0,
            paid_fees_fen=0, paid_penalty_fen=0,
        ))  # fmt: skip
    return out


async def materialise(db: AsyncSession, contract: Contract) -> None:
    """At activation: the signed schedule becomes revision 1 of the sub-ledger."""
    db.add_all(rows_from_document(contract))
    await db.flush()


async def instalments(
    db: AsyncSession, contract: Contract, *, revision: int | None = None
) -> list[ContractInstalment]:
    """The rows of the revision in force (or `revision`), by number. A contract activated
    before the sub-ledger existed gets its rows here, once."""
    rev = contract.revision if revision is None else revision
    rows = list(
        await db.scalars(
            select(ContractInstalment)
            .where(ContractInstalment.contract_id == contract.id)
            .where(ContractInstalment.revision == rev)
            .order_by(ContractInstalment.number)
        )
    )
    if not rows and rev == 1 and contract.activated_at is not None:
        await materialise(db, contract)
        return await instalments(db, contract, revision=1)
    return rows


def state(row: ContractInstalment) -> InstalmentState:
    return InstalmentState(
        number=row.number, due_date=row.due_date, kind=row.kind,
        principal=row.principal_fen, interest=row.interest_fen, fees=row.fees_fen,
        penalty=row.penalty_fen, offset=row.offset_fen, offset_applied=row.offset_applied_fen,
        paid_principal=row.paid_principal_fen, paid_interest=row.paid_interest_fen,
        paid_fees=row.paid_fees_fen, paid_penalty=row.paid_penalty_fen,
    )  # fmt: skip


async def locked(db: AsyncSession, contract_id: str) -> Contract | None:
    """The contract row, locked for the rest of the transaction (PostgreSQL: FOR UPDATE; SQLite:
    the locking select moves the session to the one writer, which serialises it)."""
    return await db.scalar(select(Contract).where(Contract.id == contract_id).with_for_update())


@dataclass(frozen=True, slots=True)
class Posted:
    entry_id: str
    applied: Applied


async def apply(
    db: AsyncSession,
    contract: Contract,
    amount_fen: int,
    *,
    reference: str,
    paid_on: date,
    at: datetime,
    source: Account = Account.CASH,
    order: Sequence[Component] = DEFAULT_ORDER,
    memo: str = "收到租金",
) -> Posted | None:
    """Apply `amount_fen` to the contract's instalments, oldest first (arrears, then what falls
    due, then the rents ahead); what nothing is left to take stays as 溢缴款. None when this
    reference was applied before: nothing is written. The caller holds the contract's lock
    (`locked`) when several payments may race."""
    if contract.status != ContractStatus.ACTIVE.value:
        raise NOT_ACTIVE
    rows = await instalments(db, contract)
    by_number = {r.number: r for r in rows}
    dues = dues_for([state(r) for r in rows], for_deposit=source is Account.DEPOSIT_LIABILITY)
    applied = in_fen(allocate(from_fen(amount_fen), dues, order))
    entry = postings.repayment(
        contract.id, contract.customer_id, amount=amount_fen, principal=applied.principal,
        interest=applied.interest, fees=applied.fees, penalty=applied.penalty,
        unapplied=applied.unapplied, source=source, memo=memo,
    )  # fmt: skip
    entry_id = await ledger.post(db, entry, reference=reference, at=at, actor=None)
    if entry_id is None:
        return None
    for number, component, fen in applied.lines:
        row = by_number[number]
        column = f"paid_{component.value}_fen"
        setattr(row, column, getattr(row, column) + fen)
        if source is Account.DEPOSIT_LIABILITY:
            row.offset_applied_fen += fen
        db.add(PaymentAllocation(
            contract_id=contract.id, reference=reference, revision=row.revision, number=number,
            component=component.value, amount_fen=fen, paid_on=paid_on, at=at,
        ))  # fmt: skip
    for number in {n for n, _, _ in applied.lines}:
        row = by_number[number]
        if row.settled_on is None and state(row).settled:
            row.settled_on = paid_on
    # 联合贷款: the funder's part of it, if the contract was funded under an agreement.
    await colending.on_repayment(db, contract, rows, applied, paid=amount_fen,
                                 reference=reference, paid_on=paid_on, at=at)  # fmt: skip
    await db.flush()
    return Posted(entry_id, applied)


def paid_ahead(rows: Sequence[ContractInstalment], as_of: date) -> tuple[int, int, int]:
    """(principal, interest, fees) paid on the rows due after `as_of`: rents paid ahead (the
    deposit offsets a row only once it is due, so this is money the lessee paid)."""
    ahead = [r for r in rows if r.due_date > as_of]
    return (sum(r.paid_principal_fen for r in ahead), sum(r.paid_interest_fen for r in ahead),
            sum(r.paid_fees_fen for r in ahead))  # fmt: skip


async def lift_ahead(
    db: AsyncSession, contract: Contract, rows: Sequence[ContractInstalment], as_of: date, *,
    reference: str, at: datetime,
) -> int:  # fmt: skip
    """Before the rows after `as_of` are rebuilt (a prepayment, an extension): what was paid on
    them goes to 溢缴款 (`common.ledger.rent_lifted`), to be applied to the new rows by
    `carry_ahead`. The old revision's rows keep what was paid on them, as history; the funder's
    yield on the interest lifted is taken back (`backend.funders.allocation.on_lift`). Returns
    the fen lifted (0 when nothing was paid ahead, or this reference was lifted before)."""
    principal, interest, fees = paid_ahead(rows, as_of)
    if not principal + interest + fees:
        return 0
    entry = postings.rent_lifted(contract.id, contract.customer_id, principal=principal,
                                 interest=interest, fees=fees)  # fmt: skip
    if await ledger.post(db, entry, reference=reference, at=at, actor=None) is None:
        return 0
    # 联合贷款: the interest lifted is no longer earned on these rows, nor the funder's yield on it.
    await colending.on_lift(db, contract, rows, {r.number for r in rows if r.due_date > as_of},
                            reference=reference, on=as_of, at=at)  # fmt: skip
    return principal + interest + fees


async def carry_ahead(
    db: AsyncSession, contract: Contract, amount_fen: int, *, reference: str, paid_on: date,
    at: datetime,
) -> int:  # fmt: skip
    """Apply up to `amount_fen` of 溢缴款 to the revision now in force, oldest row first; what
    the rows cannot take stays in 溢缴款 (the payoff offsets it). Returns the fen applied."""
    if amount_fen <= 0:
        return 0
    rows = await instalments(db, contract)
    owed = sum(state(r).lessee_owes for r in rows)
    amount = min(amount_fen, owed)
    if amount <= 0:
        return 0
    posted = await apply(db, contract, amount, reference=reference, paid_on=paid_on, at=at,
                         source=Account.ADVANCE_RECEIPTS, memo="溢缴款抵扣租金")  # fmt: skip
    return 0 if posted is None else amount
