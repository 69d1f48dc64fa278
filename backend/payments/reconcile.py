"""Reconciliation 对账: a business day's trade bill from the provider against our payments and
the ledger's repayment postings.

Each trade line (out_trade_no, transaction id, amount) is matched with our payment of that
out_trade_no, which must be paid with that transaction and posted (a ``repayment`` entry under
the payment's id whose cash debit is the amount). What differs is stored as a mismatch:

- ``missing_ours``: the provider took money we have not posted (no payment, not paid, another
  transaction, or no posting);
- ``missing_theirs``: we posted a payment on that day the provider's bill does not have;
- ``amount_differs``: both have it, at different amounts (bill, payment or posting).

A trade whose money we refunded (a payment exception resolved by a refund, backend/payments/
refunds.py) is matched by that refund: nothing was posted and nothing should be. One the finance
desk dismissed stays ``missing_ours``, its note in the detail: the books and the provider differ
by it, for a reason written down. The bill's refund lines are matched with our refunds by our
refund number: ``refund_missing_ours`` (the provider refunded what we did not ask for),
``refund_missing_theirs`` (we asked that day, the provider does not list it),
``refund_amount_differs`` (another amount or transaction).

One run per business day (UNIQUE); running it again replaces its mismatches in place, under the
run row's lock, so concurrent runs of a day serialise and the last one stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.db.base import new_id
from backend.db.models import (
    LedgerEntry,
    LedgerLine,
    Payment,
    PaymentException,
    PaymentRefund,
    ReconciliationMismatch,
    ReconciliationRun,
)
from backend.db.upsert import upsert_ignore
from backend.payments import sandbox
from backend.settings import Settings
from common.api.payments import ReconciliationMismatchView, ReconciliationView
from common.business_day import BUSINESS_TZ
from common.errors import NotFound
from common.ledger import PAYOFF_KIND, PREPAYMENT_KIND, Account, EntryKind
from common.money import from_fen
from common.payments import PaymentStatus

# What a payment posts, by its purpose: a rent (repayment), a payoff, a prepayment; a dealer's
# floor-plan payoff or curtailment.
PAYMENT_KINDS = (EntryKind.REPAYMENT.value, PAYOFF_KIND, PREPAYMENT_KIND,
                 EntryKind.FLOORPLAN_PAYOFF.value, EntryKind.FLOORPLAN_REPAYMENT.value)  # fmt: skip
NO_RUN = NotFound("reconciliation_not_run", "该日尚未对账", "No reconciliation for that day")


@dataclass(frozen=True)
class Found:
    kind: str
    out_trade_no: str
    provider_txn_id: str | None
    payment_id: str | None
    ours_fen: int | None
    theirs_fen: int | None
    detail: str
    out_refund_no: str | None = None


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), BUSINESS_TZ).astimezone(UTC)
    return start, start + timedelta(days=1)


async def _posted_fen(db: AsyncSession, payment_ids: list[str]) -> dict[str, int]:
    """The cash each payment's posting (a rent, a payoff or a prepayment) debited, by payment
    id (its reference)."""
    if not payment_ids:
        return {}
    rows = await db.execute(
        select(LedgerEntry.reference, func.sum(LedgerLine.debit_fen))
        .join(LedgerLine, LedgerLine.entry_id == LedgerEntry.id)
        .where(LedgerEntry.kind.in_(PAYMENT_KINDS),
               LedgerEntry.reference.in_(payment_ids),
               LedgerLine.account == Account.CASH.value)
        .group_by(LedgerEntry.reference)
    )  # fmt: skip
    return {ref: int(total) for ref, total in rows.all()}


async def compare(
    db: AsyncSession, settings: Settings, day: date
) -> tuple[list[Found], dict[str, int]]:
    lines = sandbox.parse_bill(await sandbox.trade_bill(db, settings, day))
    bill = [r for r in lines if not r.is_refund]
    start, end = _day_bounds(day)
    theirs_nos = [r.out_trade_no for r in bill]
    ours_day = list(await db.scalars(
        select(Payment).where(Payment.status == PaymentStatus.PAID.value,
                              Payment.paid_at >= start, Payment.paid_at < end)
    ))  # fmt: skip
    by_no = {p.out_trade_no: p for p in ours_day}
    missing_nos = [n for n in theirs_nos if n not in by_no]
    for chunk in range(0, len(missing_nos), 500):  # paid on another day, or not at all
        for other in await db.scalars(
            select(Payment).where(Payment.out_trade_no.in_(missing_nos[chunk : chunk + 500]))
        ):
            by_no[other.out_trade_no] = other
    posted = await _posted_fen(db, [p.id for p in by_no.values()])
    unposted = [
        r.transaction_id
        for r in bill
        if (p := by_no.get(r.out_trade_no)) is None or p.provider_txn_id != r.transaction_id
    ]
    refunded, dismissed = await _resolved(db, unposted)
    found: list[Found] = []
    matched = 0
    for row in bill:
        p = by_no.get(row.out_trade_no)
        if (
            p is None
            or p.status != PaymentStatus.PAID.value
            or p.provider_txn_id != row.transaction_id
        ):
            if row.transaction_id in refunded:  # given back: its refund line reconciles it
                matched += 1
                continue
            what = "no such payment" if p is None else (
                f"payment {p.status}" if p.status != PaymentStatus.PAID.value
                else f"paid by {p.provider_txn_id}")  # fmt: skip
            if row.transaction_id in dismissed:
                what += f"; dismissed: {dismissed[row.transaction_id]}"
            found.append(Found("missing_ours", row.out_trade_no, row.transaction_id,
                               p.id if p else None, p.amount_fen if p else None, row.amount_fen,
                               f"provider has it, we have not posted it ({what})"))  # fmt: skip
            continue
        book = posted.get(p.id)
        if book is None:
            found.append(
                Found(
                    "missing_ours",
                    row.out_trade_no,
                    row.transaction_id,
                    p.id,
                    p.amount_fen,
                    row.amount_fen,
                    "paid but no repayment posting",
                )
            )
        elif not row.amount_fen == p.amount_fen == book:
            found.append(
                Found(
                    "amount_differs",
                    row.out_trade_no,
                    row.transaction_id,
                    p.id,
                    book,
                    row.amount_fen,
                    f"bill {row.amount_fen}, payment {p.amount_fen}, posted {book}",
                )
            )
        else:
            matched += 1
    on_bill = set(theirs_nos)
    for p in ours_day:
        if p.out_trade_no not in on_bill:
            found.append(Found("missing_theirs", p.out_trade_no, p.provider_txn_id, p.id,
                               posted.get(p.id, p.amount_fen), None,
                               "posted by us, not on the provider's bill"))  # fmt: skip
    refund_found, refund_stats = await _compare_refunds(db, [r for r in lines if r.is_refund],
                                                        start, end)  # fmt: skip
    found += refund_found
    stats = {
        "statement_rows": len(bill),
        "statement_total_fen": sum(r.amount_fen for r in bill),
        "ours_total_fen": sum(posted.get(p.id, 0) for p in ours_day),
        "matched": matched + refund_stats["matched"],
        "statement_refunds_fen": refund_stats["statement_refunds_fen"],
        "ours_refunds_fen": refund_stats["ours_refunds_fen"],
    }
    return found, stats


async def _resolved(db: AsyncSession, txn_ids: list[str]) -> tuple[set[str], dict[str, str]]:
    """Of these transactions: those we refunded, and those the finance desk dismissed (note)."""
    if not txn_ids:
        return set(), {}
    refunded = set(await db.scalars(
        select(PaymentRefund.provider_txn_id).where(PaymentRefund.provider_txn_id.in_(txn_ids))
    ))  # fmt: skip
    dismissed = {
        txn: note or "" for txn, note in (await db.execute(
            select(PaymentException.provider_txn_id, PaymentException.resolution_note)
            .where(PaymentException.provider_txn_id.in_(txn_ids),
                   PaymentException.resolution == "dismiss")
        )).all()
    }  # fmt: skip
    return refunded, dismissed


async def _compare_refunds(
    db: AsyncSession, lines: list[sandbox.BillRow], start: datetime, end: datetime
) -> tuple[list[Found], dict[str, int]]:
    """The bill's refund lines against our refunds (by our refund number)."""
    numbers = [r.out_refund_no for r in lines]
    ours_day = list(await db.scalars(
        select(PaymentRefund).where(PaymentRefund.created_at >= start,
                                    PaymentRefund.created_at < end)
    ))  # fmt: skip
    by_no = {r.out_refund_no: r for r in ours_day}
    missing = [n for n in numbers if n not in by_no]
    if missing:  # asked for on another day
        for other in await db.scalars(
            select(PaymentRefund).where(PaymentRefund.out_refund_no.in_(missing))
        ):
            by_no[other.out_refund_no] = other
    found: list[Found] = []
    matched = 0
    for line in lines:
        ours = by_no.get(line.out_refund_no)
        if ours is None:
            found.append(Found("refund_missing_ours", line.out_trade_no, line.transaction_id,
                               None, None, line.refund_fen,
                               "the provider refunded what we did not ask for",
                               line.out_refund_no))  # fmt: skip
        elif (ours.amount_fen, ours.provider_txn_id) != (line.refund_fen, line.transaction_id):
            found.append(Found("refund_amount_differs", line.out_trade_no, line.transaction_id,
                               ours.payment_id, ours.amount_fen, line.refund_fen,
                               f"bill {line.refund_fen} of {line.transaction_id}, ours "
                               f"{ours.amount_fen} of {ours.provider_txn_id}",
                               line.out_refund_no))  # fmt: skip
        else:
            matched += 1
    listed = set(numbers)
    for r in ours_day:
        if r.out_refund_no not in listed:
            found.append(Found("refund_missing_theirs", r.out_trade_no, r.provider_txn_id,
                               r.payment_id, r.amount_fen, None,
                               f"refund asked for ({r.status}), not on the provider's bill",
                               r.out_refund_no))  # fmt: skip
    return found, {"matched": matched,
                   "statement_refunds_fen": sum(r.refund_fen for r in lines),
                   "ours_refunds_fen": sum(r.amount_fen for r in ours_day)}  # fmt: skip


async def reconcile_day(
    sessions: async_sessionmaker[AsyncSession], day: date, now: datetime,
    settings: Settings | None = None,
) -> ReconciliationView:  # fmt: skip
    """Run (or re-run) the reconciliation of `day`; idempotent: one run row, its mismatches
    replaced."""
    settings = settings or Settings()
    async with sessions() as db:
        await db.execute(upsert_ignore(
            db, ReconciliationRun, ["business_day"], id=new_id(), business_day=day, ran_at=now,
            statement_rows=0, statement_total_fen=0, ours_total_fen=0, matched=0, summary={},
            statement_refunds_fen=0, ours_refunds_fen=0,
        ))  # fmt: skip
        run = await db.scalar(
            select(ReconciliationRun).where(ReconciliationRun.business_day == day)
            .with_for_update()
        )  # fmt: skip
        assert run is not None
        found, stats = await compare(db, settings, day)
        await db.execute(
            delete(ReconciliationMismatch).where(ReconciliationMismatch.run_id == run.id)
        )
        db.add_all(
            ReconciliationMismatch(
                run_id=run.id,
                kind=f.kind,
                out_trade_no=f.out_trade_no,
                provider_txn_id=f.provider_txn_id,
                payment_id=f.payment_id,
                ours_fen=f.ours_fen,
                theirs_fen=f.theirs_fen,
                detail=f.detail[:200],
                out_refund_no=f.out_refund_no,
            )
            for f in found
        )
        run.ran_at = now
        run.statement_rows = stats["statement_rows"]
        run.statement_total_fen = stats["statement_total_fen"]
        run.ours_total_fen = stats["ours_total_fen"]
        run.matched = stats["matched"]
        run.statement_refunds_fen = stats["statement_refunds_fen"]
        run.ours_refunds_fen = stats["ours_refunds_fen"]
        kinds: dict[str, int] = {}
        for f in found:
            kinds[f.kind] = kinds.get(f.kind, 0) + 1
        run.summary = kinds
        await db.commit()
    async with sessions() as db:
        return await view(db, day)


def _money(fen: int | None) -> str | None:
    return None if fen is None else str(from_fen(fen))


async def view(db: AsyncSession, day: date) -> ReconciliationView:
    run = await db.scalar(select(ReconciliationRun).where(ReconciliationRun.business_day == day))
    if run is None:
        raise NO_RUN
    rows = await db.scalars(
        select(ReconciliationMismatch).where(ReconciliationMismatch.run_id == run.id)
        .order_by(ReconciliationMismatch.kind, ReconciliationMismatch.out_trade_no)
    )  # fmt: skip
    return ReconciliationView(
        date=run.business_day, ran_at=run.ran_at, statement_rows=run.statement_rows,
        statement_total=str(from_fen(run.statement_total_fen)),
        ours_total=str(from_fen(run.ours_total_fen)), matched=run.matched,
        mismatches=[ReconciliationMismatchView(
            kind=m.kind, out_trade_no=m.out_trade_no, provider_txn_id=m.provider_txn_id,
            payment_id=m.payment_id, ours=_money(m.ours_fen), theirs=_money(m.theirs_fen),
            detail=m.detail, out_refund_no=m.out_refund_no) for m in rows],
        statement_refunds=str(from_fen(run.statement_refunds_fen)),
        ours_refunds=str(from_fen(run.ours_refunds_fen)),
    )  # fmt: skip
