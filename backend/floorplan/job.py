"""The daily floor-plan run 库存融资日终 for business day D, once per day across workers (a lease
row per day, `backend.jobs.ticks`), catching up missed days in order:

  a. on the 1st, the month just ended is billed: per unit still owed, the interest through its
     last day less what was billed (`common.floorplan.month_end_bill`), one ledger entry per unit
     and month (reference `interest:YYYY-MM`, so a re-run posts nothing twice). It is posted on
     the 1st rather than on the last day so that the day billed has passed: a payoff on the last
     day pays that day's interest only up to the day before, as every payoff does;
  b. curtailments overdue: each owed unit's overdue principal (due before D, not repaid) and
     since when; becoming overdue is audited;
  c. stock audits: those past their deadline are closed (their missing units become alerts),
     and on the 1st every dealer with financed units gets the month's audit;
  d. temporary limit increases (`backend.floorplan.increases`) for the week's sell-through.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.audit import service as audit
from backend.db.models import FloorplanUnit
from backend.floorplan import audits, increases, units
from backend.jobs import ticks
from common import floorplan as fp
from common.business_day import business_date

log = logging.getLogger(__name__)
JOB = "floorplan_daily"


@dataclass
class FloorplanDay:
    day: date
    units: int = 0
    interest_entries: int = 0
    interest_fen: int = 0
    became_overdue: int = 0
    audits_opened: int = 0
    alerts: int = 0
    increases: int = 0


def _overdue_since(f: fp.UnitFigures, terms: fp.LineTerms, day: date) -> date | None:
    repaid = f.principal_repaid_fen
    for c in fp.curtailment_plan(f, terms):
        if c.due_on < day and c.cumulative_fen > repaid:
            return c.due_on
    return None


async def bill_and_mark(db: AsyncSession, day: date, now: datetime, report: FloorplanDay) -> None:
    """Steps a and b of day D, in the caller's transaction."""
    owed = list(await db.scalars(
        select(FloorplanUnit).where(FloorplanUnit.financed_vin.is_not(None))
        .order_by(FloorplanUnit.id).with_for_update()
    ))  # fmt: skip
    repaid = await units.repayments_of(db, [u.id for u in owed])
    month_end = day - timedelta(days=1)
    for unit in owed:
        report.units += 1
        terms = units.terms_of(unit)
        f = units.figures(unit, repaid[unit.id])
        if day.day == 1 and unit.drawn_on <= month_end:
            bill = fp.month_end_bill(f, terms, month_end)
            memo = f"{month_end:%Y年%m月}库存融资利息"
            if await units.bill_interest(db, unit, bill, f"interest:{month_end:%Y-%m}", memo, now):
                report.interest_entries += 1
                report.interest_fen += bill
        overdue = fp.principal_overdue(f, terms, day)
        if overdue and not unit.overdue_fen:
            report.became_overdue += 1
            await audit.record(
                db, actor=None, action="floorplan.curtailment_overdue",
                entity_type="floorplan_unit", entity_id=unit.id,
                detail={"overdue_fen": overdue, "day": day.isoformat(), "vin": unit.vin}, at=now,
            )  # fmt: skip
        unit.overdue_fen = overdue
        unit.overdue_since = _overdue_since(f, terms, day) if overdue else None


async def run_day(
    sessions: async_sessionmaker[AsyncSession], day: date, now: datetime
) -> FloorplanDay:
    """Everything of day D, in one transaction: a failure leaves the day to be run again."""
    report = FloorplanDay(day)
    async with sessions() as db:
        await bill_and_mark(db, day, now, report)
        report.alerts = await audits.close_due(db, day, now)
        report.audits_opened = await audits.open_monthly(db, day, now)
        report.increases = await increases.grant_for_day(db, day, now)
        await db.commit()
    log.info("floor-plan day %s: %s", day, report)
    return report


async def tick(
    sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime], worker: str
) -> list[date]:
    today = business_date(clock())

    async def one(day: date) -> FloorplanDay:
        return await run_day(sessions, day, clock())

    return await ticks.catch_up_days(sessions, JOB, today, one, worker, clock)


async def run_periodically(
    sessions: async_sessionmaker[AsyncSession], interval_s: float, clock: Callable[[], datetime]
) -> None:
    worker = ticks.worker_name()
    while True:
        # first a pause: nothing of the floor plan is urgent at start-up, and a worker that is
        # started and stopped at once (tests, commands) never touches the database for it
        await asyncio.sleep(interval_s)
        try:
            await tick(sessions, clock, worker)
        except Exception:
            log.exception("the floor-plan day failed; trying again next time")
