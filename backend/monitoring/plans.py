"""A contract's monitoring plan 监控方案 and its geometry, built once per plan version and kept
in the process (a corridor's projection and prepared buffer take a few ms to build)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import Contract, MonitoringPlan
from common.api.monitoring import PlanBody
from common.business_day import BUSINESS_TZ
from common.errors import DomainError, NotFound
from common.monitoring import provinces
from common.monitoring.geo import Corridor, Regions
from common.monitoring.profiles import PROFILES, Profile, ProfileName

CONTRACT_NOT_FOUND = NotFound("contract_not_found", "合同不存在", "No such contract")
MAX_WAYPOINTS = 5000


@dataclass(frozen=True, slots=True)
class Geometry:
    profile: Profile
    corridor: Corridor | None
    regions: Regions | None
    weekdays: frozenset[int]  # ISO weekdays the route is driven (empty: every day)
    hours: tuple[int, int] | None  # Shanghai hours of the route [from, to)

    def route_applies(self, at: datetime) -> bool:
        local = at.astimezone(BUSINESS_TZ)
        if self.weekdays and local.isoweekday() not in self.weekdays:
            return False
        return self.hours is None or self.hours[0] <= local.hour < self.hours[1]


def _invalid(field: str, zh: str, en: str) -> DomainError:
    return DomainError("monitoring_plan_invalid", zh, en, fields={field: "monitoring_plan_invalid"})


def check(body: PlanBody) -> None:
    """Refuse what cannot be watched; build the geometry once to prove it."""
    if body.route is not None:
        if not 2 <= len(body.route) <= MAX_WAYPOINTS:
            raise _invalid("route", "路线须有2至5000个途经点", "a route has 2 to 5000 waypoints")
        if any(not (-180 <= lon <= 180 and -90 <= lat <= 90) for lon, lat in body.route):
            raise _invalid("route", "途经点坐标超出范围", "a waypoint is out of range")
    if not 50 <= body.half_width_m <= 50_000:
        raise _invalid("half_width_m", "走廊宽度须在50米至50公里之间", "50 m to 50 km")
    if body.regions is not None:
        try:
            Regions(body.regions)
        except Exception:  # ValueError, or shapely's own errors on degenerate rings
            raise _invalid("regions", "允许区域不是有效的多边形", "not valid polygons") from None
    if body.provinces is not None:
        known = provinces.codes()
        if not body.provinces or len(set(body.provinces)) != len(body.provinces):
            raise _invalid("provinces", "允许省份须列出且不重复", "list provinces once each")
        if unknown := [c for c in body.provinces if c not in known]:
            raise _invalid("provinces", f"未知的省级行政区代码：{'、'.join(unknown[:5])}",
                           f"unknown province codes: {', '.join(unknown[:5])}")  # fmt: skip
    hours = (body.schedule or {}).get("hours")
    if hours is not None and not (
        isinstance(hours, list) and len(hours) == 2 and 0 <= hours[0] < hours[1] <= 24
    ):
        raise _invalid("schedule", "路线时段须为[起, 止)小时", "hours are [from, to)")


@lru_cache(maxsize=4096)
def _geometry(contract_id: str, version: int, blob: bytes) -> Geometry:
    body = msgspec.json.decode(blob, type=PlanBody)
    schedule = body.schedule or {}
    hours = schedule.get("hours")
    return Geometry(
        profile=PROFILES[body.profile],
        corridor=Corridor(body.route, body.half_width_m) if body.route else None,
        regions=Regions(body.regions or (), [provinces.outline(c) for c in body.provinces or ()])
        if body.regions or body.provinces
        else None,
        weekdays=frozenset(int(d) for d in schedule.get("weekdays", ())),
        hours=(int(hours[0]), int(hours[1])) if hours else None,
    )


def body_of(plan: MonitoringPlan) -> PlanBody:
    return PlanBody(
        profile=ProfileName(plan.profile),
        route=[(float(p[0]), float(p[1])) for p in plan.route] if plan.route else None,
        half_width_m=plan.half_width_m,
        regions=[[(float(p[0]), float(p[1])) for p in ring] for ring in plan.regions]
        if plan.regions else None,
        provinces=list(plan.provinces) if plan.provinces else None,
        schedule=plan.schedule, lessee_sees_position=plan.lessee_sees_position,
    )  # fmt: skip


def geometry(plan: MonitoringPlan | None) -> Geometry:
    if plan is None:
        return _geometry("", 0, msgspec.json.encode(PlanBody()))
    return _geometry(plan.contract_id, plan.version, msgspec.json.encode(body_of(plan)))


async def save(
    db: AsyncSession, contract_id: str, body: PlanBody, actor: Principal, now: datetime
) -> MonitoringPlan:
    check(body)
    contract = await db.get(Contract, contract_id[:32])
    if contract is None:
        raise CONTRACT_NOT_FOUND
    plan = await db.get(MonitoringPlan, contract.id)
    values = dict(
        profile=body.profile.value, route=[list(p) for p in body.route] if body.route else None,
        half_width_m=body.half_width_m,
        regions=[[list(p) for p in ring] for ring in body.regions] if body.regions else None,
        provinces=body.provinces, schedule=body.schedule,
        lessee_sees_position=body.lessee_sees_position,
        updated_by=actor.user_id, updated_at=now,
    )  # fmt: skip
    if plan is None:
        plan = MonitoringPlan(contract_id=contract.id, version=1, **values)
        db.add(plan)
    else:
        for k, v in values.items():
            setattr(plan, k, v)
        plan.version += 1
    await db.flush()
    await audit.record(
        db, actor=actor, action="monitoring.plan_saved", entity_type="contract",
        entity_id=contract.id, at=now,
        detail={"version": plan.version, "profile": plan.profile,
                "waypoints": len(body.route or ()), "regions": len(body.regions or ()),
                "provinces": body.provinces or []},
    )  # fmt: skip
    return plan
