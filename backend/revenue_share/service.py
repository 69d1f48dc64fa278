"""Revenue sharing 电费分账: the operator's monthly reports on a charging-pile lease and the
variable rent they charge (the rule: `common.revenue_share`).

A report is written in the request's transaction with its charge: the contract is locked first
(`dues.locked`), so two reports of one month never both charge; the charge is a ledger entry
posted once under (contract, ``variable_rent``, the month) and the same amount added to the fees
of the instalment that carries it, so the lessee pays it through `dues.apply` like any rent. A
correction posts the reversal of the earlier charge under that charge's reference and takes
its fees off the instalment again, or is refused once any of it may have been paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.contracts import service as contracts
from backend.db.models import (
    Application,
    Contract,
    ContractInstalment,
    ProductVersion,
    RevenueReport,
)
from backend.ledger import service as ledger
from backend.servicing import dues
from common import ledger as postings
from common import revenue_share as rule
from common.api.revenue_share import ParsedReport, terms_in
from common.business_day import business_date
from common.contracts import ContractStatus
from common.errors import Conflict, DomainError
from common.revenue_share import Period, RevenueShareTerms, ScheduledRent

NOT_OFFERED = DomainError(
    "revenue_share_not_offered", "该合同的产品不含电费分账",
    "This contract's product has no revenue share",
)  # fmt: skip
SETTLED = Conflict(
    "revenue_period_settled", "该月可变租金已开始结算（或还款计划已调整），不能再更正",
    "The month's variable rent is being settled (or the schedule was rebuilt): no correction",
)  # fmt: skip
RACED = Conflict("revenue_report_conflict", "该月报送已变更，请刷新后重试",
                 "The month's report changed meanwhile: reload and retry")  # fmt: skip


async def terms_for(db: AsyncSession, contract: Contract) -> RevenueShareTerms | None:
    """The revenue share of the product version the contract's application was quoted on."""
    version_id = await db.scalar(
        select(Application.product_version_id).where(Application.id == contract.application_id)
    )
    body = None if version_id is None else await db.scalar(
        select(ProductVersion.body).where(ProductVersion.id == version_id)
    )  # fmt: skip
    return terms_in(body)


def rents_of(rows: list[ContractInstalment]) -> list[ScheduledRent]:
    return [
        ScheduledRent(r.number, r.due_date, r.kind, r.principal_fen + r.interest_fen) for r in rows
    ]


async def in_force(db: AsyncSession, contract_id: str) -> dict[Period, RevenueReport]:
    """Each month's report in force (the version not replaced)."""
    found = await db.scalars(
        select(RevenueReport)
        .where(RevenueReport.contract_id == contract_id, RevenueReport.replaced_at.is_(None))
    )  # fmt: skip
    return {rule.parse_period(r.period): r for r in found}


@dataclass(frozen=True, slots=True)
class Reported:
    report: RevenueReport
    terms: RevenueShareTerms
    written: bool  # False: the same figures were on file, nothing was written


def _same(row: RevenueReport, parsed: ParsedReport) -> bool:
    return (row.revenue_fen, row.wh, row.piles) == (parsed.revenue_fen, parsed.wh, _piles(parsed))


def _piles(parsed: ParsedReport) -> list[dict[str, object]]:
    return [{"serial": p.serial, "revenue_fen": p.revenue_fen, "wh": p.wh} for p in parsed.piles]


def _reference(period: Period, version: int) -> str:
    return str(period) if version == 1 else f"{period}#v{version}"


async def report(
    db: AsyncSession, caller: Principal, contract_id: str, parsed: ParsedReport, now: datetime
) -> Reported:
    """Record a month's report and charge its variable rent (see the module docstring)."""
    seen = await contracts.get(db, caller, contract_id)  # another lessee's: 404
    terms = await terms_for(db, seen)
    if terms is None:
        raise NOT_OFFERED
    contract = await dues.locked(db, seen.id)
    assert contract is not None  # it was just seen, and contracts are never deleted
    if contract.status != ContractStatus.ACTIVE.value:
        raise dues.NOT_ACTIVE
    today = business_date(now)
    rows = await dues.instalments(db, contract)
    rents = rents_of(rows)
    rule.check_period(parsed.period, rents, today)
    current = (await in_force(db, contract.id)).get(parsed.period)
    if current is not None and _same(current, parsed):
        return Reported(current, terms, written=False)
    by_number = {r.number: r for r in rows}
    if current is not None:
        await _withdraw(db, contract, by_number, current, today, now, caller)
    month = rule.month_rent(rule.floor_of(parsed.period, rents), parsed.revenue_fen, terms)
    version = 1 if current is None else current.version + 1
    row = RevenueReport(
        contract_id=contract.id, period=str(parsed.period), version=version,
        revenue_fen=parsed.revenue_fen, wh=parsed.wh, piles=_piles(parsed), note=parsed.note,
        floor_fen=month.floor_fen, share_fen=month.share_fen, variable_fen=month.variable_fen,
        late=today > parsed.period.report_due(terms), reported_by=caller.user_id,
        reported_at=now,
    )  # fmt: skip
    if month.variable_fen:
        number = rule.carrier(rents, today)
        entry = postings.variable_rent(contract.id, contract.customer_id, month.variable_fen,
                                       str(parsed.period))  # fmt: skip
        ref = _reference(parsed.period, version)
        row.entry_id = await ledger.post(db, entry, reference=ref, at=now, actor=caller)
        if row.entry_id is None:  # a charge under this reference exists: never charge twice
            raise RACED
        carrying = by_number[number]
        carrying.fees_fen += month.variable_fen
        carrying.settled_on = None
        row.revision, row.number = contract.revision, number
    db.add(row)
    await audit.record(
        db, actor=caller, action="revenue_share.reported", entity_type="contract",
        entity_id=contract.id, at=now,
        detail={"period": str(parsed.period), "version": version,
                "revenue_fen": parsed.revenue_fen, "floor_fen": month.floor_fen,
                "share_fen": month.share_fen, "variable_fen": month.variable_fen,
                "instalment": row.number, "late": row.late},
    )  # fmt: skip
    await db.flush()
    return Reported(row, terms, written=True)


async def _withdraw(
    db: AsyncSession, contract: Contract, by_number: dict[int, ContractInstalment],
    current: RevenueReport, today: date, now: datetime, caller: Principal,
) -> None:  # fmt: skip
    """A correction: the month's earlier charge is reversed and taken off its instalment, as
    long as none of it can have been paid (the instalment's unpaid fees still cover it) and the
    schedule is the one it was charged on."""
    fen = current.variable_fen
    if fen:
        carrying = by_number.get(current.number or 0)
        if current.revision != contract.revision or carrying is None:
            raise SETTLED
        if carrying.fees_fen - carrying.paid_fees_fen < fen:
            raise SETTLED
        period = rule.parse_period(current.period)
        charged = postings.variable_rent(contract.id, contract.customer_id, fen, current.period)
        undo = postings.variable_rent_reversed(charged, current.period)
        ref = _reference(period, current.version)
        if await ledger.post(db, undo, reference=ref, at=now, actor=caller) is None:
            raise RACED
        carrying.fees_fen -= fen
        if carrying.settled_on is None and dues.state(carrying).settled:
            carrying.settled_on = today
    current.replaced_at = now
    await db.flush()  # the replaced version is out of force before the next is written
