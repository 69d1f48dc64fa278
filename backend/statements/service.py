"""The dealer's statement 对账单, read from the ledger and scoped to the caller's organisation.

A dealer_admin reads its own organisation's account (naming another dealer answers 404, like
any other owner's object); an admin names the dealer. The query reads the dealer's lines on the
dealer-facing accounts (`common.statements.DEALER_ACCOUNTS`) through the (party, account) index,
nets them per entry, and keeps the ledger's posting order (posted_at, then the first line's id:
the lines of entries posted in one go keep their order). The opening balance sums the same lines
before the range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.principal import Principal
from backend.db.models import Contract, LedgerEntry, LedgerLine
from backend.dealers.scope import DEALER_NOT_FOUND, dealer_org
from common.api.auth import Role
from common.statements import (
    DEALER_ACCOUNTS,
    MonthSummary,
    Movement,
    Statement,
    StatementRange,
    build_statement,
    monthly,
)

_ENTRIES = cast(Table, LedgerEntry.__table__)
_LINES = cast(Table, LedgerLine.__table__)
_CONTRACTS = cast(Table, Contract.__table__)
_ACCOUNTS = sorted(a.value for a in DEALER_ACCOUNTS)
_NET = func.sum(_LINES.c.credit_fen - _LINES.c.debit_fen)


@dataclass(frozen=True)
class Dealer:
    id: str
    name: str


async def dealer_for(db: AsyncSession, caller: Principal, dealer_id: str | None) -> Dealer:
    """The dealer whose account the caller may read: its own (dealer_admin), or the one named
    (admin). Anything else is 404: another dealer's account does not exist for this caller."""
    if caller.role == Role.ADMIN:
        wanted = dealer_id
    elif caller.role == Role.DEALER_ADMIN and dealer_id in (None, caller.organisation_id):
        wanted = caller.organisation_id
    else:
        raise DEALER_NOT_FOUND
    org = await dealer_org(db, wanted)
    return Dealer(org.id, org.name)


def _dealer_lines(dealer_id: str) -> tuple[Any, ...]:
    return (_LINES.c.party == dealer_id, _LINES.c.account.in_(_ACCOUNTS))


async def balance_before(db: AsyncSession, dealer_id: str, before: datetime) -> int:
    """What the lessor owed the dealer just before `before` (Σ credit − debit)."""
    total = await db.scalar(
        select(func.coalesce(_NET, 0))
        .select_from(_LINES.join(_ENTRIES, _LINES.c.entry_id == _ENTRIES.c.id))
        .where(*_dealer_lines(dealer_id), _ENTRIES.c.posted_at < before)
    )
    return int(total or 0)  # PostgreSQL sums BIGINT as NUMERIC


def _movements_query(dealer_id: str, since: datetime | None, until: datetime | None) -> Any:
    first_line = func.min(_LINES.c.id)
    query = (
        select(
            _ENTRIES.c.id, _ENTRIES.c.posted_at, _ENTRIES.c.kind, _ENTRIES.c.contract_id,
            _ENTRIES.c.memo, _CONTRACTS.c.number, _NET,
        )
        .select_from(
            _LINES.join(_ENTRIES, _LINES.c.entry_id == _ENTRIES.c.id)
            .outerjoin(_CONTRACTS, _CONTRACTS.c.id == _ENTRIES.c.contract_id)
        )
        .where(*_dealer_lines(dealer_id))
        .group_by(_ENTRIES.c.id, _ENTRIES.c.posted_at, _ENTRIES.c.kind, _ENTRIES.c.contract_id,
                  _ENTRIES.c.memo, _CONTRACTS.c.number)
        .order_by(_ENTRIES.c.posted_at, first_line)
    )  # fmt: skip
    if since is not None:
        query = query.where(_ENTRIES.c.posted_at >= since)
    if until is not None:
        query = query.where(_ENTRIES.c.posted_at < until)
    return query


async def movements(db: AsyncSession, dealer_id: str, period: StatementRange) -> list[Movement]:
    """The range's entries on the dealer's account, netted, in posting order."""
    rows = await db.execute(_movements_query(dealer_id, period.since, period.until))
    return [
        Movement(entry_id, posted_at, kind, number or contract_id, memo, int(net))
        for entry_id, posted_at, kind, contract_id, memo, number, net in rows
    ]


async def statement(db: AsyncSession, dealer: Dealer, period: StatementRange) -> Statement:
    opening = await balance_before(db, dealer.id, period.since)
    return build_statement(dealer.id, period, opening, await movements(db, dealer.id, period))


async def row_count(db: AsyncSession, dealer: Dealer, period: StatementRange) -> int:
    """How many rows the range's statement has (decides between a file and a job)."""
    entries = (
        select(_LINES.c.entry_id)
        .select_from(_LINES.join(_ENTRIES, _LINES.c.entry_id == _ENTRIES.c.id))
        .where(*_dealer_lines(dealer.id), _ENTRIES.c.posted_at >= period.since,
               _ENTRIES.c.posted_at < period.until)
        .distinct()
        .subquery()
    )  # fmt: skip
    return int(await db.scalar(select(func.count()).select_from(entries)) or 0)


async def months(db: AsyncSession, dealer: Dealer, as_of: date) -> list[MonthSummary]:
    """The closed months with activity (the monthly statements), newest first."""
    query = _movements_query(dealer.id, None, None).with_only_columns(
        _ENTRIES.c.posted_at, _NET, maintain_column_froms=True
    )
    rows: Sequence[Any] = (await db.execute(query)).all()
    return monthly([(at, int(net)) for at, net in rows], as_of)
