"""The daily servicing sweep 日终批处理 for business day D: per active contract, in order,
  a. the deposit offsets 保证金抵扣 of instalments due by D;
  b. penalty interest 罚息 on what is overdue at D, one ledger entry per contract per day;
  c. the delinquency bucket M0-M7 and days past due (an audit event when the bucket changes);
  d. the collections queue's case (opened at M1+, closed back at M0);
  e. the rent reminders whose step falls on D (T-3, T0, T+1, T+3, T+7);
then f. the insurance and 年检 reminders of D, and the pending reminders sent outside quiet hours.

Exactly once per (contract, day), whoever runs it and however often: the offsets and the penalty
post under ledger references unique per (contract, kind, reference) — `offset:{contract}:{rev}:
{number}`, `penalty:{contract}:{D}` — and the rows change only when the posting is new; buckets
and cases are set, not added to; reminders are unique per step. A contract's work is done under
its row lock (`FOR UPDATE` on PostgreSQL, the one writer on SQLite), `batch` contracts per
transaction (1: one short transaction each; the daily run uses a few hundred, see
bench/daily_sweep.py). A batch that fails is retried one contract at a time, so one bad contract
never holds back the rest.

`run_periodically` is the lifespan's task: every `interval_s` it runs the days not yet run (a lease
row per day, backend/jobs/ticks.py) and then sends what is due.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, select, union
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.audit import service as audit
from backend.collections import cases
from backend.db.models import (
    CollectionCase,
    Contract,
    ContractInstalment,
    ReminderPreference,
    ServiceDates,
)
from backend.dealers import commissions
from backend.jobs import ticks
from backend.ledger import service as ledger
from backend.monitoring import alerts
from backend.providers.sms import SmsSenderFactory
from backend.reminders import planner
from backend.security.pii import PiiCipher
from backend.servicing import dues
from common import ledger as postings
from common.business_day import business_date
from common.contracts import ContractStatus
from common.ledger import Account
from common.money import from_fen, to_fen
from common.reminders import ReminderKind, VehicleClass, next_inspection, service_steps_on
from common.servicing.delinquency import (
    Bucket,
    days_past_due,
    delinquency_bucket,
    penalty_increment,
)
from common.servicing.policy import STANDARD, ServicingPolicy, policy_for

log = logging.getLogger(__name__)
JOB = "servicing_sweep"
BATCH = 200


@dataclass
class DayReport:
    day: date
    contracts: int = 0
    penalty_fen: int = 0
    penalty_entries: int = 0
    offsets: int = 0
    bucket_changes: int = 0
    cases_opened: int = 0
    cases_closed: int = 0
    failed: list[str] = field(default_factory=list)


def policy_of(contract: Contract) -> ServicingPolicy:
    return policy_for(str(contract.document.get("terms", {}).get("product_name", "")))


async def candidates(db: AsyncSession, day: date) -> list[str]:
    """Contracts with anything to do on `day`: an unsettled instalment (of the revision in force)
    due by the furthest reminder ahead, a bucket other than M0, or a live collections case."""
    lead = max(0, -min(STANDARD.reminder_days))
    owing = (
        select(Contract.id)
        .join(ContractInstalment, and_(ContractInstalment.contract_id == Contract.id,
                                       ContractInstalment.revision == Contract.revision))
        .where(Contract.status == ContractStatus.ACTIVE.value)
        .where(ContractInstalment.settled_on.is_(None))
        .where(ContractInstalment.due_date <= day + timedelta(days=lead))
    )  # fmt: skip
    behind = select(Contract.id).where(
        Contract.status == ContractStatus.ACTIVE.value, Contract.bucket != Bucket.M0.value
    )
    live = select(CollectionCase.contract_id).where(CollectionCase.status.in_(cases.LIVE))
    ids = await db.scalars(union(owing, behind, live).order_by("id"))
    return list(ids)


async def _offsets(db: AsyncSession, contract: Contract, rows: Sequence[ContractInstalment],
                   day: date, now: datetime) -> int:  # fmt: skip
    """a. The deposit covers the instalments it was planned for, on their due dates."""
    done = 0
    for row in rows:
        left = row.offset_fen - row.offset_applied_fen
        if row.due_date <= day and left > 0:
            posted = await dues.apply(
                db, contract, left, reference=f"offset:{contract.id}:{row.revision}:{row.number}",
                paid_on=row.due_date, at=now, source=Account.DEPOSIT_LIABILITY, memo="保证金抵扣",
            )  # fmt: skip
            done += posted is not None
    return done


async def _penalty(db: AsyncSession, contract: Contract, rows: Sequence[ContractInstalment],
                   day: date, now: datetime, policy: ServicingPolicy) -> int:  # fmt: skip
    """b. 罚息 from each overdue instalment's penalty_through (or due date) to `day` on its unpaid
    principal and interest, each day once, grace respected; one entry for the contract's day."""
    rule = policy.penalty
    accrual: list[tuple[ContractInstalment, int]] = []
    for row in rows:
        if row.due_date >= day or (row.penalty_through is not None and row.penalty_through >= day):
            continue
        principal = row.principal_fen - row.paid_principal_fen
        interest = row.interest_fen - row.paid_interest_fen
        if principal + interest <= 0:
            continue
        extra = penalty_increment(from_fen(principal + interest), row.due_date,
                                  row.penalty_through, day, rule)  # fmt: skip
        accrual.append((row, to_fen(extra)))
    total = sum(max(0, fen) for _, fen in accrual)
    if total > 0:
        entry = postings.penalty_accrual(contract.id, contract.customer_id, total)
        posted = await ledger.post(db, entry, reference=f"penalty:{contract.id}:{day}", at=now,
                                   actor=None)  # fmt: skip
        if posted is None:  # this day was accrued before: the rows already say so
            return 0
    for row, fen in accrual:
        row.penalty_fen += max(0, fen)
        row.penalty_through = day
    return total


async def service_contract(
    db: AsyncSession, contract: Contract, rows: list[ContractInstalment],
    case: CollectionCase | None, opted_out: set[int], day: date, now: datetime, report: DayReport,
) -> None:  # fmt: skip
    policy = policy_of(contract)
    if contract.status == ContractStatus.ACTIVE.value:
        report.offsets += await _offsets(db, contract, rows, day, now)
        fen = await _penalty(db, contract, rows, day, now, policy)
        report.penalty_fen += fen
        report.penalty_entries += fen > 0
        owing = [r for r in rows if r.due_date <= day and dues.state(r).lessee_owes > 0]
        oldest = min((r.due_date for r in owing), default=None)
        bucket = delinquency_bucket(oldest, day)
        dpd = days_past_due(oldest, day) if oldest else 0
    else:  # settled or cancelled while in arrears: nothing is owed any more
        bucket, dpd = Bucket.M0, 0
    if bucket.value != contract.bucket:
        await audit.record(
            db, actor=None, action="contract.bucket_changed", entity_type="contract",
            entity_id=contract.id, before={"bucket": contract.bucket},
            after={"bucket": bucket.value, "days_past_due": dpd},
            detail={"day": day.isoformat(), "from": contract.bucket, "to": bucket.value,
                    "days_past_due": dpd}, at=now,
        )  # fmt: skip
        report.bucket_changes += 1
        contract.bucket = bucket.value
        await alerts.raise_for_overdue(db, contract)  # its vehicles' open alerts follow
    if contract.days_past_due != dpd:
        contract.days_past_due = dpd
        await commissions.claw_back_if_early(db, contract, dpd, day, now)
    live, change = cases.sync(contract, bucket, day, case, now)
    if change == "opened" and live is not None:
        db.add(live)
        await db.flush()
        report.cases_opened += 1
        await cases.record(db, contract, live, change, now)
    elif change == "closed" and case is not None:
        report.cases_closed += 1
        await cases.record(db, contract, case, change, now)
    if contract.status == ContractStatus.ACTIVE.value:
        await planner.plan_rent(db, contract, rows, day, now, policy, opted_out)


async def _batch(sessions: async_sessionmaker[AsyncSession], ids: Sequence[str], day: date,
                 now: datetime, report: DayReport) -> None:  # fmt: skip
    async with sessions() as db:
        locked = list(
            await db.scalars(
                select(Contract).where(Contract.id.in_(ids)).order_by(Contract.id).with_for_update()
            )
        )
        rows: dict[str, list[ContractInstalment]] = defaultdict(list)
        revision = {c.id: c.revision for c in locked}
        for row in await db.scalars(
            select(ContractInstalment)
            .where(ContractInstalment.contract_id.in_(ids))
            .order_by(ContractInstalment.contract_id, ContractInstalment.number)
        ):
            if row.revision == revision.get(row.contract_id):
                rows[row.contract_id].append(row)
        live = {
            c.contract_id: c
            for c in await db.scalars(
                select(CollectionCase).where(
                    CollectionCase.contract_id.in_(ids), CollectionCase.status.in_(cases.LIVE)
                )
            )
        }
        customers = {c.customer_id for c in locked}
        out: dict[str, set[int]] = defaultdict(set)
        for p in await db.scalars(
            select(ReminderPreference).where(
                ReminderPreference.customer_id.in_(customers), ReminderPreference.enabled.is_(False)
            )
        ):
            out[p.customer_id].add(p.step)
        # The batch's rows are all loaded: no statement needs the session flushed before it (the
        # services flush where they must), so one flush at the commit writes the batch.
        with db.sync_session.no_autoflush:
            for contract in locked:
                await service_contract(db, contract, rows[contract.id], live.get(contract.id),
                                       out[contract.customer_id], day, now, report)  # fmt: skip
        await db.commit()
    report.contracts += len(locked)


async def _service_dates(sessions: async_sessionmaker[AsyncSession], day: date,
                         now: datetime) -> None:  # fmt: skip
    """f. Insurance renewal and 年检 reminders, 30 and 7 days before (opt-in: only contracts whose
    lessee entered the dates)."""
    async with sessions() as db:
        pairs = (
            await db.execute(
                select(ServiceDates, Contract)
                .join(Contract, Contract.id == ServiceDates.contract_id)
                .where(Contract.status == ContractStatus.ACTIVE.value)
            )
        ).all()
        for dates, contract in pairs:
            due: list[tuple[ReminderKind, date]] = []
            if dates.insurance_ends_on is not None:
                due.append((ReminderKind.INSURANCE, dates.insurance_ends_on))
            if dates.registered_on is not None:
                vehicle = VehicleClass(dates.vehicle_class)
                for step in (-30, -7):
                    target = day - timedelta(days=step)
                    if next_inspection(dates.registered_on, vehicle, target) == target:
                        due.append((ReminderKind.INSPECTION, target))
            for kind, on in due:
                for step in service_steps_on(day, on):
                    await planner.plan(
                        db, contract, kind=kind, revision=0, number=int(on.strftime("%Y%m%d")),
                        step=step, due_date=on, amount_fen=0, now=now, policy=policy_of(contract),
                    )  # fmt: skip
        await db.commit()


async def run_day(
    sessions: async_sessionmaker[AsyncSession],
    day: date,
    now: datetime,
    sms_for: SmsSenderFactory,
    pii: PiiCipher,
    *,
    batch: int = BATCH,
) -> DayReport:
    """The sweep of business day `day` (idempotent: running it again changes nothing)."""
    report = DayReport(day)
    async with sessions() as db:
        ids = await candidates(db, day)
        await db.rollback()
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        try:
            await _batch(sessions, chunk, day, now, report)
        except Exception:
            if len(chunk) == 1:
                log.exception("servicing sweep %s: contract %s failed", day, chunk[0])
                report.failed.append(chunk[0])
                continue
            for one in chunk:  # find the one that fails; the others go through
                try:
                    await _batch(sessions, [one], day, now, report)
                except Exception:
                    log.exception("servicing sweep %s: contract %s failed", day, one)
                    report.failed.append(one)
    await _service_dates(sessions, day, now)
    await planner.send_due(sessions, now, sms_for, pii)
    return report


async def tick(
    sessions: async_sessionmaker[AsyncSession],
    sms_for: SmsSenderFactory,
    pii: PiiCipher,
    clock: Callable[[], datetime],
    worker: str,
    *,
    lease_s: float = ticks.LEASE_S,
) -> list[date]:
    """One pass of the periodic task: the days not yet swept (from the day after the last one
    finished to today, each once across workers), then the reminders whose time has come."""
    today = business_date(clock())

    async def one(day: date) -> DayReport:
        return await run_day(sessions, day, clock(), sms_for, pii)

    ran = await ticks.catch_up_days(sessions, JOB, today, one, worker, clock, lease_s=lease_s)
    await planner.send_due(sessions, clock(), sms_for, pii)
    return ran


async def run_periodically(
    sessions: async_sessionmaker[AsyncSession],
    sms_for: SmsSenderFactory,
    pii: PiiCipher,
    interval_s: float,
    clock: Callable[[], datetime],
) -> None:
    worker = ticks.worker_name()
    while True:
        try:
            await tick(sessions, sms_for, pii, clock, worker)
        except Exception:
            log.exception("the servicing sweep failed; trying again next time")
        await asyncio.sleep(interval_s)
