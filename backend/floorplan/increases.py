"""Temporary limit increases 临时提额 (`common.floorplan_limits`): the rule in force (versioned,
each publication audited; the shipped default is version 1) and the daily grant.

Each day the job looks, per active line and model, at this ISO week's units paid off against
the dealer's previous weeks; a spike grants the rule's percent of the limit until the rule's
days have passed. One grant per line, model and week (a unique row, inserted ON CONFLICT DO
NOTHING), so re-running a day, or two workers, grant it once; each grant is audited.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.base import new_id
from backend.db.models import (
    FloorplanIncreaseRule,
    FloorplanLimitIncrease,
    FloorplanLine,
    FloorplanUnit,
)
from backend.db.upsert import upsert_ignore
from common.api.floorplan import IncreaseRuleBody, UnitStatus
from common.floorplan_limits import IncreaseRule, increase_fen, iso_week, spike, weekly_sell_through

DEFAULT_VERSION = 1


def rule_from(body: dict[str, object]) -> IncreaseRule:
    return IncreaseRule(
        Decimal(str(body["threshold"])), Decimal(str(body["increase_percent"])),
        int(str(body["days"])), int(str(body["history_weeks"])), int(str(body["min_weeks"])),
    )  # fmt: skip


def rule_body(rule: IncreaseRule, note: str = "") -> IncreaseRuleBody:
    return IncreaseRuleBody(
        threshold=str(rule.threshold), increase_percent=str(rule.increase_percent),
        days=rule.days, history_weeks=rule.history_weeks, min_weeks=rule.min_weeks, note=note,
    )  # fmt: skip


def _stored(rule: IncreaseRule) -> dict[str, object]:
    return {"threshold": str(rule.threshold), "increase_percent": str(rule.increase_percent),
            "days": rule.days, "history_weeks": rule.history_weeks,
            "min_weeks": rule.min_weeks}  # fmt: skip


async def current(db: AsyncSession) -> tuple[int, IncreaseRule, FloorplanIncreaseRule | None]:
    row = await db.scalar(
        select(FloorplanIncreaseRule).order_by(FloorplanIncreaseRule.version.desc()).limit(1)
    )
    if row is None:
        return DEFAULT_VERSION, IncreaseRule(), None
    return row.version, rule_from(row.body), row


async def publish(
    db: AsyncSession, admin: Principal, body: IncreaseRuleBody, now: datetime
) -> FloorplanIncreaseRule:
    rule = IncreaseRule(Decimal(body.threshold), Decimal(body.increase_percent), body.days,
                        body.history_weeks, body.min_weeks)  # fmt: skip
    version, before, _ = await current(db)
    stored = _stored(rule)
    row = FloorplanIncreaseRule(version=version + 1, body=stored, note=body.note,
                                published_by=admin.user_id, published_at=now)  # fmt: skip
    db.add(row)
    await db.flush()  # two publishers at once: one loses on the unique version (409)
    await audit.record(
        db, actor=admin, action="floorplan.increase_rule_published",
        entity_type="floorplan_increase_rule", entity_id=str(row.version),
        before=_stored(before), after=stored,
        detail={"version": row.version, "note": body.note}, at=now,
    )  # fmt: skip
    return row


async def grant_for_day(db: AsyncSession, day: date, now: datetime) -> int:
    """The increases the week's sell-through earns on `day`; how many were new."""
    version, rule, _ = await current(db)
    since = day - timedelta(weeks=rule.history_weeks + 1)
    granted = 0
    active = list(await db.scalars(select(FloorplanLine).where(FloorplanLine.status == "active")))
    for line in active:
        first = await db.scalar(
            select(func.min(FloorplanUnit.drawn_on)).where(FloorplanUnit.line_id == line.id)
        )
        if first is None:
            continue
        sold: dict[str, list[date]] = defaultdict(list)
        rows = await db.execute(
            select(FloorplanUnit.model, FloorplanUnit.paid_off_on).where(
                FloorplanUnit.line_id == line.id,
                FloorplanUnit.status == UnitStatus.PAID_OFF.value,
                FloorplanUnit.paid_off_on >= since,
            )
        )
        for model, paid_off_on in rows:
            if paid_off_on is not None:
                sold[model].append(paid_off_on)
        for model, days in sorted(sold.items()):
            history, this_week = weekly_sell_through(days, day, first, rule.history_weeks)
            rising, z = spike(history, this_week, rule)
            if rising and await _grant(db, line, model, day, rule, version, z, now):
                granted += 1
    return granted


async def _grant(
    db: AsyncSession, line: FloorplanLine, model: str, day: date, rule: IncreaseRule,
    version: int, z: float, now: datetime,
) -> bool:  # fmt: skip
    amount = increase_fen(line.limit_fen, rule)
    expires = day + timedelta(days=rule.days)
    new = await db.scalar(
        upsert_ignore(
            db, FloorplanLimitIncrease, ["line_id", "model", "week"], id=new_id(),
            line_id=line.id, week=iso_week(day), amount_fen=amount, granted_on=day,
            expires_on=expires, z_score=f"{z:.2f}", rule_version=version, created_at=now,
        )
        .values(model=model)  # upsert_ignore's own `model` argument is the table
        .returning(FloorplanLimitIncrease.id)
    )  # fmt: skip
    if new is None:
        return False
    await audit.record(
        db, actor=None, action="floorplan.limit_increased", entity_type="floorplan_line",
        entity_id=line.dealer_id, after={"amount_fen": amount, "expires_on": expires.isoformat()},
        detail={"model": model, "z": f"{z:.2f}", "rule_version": version,
                "week": iso_week(day)}, at=now,
    )  # fmt: skip
    return True
