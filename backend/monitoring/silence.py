"""Signal loss 信号丢失: terminals silent beyond their profile's SLA get a signal-loss alert that
says whether it looks like traffic, a tunnel, a parked garage or a disappearance (the judgement
of `common.monitoring.signal`, against the zones table); a disappearance is critical. The sweep
runs every few seconds on every worker: the alert's unique key makes it one alert, and the
state row's lock keeps a late fix and the sweep from crossing."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import Contract, MonitoringPlan, MonitoringZone, RuleState, Terminal
from backend.monitoring import alerts, plans
from backend.monitoring.alerts import AlertType
from common.errors import DomainError
from common.monitoring.fix import Fix
from common.monitoring.signal import Zone, ZoneKind, judge

ASSET = Path(__file__).resolve().parents[2] / "assets" / "monitoring" / "zones.json"
MIN_SILENCE_S = 60  # no profile's SLA is shorter: rows silent less than this are not read


async def zones(db: AsyncSession) -> list[Zone]:
    rows = await db.scalars(select(MonitoringZone).order_by(MonitoringZone.name))
    return [Zone(name=z.name, kind=ZoneKind(z.kind), lat=z.lat, lon=z.lon, radius_m=z.radius_m,
                 hours=tuple((int(a), int(b)) for a, b in z.hours)) for z in rows]  # fmt: skip


async def seed_zones(db: AsyncSession) -> int:
    """The shipped table, when there is none yet."""
    if await db.scalar(select(MonitoringZone.id).limit(1)) is not None:
        return 0
    shipped = json.loads(ASSET.read_text(encoding="utf-8"))["zones"]
    for z in msgspec.convert(shipped, list[Zone]):
        db.add(MonitoringZone(name=z.name, kind=z.kind.value, lat=z.lat, lon=z.lon,
                              radius_m=z.radius_m, hours=[list(h) for h in z.hours]))  # fmt: skip
    await db.flush()
    return len(shipped)


async def replace_zones(
    db: AsyncSession, given: list[Zone], actor: Principal, now: datetime
) -> list[Zone]:
    if len(given) > 2000:
        raise DomainError("zones_invalid", "区域过多（最多2000个）", "at most 2000 zones")
    for k, z in enumerate(given):
        if not (-90 <= z.lat <= 90 and -180 <= z.lon <= 180 and 0 < z.radius_m <= 50_000
                and z.name.strip()) or any(not 0 <= a < b <= 24 for a, b in z.hours):  # fmt: skip
            raise DomainError("zones_invalid", f"第{k + 1}个区域有误", f"zone {k} is invalid",
                              fields={f"zones[{k}]": "zones_invalid"})  # fmt: skip
    before = len(list(await db.scalars(select(MonitoringZone.id))))
    for row in await db.scalars(select(MonitoringZone)):
        await db.delete(row)
    for z in given:
        db.add(MonitoringZone(name=z.name.strip()[:60], kind=z.kind.value, lat=z.lat, lon=z.lon,
                              radius_m=z.radius_m, hours=[list(h) for h in z.hours]))  # fmt: skip
    await db.flush()
    await audit.record(
        db, actor=actor, action="monitoring.zones_replaced", entity_type="zones",
        entity_id="all", at=now, detail={"before": before, "after": len(given)},
    )  # fmt: skip
    return await zones(db)


async def sweep(db: AsyncSession, now: datetime) -> list[str]:
    """Open the signal-loss alerts now due; the ids opened."""
    known = await zones(db)
    opened: list[str] = []
    quiet = await db.execute(
        select(RuleState, Terminal)
        .join(Terminal, Terminal.id == RuleState.terminal_id)
        .where(Terminal.active.is_(True), RuleState.last_fix.is_not(None),
               RuleState.last_seen_at < now - timedelta(seconds=MIN_SILENCE_S))
    )  # fmt: skip
    for state, terminal in quiet.all():
        if (state.states or {}).get("signal_loss"):
            continue
        last = msgspec.convert(state.last_fix, Fix)
        plan = await db.get(MonitoringPlan, terminal.contract_id)
        sla = plans.geometry(plan).profile.sla
        seen = state.last_seen_at or last.at
        if (now - max(seen, last.at)).total_seconds() <= sla.silent_after_s(last):
            continue
        locked = await db.scalar(
            select(RuleState).where(RuleState.terminal_id == terminal.id).with_for_update()
        )
        if (
            locked is None
            or (locked.states or {}).get("signal_loss")
            or (locked.last_seen_at and locked.last_seen_at > seen)
        ):  # a fix came in meanwhile
            continue
        contract = await db.get(Contract, terminal.contract_id)
        assert contract is not None
        j = judge(last, now, known)
        detail = {"at": last.at.isoformat(), "lat": last.lat, "lon": last.lon,
                  "speed_kmh": last.speed_kmh, "verdict": j.verdict.value,
                  "reasons": list(j.reasons)}  # fmt: skip
        base = (
            "critical"
            if j.worrying
            else "warning"
            if j.verdict.value != "likely_parked"
            else "info"
        )
        alert = await alerts.open_alert(db, terminal, contract, AlertType.SIGNAL_LOSS, base,
                                        detail, now)  # fmt: skip
        locked.states = {**(locked.states or {}), "signal_loss": True}
        if alert is not None:
            opened.append(alert.id)
    return opened
