"""What revenue sharing shows: a contract's months (floor, revenue, share, variable rent, status)
and the lessor's overview of the months of every revenue-sharing lease, e.g. those overdue."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import TypeVarTuple

from sqlalchemy import Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from backend.auth.principal import Principal
from backend.contracts import service as contracts
from backend.db.models import (
    Application,
    Contract,
    ContractInstalment,
    ProductVersion,
    RevenueReport,
)
from backend.revenue_share import service
from backend.servicing import dues
from common import revenue_share as rule
from common.api.revenue_share import (
    OverdueReportView,
    PileView,
    RevenueMonthView,
    RevenueReportsView,
    kwh_text,
    terms_in,
)
from common.business_day import business_date
from common.contracts import ContractStatus
from common.money import yuan_text
from common.revenue_share import MonthLine, Period, ReportStatus, RevenueShareTerms, ScheduledRent

_Row = TypeVarTuple("_Row")


def month_view(line: MonthLine, report: RevenueReport | None) -> RevenueMonthView:
    base = RevenueMonthView(
        period=str(line.period), report_due=line.report_due, status=line.status.value,
        status_label=rule.STATUS_LABELS[line.status], floor=yuan_text(line.floor_fen),
    )  # fmt: skip
    if report is None:
        return base
    # The figures as charged: the floor of the schedule the report was made on.
    base.floor = yuan_text(report.floor_fen)
    base.revenue, base.kwh = yuan_text(report.revenue_fen), kwh_text(report.wh)
    base.share = yuan_text(report.share_fen)
    base.rent = yuan_text(report.floor_fen + report.variable_fen)
    base.variable_rent = yuan_text(report.variable_fen)
    base.charged_on_instalment, base.version = report.number, report.version
    base.late, base.reported_at, base.note = report.late, report.reported_at, report.note
    base.piles = [
        PileView(serial=p["serial"], revenue=yuan_text(int(p["revenue_fen"])),
                 kwh=kwh_text(int(p["wh"])))
        for p in report.piles
    ]  # fmt: skip
    return base


def reported_view(reported: service.Reported) -> RevenueMonthView:
    """The month as a report left it."""
    r, period = reported.report, rule.parse_period(reported.report.period)
    line = MonthLine(period, period.report_due(reported.terms), ReportStatus.REPORTED,
                     r.floor_fen, r.revenue_fen, None)  # fmt: skip
    return month_view(line, r)


async def _lines(
    db: AsyncSession, contract: Contract, terms: RevenueShareTerms, today: date
) -> tuple[list[MonthLine], dict[Period, RevenueReport]]:
    rows = await dues.instalments(db, contract) if contract.activated_at is not None else []
    reports = await service.in_force(db, contract.id)
    lines = rule.months(
        terms, rents=service.rents_of(rows), today=today,
        reported={p: r.revenue_fen for p, r in reports.items()},
    )  # fmt: skip
    return lines, reports


async def contract_months(
    db: AsyncSession, caller: Principal, contract_id: str, now: datetime
) -> RevenueReportsView:
    contract = await contracts.get(db, caller, contract_id)
    terms = await service.terms_for(db, contract)
    if terms is None:
        raise service.NOT_OFFERED
    lines, reports = await _lines(db, contract, terms, business_date(now))
    return RevenueReportsView(
        contract_id=contract.id, share_percent=f"{terms.share_percent.normalize():f}",
        report_due_days=terms.report_due_days,
        months=[month_view(x, reports.get(x.period)) for x in lines],
    )  # fmt: skip


def _sharing(query: Select[*_Row], versions: Iterable[str]) -> Select[*_Row]:
    """`query` (which reads `Contract`) narrowed to the active leases of these product versions."""
    return (
        query.join(Application, Application.id == Contract.application_id)
        .where(Application.product_version_id.in_(list(versions)))
        .where(Contract.status == ContractStatus.ACTIVE.value)
    )


async def _rents_and_reports(
    db: AsyncSession, versions: Iterable[str], signed_schedule: list[str]
) -> tuple[dict[str, list[ScheduledRent]], dict[str, dict[Period, int]]]:
    """Every sharing lease's rents (the schedule in force) and revenue reported by month, in two
    statements whatever their number. Of the leases on their `signed_schedule` (activated,
    revision 1), one activated before the sub-ledger existed may have no rows yet: its rents are
    read from the signed schedule, as `dues.instalments` would write them (one statement more,
    for all such leases, and nothing written by an overview)."""
    rents: dict[str, list[ScheduledRent]] = defaultdict(list)
    rows = await db.execute(_sharing(
        select(ContractInstalment.contract_id, ContractInstalment.number,
               ContractInstalment.due_date, ContractInstalment.kind,
               ContractInstalment.principal_fen + ContractInstalment.interest_fen)
        .join(Contract, and_(Contract.id == ContractInstalment.contract_id,
                             Contract.revision == ContractInstalment.revision)),
        versions,
    ))  # fmt: skip
    for cid, number, due, kind, rent in rows:
        rents[cid].append(ScheduledRent(number, due, kind, int(rent)))
    reported: dict[str, dict[Period, int]] = defaultdict(dict)
    found = await db.execute(_sharing(
        select(RevenueReport.contract_id, RevenueReport.period, RevenueReport.revenue_fen)
        .join(Contract, Contract.id == RevenueReport.contract_id)
        .where(RevenueReport.replaced_at.is_(None)),
        versions,
    ))  # fmt: skip
    for cid, period, revenue in found:
        reported[cid][rule.parse_period(period)] = revenue
    if missing := [cid for cid in signed_schedule if cid not in rents]:
        signed = await db.scalars(
            select(Contract).where(Contract.id.in_(missing))
            .options(defer(Contract.pdf), defer(Contract.signed_pdf))
        )  # fmt: skip
        for contract in signed:
            rents[contract.id] = service.rents_of(dues.rows_from_document(contract))
    return rents, reported


async def overview(
    db: AsyncSession, status: ReportStatus | None, now: datetime, limit: int = 500
) -> list[OverdueReportView]:
    """分账报送总览: the months of the active revenue-sharing leases (of `status`), the longest
    overdue first. Products are few: their versions are read and filtered here, so the query
    stays the same on both databases (no JSON operators). The leases, their rents and reports
    are read in batch: the same four statements for two leases or two thousand."""
    versions = await db.execute(select(ProductVersion.id, ProductVersion.body))
    sharing = {vid: t for vid, body in versions if (t := terms_in(body)) is not None}
    if not sharing:
        return []
    leases = list(await db.execute(_sharing(
        select(Contract.id, Contract.number, Contract.revision, Contract.activated_at,
               Application.product_version_id),
        sharing,
    ).order_by(Contract.number)))  # fmt: skip
    if not leases:
        return []
    signed = [cid for cid, _, rev, activated, _ in leases if rev == 1 and activated is not None]
    rents, reported = await _rents_and_reports(db, sharing, signed)
    today = business_date(now)
    out = []
    for cid, number, _, activated, version_id in leases:
        lines = rule.months(sharing[version_id], rents=rents[cid] if activated else [],
                            reported=reported[cid], today=today)  # fmt: skip
        for x in lines:
            if status is not None and x.status is not status:
                continue
            late = (today - x.report_due).days if x.status is ReportStatus.OVERDUE else 0
            out.append(OverdueReportView(
                contract_id=cid, contract_number=number, period=str(x.period),
                report_due=x.report_due, status=x.status.value,
                status_label=rule.STATUS_LABELS[x.status], days_late=late,
                floor=yuan_text(x.floor_fen),
            ))  # fmt: skip
    out.sort(key=lambda v: (-v.days_late, v.report_due, v.contract_number))
    return out[:limit]
