"""A contract's schedule and arrears as the pure servicing functions take them, and the price
of a quoted payment.

`schedule_of` rebuilds the `common.schedule.Schedule` of the revision in force: revision 1 from
the application's quoted terms re-dated to the contract's start date (exactly as
`backend.contracts.documents` built the signed document), a later revision from the terms its
`ScheduleRevision` row stored. Its instalment k is the contract's number k + offset, and its
lines equal the stored instalment rows fen for fen (`check_rows`; a mismatch is a bug, never
silently priced).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import (
    Application,
    Contract,
    ContractInstalment,
    PayoffQuote,
    ScheduleRevision,
)
from backend.servicing import dues
from common.api.quotes import QuoteRequest, terms_from_request
from common.errors import Conflict, DomainError, NotFound
from common.lease_terms import LeaseTerms
from common.money import from_fen, to_fen
from common.schedule import Schedule, build_schedule
from common.servicing import Arrears
from common.servicing.standing import InstalmentState

QUOTE_NOT_FOUND = NotFound("quote_not_found", "报价不存在", "No such quote")


@dataclass(frozen=True, slots=True)
class Rebuilt:
    schedule: Schedule
    offset: int  # add to a schedule number to get the contract's instalment number


def schedule_to_builtins(schedule: Schedule, level: Decimal | None) -> dict[str, Any]:
    """What rebuilds a revision's schedule: its terms and the level rent it was built with."""
    return {
        "lease_terms": msgspec.to_builtins(schedule.terms),
        "level": None if level is None else str(level),
    }


def schedule_from_builtins(data: dict[str, Any]) -> Schedule:
    terms = msgspec.convert(data["lease_terms"], LeaseTerms, strict=False)
    level = data.get("level")
    return build_schedule(terms, level=None if level is None else Decimal(level))


def schedule_of(
    contract: Contract, quote_request: dict[str, Any] | None, revision: ScheduleRevision | None
) -> Rebuilt:
    """The schedule of the contract's revision in force (`revision` for a later one)."""
    if revision is not None:
        return Rebuilt(schedule_from_builtins(revision.terms), revision.number_offset)
    if quote_request is None:
        raise ValueError("an active contract's application has a quote")
    req = msgspec.convert(quote_request, QuoteRequest)
    start = date.fromisoformat(str(contract.document["terms"]["start_date"]))
    dated = msgspec.structs.replace(req, start_date=start, first_due_date=None)
    return Rebuilt(build_schedule(terms_from_request(dated)), 0)


def check_rows(rebuilt: Rebuilt, rows: Sequence[ContractInstalment]) -> None:
    """The rebuilt schedule's lines are the stored rows (the amounts a row started with: the
    interest of a settled row may have been forgiven by a payoff, so only open rows count)."""
    by_number = {r.number: r for r in rows}
    for i in rebuilt.schedule.instalments:
        row = by_number.get(i.number + rebuilt.offset)
        if row is None or row.settled_on is not None:
            continue
        if (row.due_date, row.principal_fen, row.interest_fen) != (
            i.due_date, to_fen(i.principal), to_fen(i.interest),
        ):  # fmt: skip
            raise RuntimeError(f"schedule {i.number} of {rebuilt.offset} differs from its row")


async def schedule_for(db: AsyncSession, contract: Contract) -> Rebuilt:
    revision = None
    if contract.revision > 1:
        revision = await db.scalar(
            select(ScheduleRevision)
            .where(ScheduleRevision.contract_id == contract.id)
            .where(ScheduleRevision.revision == contract.revision)
        )
    app = await db.get(Application, contract.application_id)
    return schedule_of(contract, app.quote_request if app else None, revision)


def arrears_of(rows: Sequence[InstalmentState | ContractInstalment], as_of: date) -> list[Arrears]:
    """The unpaid parts of the instalments due on or before `as_of` (an instalment due today is
    owed today, as `common.servicing.position` counts it), with the penalty booked and unpaid
    and the day it is booked through."""
    out = []
    for row in rows:
        s = row if isinstance(row, InstalmentState) else dues.state(row)
        if s.due_date > as_of or s.settled:
            continue
        through = None if isinstance(row, InstalmentState) else row.penalty_through
        out.append(Arrears(
            number=s.number, due_date=s.due_date,
            principal=from_fen(s.principal - s.paid_principal),
            interest=from_fen(s.interest - s.paid_interest),
            fees=from_fen(s.fees - s.paid_fees),
            penalty=from_fen(s.penalty - s.paid_penalty),
            penalty_through=through,
        ))  # fmt: skip
    return out


def quote_status(quote: PayoffQuote, today: date) -> str:
    if quote.status == "open" and today > quote.valid_until:
        return "expired"
    return quote.status


async def load_quote(db: AsyncSession, contract: Contract, quote_id: str, kind: str) -> PayoffQuote:
    quote = await db.get(PayoffQuote, quote_id[:32])
    if quote is None or quote.contract_id != contract.id or quote.kind != kind:
        raise QUOTE_NOT_FOUND
    return quote


QUOTE_UNUSABLE = Conflict(
    "quote_unusable", "报价已使用、已过期或合同已变动，请重新报价",
    "The quote was used, has expired or the contract changed: ask for a new quote",
)  # fmt: skip


async def amount_for(
    db: AsyncSession, contract: Contract, purpose: str, quote_id: str | None, today: date
) -> int:
    """What a payment for a quote (purpose payoff or prepayment) must be, in fen: the quote's
    total while it is open, valid today and priced on the revision in force. A rent payment has
    no quoted amount (DomainError). A quote the contract has moved away from (a rent paid since,
    so its figures give another total) is unusable too."""
    from backend.servicing import payoff  # payoff builds on this module

    if purpose not in ("payoff", "prepayment") or not quote_id:
        raise DomainError("quote_required", "此类付款须先报价", "this payment needs a quote")
    quote = await load_quote(db, contract, quote_id, purpose)
    usable = quote_status(quote, today) == "open" and quote.as_of <= today
    if not usable or quote.revision != contract.revision:
        raise QUOTE_UNUSABLE
    if purpose == "payoff":
        buyout = bool(quote.detail.get("buyout"))
        now = await payoff.current(db, contract, quote.as_of, quote.settle_on, buyout=buyout)
        if now.total != quote.total_fen:
            raise QUOTE_UNUSABLE
    return quote.total_fen
