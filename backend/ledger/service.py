"""Post entries to the ledger exactly once; read balances and verify the books.

`post` writes in the caller's transaction (the request commits the entry, its lines and its
audit event together, or none of them). A business event is named by (contract, kind,
reference); the unique constraint on it decides which of two racing posts wins: the insert is
``ON CONFLICT DO NOTHING``, so the loser (on PostgreSQL it waits for the winner to commit)
posts nothing and learns it from the empty RETURNING, without an error that would spoil its
transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.base import new_id
from backend.db.models import LedgerEntry, LedgerLine
from backend.db.upsert import upsert_ignore
from common.errors import DomainError
from common.ledger import REFERENCE_LENGTH, Account, Entry, TrialBalance

_ENTRIES = cast(Table, LedgerEntry.__table__)
_LINES = cast(Table, LedgerLine.__table__)


def _entry_body(entry: Entry, reference: str) -> dict[str, Any]:
    lines = [[x.account.value, x.debit_fen, x.credit_fen, x.party] for x in entry.lines]
    return {"kind": entry.kind, "reference": reference, "memo": entry.memo, "lines": lines}


async def post(
    db: AsyncSession, entry: Entry, *, reference: str, at: datetime, actor: Principal | None
) -> str | None:
    """Post `entry` for the business event `reference`; its id, or None when this (contract,
    kind, reference) was posted before (then nothing is written: money never posts twice)."""
    if not 0 < len(reference) <= REFERENCE_LENGTH:
        raise DomainError(
            "ledger_reference_invalid", "记账业务编号无效", "invalid posting reference"
        )
    entry_id = new_id()
    posted = await db.scalar(
        upsert_ignore(
            db, _ENTRIES, ["contract_id", "kind", "reference"], id=entry_id,
            contract_id=entry.contract_id, kind=str(entry.kind), reference=reference,
            memo=entry.memo, posted_at=at,
        ).returning(_ENTRIES.c.id)
    )  # fmt: skip
    if posted is None:
        return None
    await db.execute(
        insert(_LINES),
        [
            {"entry_id": entry_id, "account": x.account.value, "party": x.party,
             "debit_fen": x.debit_fen, "credit_fen": x.credit_fen}
            for x in entry.lines
        ],
    )  # fmt: skip
    await audit.record(
        db,
        actor=actor,
        action="ledger.posted",
        entity_type="contract",
        entity_id=entry.contract_id,
        after=_entry_body(entry, reference),
        detail={"entry_id": entry_id, "kind": str(entry.kind), "reference": reference,
                "amount_fen": entry.total_debit},
        at=at,
    )  # fmt: skip
    return entry_id


async def unbalanced_entries(db: AsyncSession) -> list[str]:
    """The verification query: ids of entries whose debits differ from their credits, or that
    have no line at all. Empty whenever every write went through `post`."""
    debits = func.coalesce(func.sum(_LINES.c.debit_fen), 0)
    credits = func.coalesce(func.sum(_LINES.c.credit_fen), 0)
    query = (
        select(_ENTRIES.c.id)
        .select_from(_ENTRIES.outerjoin(_LINES, _LINES.c.entry_id == _ENTRIES.c.id))
        .group_by(_ENTRIES.c.id)
        .having(or_(debits != credits, func.count(_LINES.c.id) == 0))
        .order_by(_ENTRIES.c.id)
    )
    return list(await db.scalars(query))


def _sums(rows: Any) -> dict[Account, tuple[int, int]]:
    # PostgreSQL sums BIGINT as NUMERIC (a Decimal here): exact, made int again.
    return {Account(a): (int(d), int(c)) for a, d, c in rows}


async def trial_balance(db: AsyncSession) -> TrialBalance:
    """试算平衡表 over every posted line."""
    query = select(
        _LINES.c.account, func.sum(_LINES.c.debit_fen), func.sum(_LINES.c.credit_fen)
    ).group_by(_LINES.c.account)
    return TrialBalance.from_sums(_sums(await db.execute(query)))


async def contract_balances(db: AsyncSession, contract_id: str) -> dict[Account, int]:
    """The balance of each account a contract's entries touched, on the account's normal side
    (e.g. dealer_payable: what the dealer is still owed for this contract)."""
    query = (
        select(_LINES.c.account, func.sum(_LINES.c.debit_fen), func.sum(_LINES.c.credit_fen))
        .join(_ENTRIES, _LINES.c.entry_id == _ENTRIES.c.id)
        .where(_ENTRIES.c.contract_id == contract_id)
        .group_by(_LINES.c.account)
    )
    sums = _sums(await db.execute(query))
    return {a: a.balance(*sums[a]) for a in Account if a in sums}  # in chart order


async def party_balances(
    db: AsyncSession, party: str, accounts: tuple[Account, ...] | None = None
) -> dict[Account, int]:
    """The balance of each account (of `accounts`, or any) a party's lines touched, on the
    account's normal side (dealer_payable for a dealer: what the lessor owes it over every
    contract; dealer_receivable: what it owes back)."""
    query = (
        select(_LINES.c.account, func.sum(_LINES.c.debit_fen), func.sum(_LINES.c.credit_fen))
        .where(_LINES.c.party == party)
        .group_by(_LINES.c.account)
    )
    if accounts is not None:
        query = query.where(_LINES.c.account.in_([a.value for a in accounts]))
    sums = _sums(await db.execute(query))
    return {a: a.balance(*sums[a]) for a in Account if a in sums}
