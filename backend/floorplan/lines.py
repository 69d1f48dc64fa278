"""A dealer's floor-plan line 授信额度: set by an admin (audited), read by its dealer.

Scoping: a dealer_admin reads its own organisation's line only (another dealer's id answers 404,
as does a dealer without a line); an admin names the dealer. What is used is the principal
outstanding of every unit still owed (financed or sold out of trust); what is available is the
limit plus the temporary increases in force, less what is used, never below nought.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import FloorplanLimitIncrease, FloorplanLine, FloorplanUnit
from backend.dealers.scope import dealer_org
from common.api.auth import Role
from common.api.floorplan import CurtailmentPlanBody, LineBody
from common.errors import Conflict, DomainError, NotFound
from common.floorplan import CurtailmentPlan, LineTerms
from common.money import parse_money, to_fen

LINE_NOT_FOUND = NotFound("floorplan_line_not_found", "该经销商没有库存融资额度",
                          "No floor-plan line for this dealer")  # fmt: skip


def dealer_of(caller: Principal, dealer_id: str | None) -> str:
    """The dealer a request is about: a dealer's own organisation, or the one an admin names."""
    if caller.role is Role.DEALER_ADMIN:
        if dealer_id not in (None, caller.organisation_id):
            raise LINE_NOT_FOUND  # another dealer's: as if it did not exist
        return caller.organisation_id
    if not dealer_id:
        raise DomainError("dealer_id_required", "请指定经销商", "dealer_id is required",
                          fields={"dealer_id": "dealer_id_required"}, status=400)  # fmt: skip
    return dealer_id


async def load_line(db: AsyncSession, dealer_id: str, *, lock: bool = False) -> FloorplanLine:
    query = select(FloorplanLine).where(FloorplanLine.dealer_id == dealer_id[:32])
    line = await db.scalar(query.with_for_update() if lock else query)
    if line is None:
        raise LINE_NOT_FOUND
    return line


def terms_of(line: FloorplanLine) -> LineTerms:
    p = line.plan
    plan = CurtailmentPlan(int(p["first_after_days"]), int(p["every_days"]), Decimal(p["percent"]))
    return LineTerms(Decimal(line.annual_rate_percent), line.max_days, plan)


def terms_json(terms: LineTerms) -> dict[str, Any]:
    """A unit's copy of the terms it was drawn under."""
    p = terms.plan
    return {
        "annual_rate_percent": str(terms.annual_rate_percent), "max_days": terms.max_days,
        "day_count": terms.day_count.value,
        "plan": {"first_after_days": p.first_after_days, "every_days": p.every_days,
                 "percent": str(p.percent)},
    }  # fmt: skip


def plan_body(line: FloorplanLine) -> CurtailmentPlanBody:
    p = line.plan
    return CurtailmentPlanBody(
        first_after_days=int(p["first_after_days"]), every_days=int(p["every_days"]),
        percent=str(p["percent"]),
    )  # fmt: skip


@dataclass(frozen=True)
class Headroom:
    limit_fen: int
    temporary_fen: int
    used_fen: int
    increases: list[FloorplanLimitIncrease]

    @property
    def available_fen(self) -> int:
        return max(0, self.limit_fen + self.temporary_fen - self.used_fen)


async def used_fen(db: AsyncSession, dealer_id: str) -> int:
    owed = select(func.coalesce(func.sum(FloorplanUnit.principal_left_fen), 0)).where(
        FloorplanUnit.dealer_id == dealer_id, FloorplanUnit.financed_vin.is_not(None)
    )
    return int(await db.scalar(owed) or 0)


async def increases_in_force(
    db: AsyncSession, line: FloorplanLine, today: date
) -> list[FloorplanLimitIncrease]:
    query = (
        select(FloorplanLimitIncrease)
        .where(FloorplanLimitIncrease.line_id == line.id)
        .where(
            FloorplanLimitIncrease.granted_on <= today, FloorplanLimitIncrease.expires_on > today
        )
        .order_by(FloorplanLimitIncrease.expires_on)
    )
    return list(await db.scalars(query))


async def headroom(db: AsyncSession, line: FloorplanLine, today: date) -> Headroom:
    found = await increases_in_force(db, line, today)
    temporary = sum(x.amount_fen for x in found)
    return Headroom(line.limit_fen, temporary, await used_fen(db, line.dealer_id), found)


async def set_line(
    db: AsyncSession, admin: Principal, dealer_id: str, body: LineBody, now: datetime
) -> FloorplanLine:
    """Create or change a dealer's line; the change is audited with before and after."""
    org = await dealer_org(db, dealer_id)
    plan = CurtailmentPlan(
        body.plan.first_after_days, body.plan.every_days, Decimal(body.plan.percent)
    )
    terms = LineTerms(Decimal(body.annual_rate_percent.strip()), body.max_days, plan)
    limit = to_fen(parse_money(body.limit, field="limit"))
    if limit < 0:
        raise DomainError("money_invalid", "额度不能为负", "the limit cannot be negative",
                          fields={"limit": "money_invalid"})  # fmt: skip
    line = await db.scalar(
        select(FloorplanLine).where(FloorplanLine.dealer_id == org.id).with_for_update()
    )
    before = None if line is None else _snapshot(line)
    if line is None:
        line = FloorplanLine(dealer_id=org.id, created_at=now)
        db.add(line)
    elif body.version != line.version:
        raise Conflict("version_conflict", "额度已在别处修改，请刷新后再试",
                       "The line changed meanwhile; reload and retry")  # fmt: skip
    stored = terms_json(terms)
    line.limit_fen, line.annual_rate_percent = limit, str(terms.annual_rate_percent)
    line.max_days, line.plan, line.status = terms.max_days, stored["plan"], body.status
    line.updated_at = now
    await db.flush()
    await audit.record(
        db, actor=admin, action="floorplan.line_set", entity_type="floorplan_line",
        entity_id=org.id, before=before, after=_snapshot(line),
        detail={"reason": body.reason, "limit_fen": limit, "version": line.version}, at=now,
    )  # fmt: skip
    return line


def _snapshot(line: FloorplanLine) -> dict[str, object]:
    return {"limit_fen": line.limit_fen, "annual_rate_percent": line.annual_rate_percent,
            "max_days": line.max_days, "plan": dict(line.plan), "status": line.status}  # fmt: skip
