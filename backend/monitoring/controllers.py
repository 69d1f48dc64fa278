"""Monitoring HTTP 租后监控: terminals, plans, the HTTP road for positions, alerts (list, ack,
resolve), tracks, zones. Thin controllers."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

import msgspec
from litestar import Controller, get, post, put
from litestar.params import FromPath, HeaderParameter
from sqlalchemy import select

from backend.auth.principal import Caller
from backend.contracts import service as contracts
from backend.db.deps import Db
from backend.db.models import Alert, Contract, MonitoringPlan, Position, RuleState, Terminal
from backend.monitoring import alerts, ingest, plans, silence, terminals
from backend.settings import Settings
from common.api.auth import Role
from common.api.monitoring import (
    AlertView,
    IngestView,
    LastPositionView,
    PlanBody,
    PositionBatch,
    PositionIn,
    Rejected,
    ResolveAlertBody,
    TerminalBody,
    TerminalView,
    TrackPoint,
    TrackView,
)
from common.errors import DomainError
from common.monitoring.fix import Fix, Road
from common.monitoring.signal import Zone

WATCHERS = (Role.MONITOR, Role.ADMIN)
INSTALLERS = (Role.STAFF, Role.MONITOR, Role.ADMIN)
Authorization = Annotated[str | None, HeaderParameter(name="Authorization", required=False)]
UNAUTHORISED = DomainError("terminal_unauthorised", "终端凭证无效", "unknown terminal token",
                           status=401)  # fmt: skip


def _mask(phone: str) -> str:
    return phone[:3] + "*" * max(0, len(phone) - 7) + phone[-4:]


def terminal_view(
    t: Terminal, token: str | None = None, seen: datetime | None = None
) -> TerminalView:
    return TerminalView(id=t.id, phone=_mask(t.phone), imei=t.imei, vin=t.vin,
                        contract_id=t.contract_id, registered_at=t.registered_at,
                        last_seen_at=seen, token=token)  # fmt: skip


def alert_view(a: Alert, number: str) -> AlertView:
    d = a.detail or {}
    return AlertView(
        id=a.id, contract_id=a.contract_id, contract_number=number, vin=a.vin, type=a.type,
        type_label=alerts.LABELS.get(alerts.AlertType(a.type), a.type), severity=a.severity,
        status=a.status, opened_at=a.opened_at, condition_ended_at=a.condition_ended_at,
        acknowledged_by=a.acknowledged_by, acknowledged_at=a.acknowledged_at,
        resolved_by=a.resolved_by, resolved_at=a.resolved_at, note=a.note,
        region_code=a.region_code, reasons=list(d.get("reasons", [])), lat=d.get("lat"),
        lon=d.get("lon"), fixes=list(d.get("fixes", [])),
    )  # fmt: skip


async def _numbers(db: Db, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = await db.execute(select(Contract.id, Contract.number).where(Contract.id.in_(ids)))
    return {i: n for i, n in rows.all()}


def _fix(p: PositionIn) -> Fix:
    if p.at.tzinfo is None:
        raise msgspec.ValidationError("`at` needs its time zone")
    return Fix(at=p.at, lat=p.lat, lon=p.lon, speed_kmh=p.speed_kmh, heading=p.heading,
               altitude_m=p.altitude_m, accuracy_m=p.accuracy_m, satellites=p.satellites,
               ignition=p.ignition, tamper=tuple(p.tamper))  # fmt: skip


class MonitoringController(Controller):
    path = "/api"
    tags = ["monitoring"]  # noqa: RUF012

    @post("/monitoring/terminals", opt={"roles": INSTALLERS}, status_code=201)
    async def register_terminal(
        self, data: TerminalBody, db: Db, settings: Settings, caller: Caller,
        now: datetime,
    ) -> TerminalView:  # fmt: skip
        """Register a terminal at installation; its token (HTTP, MQTT) is shown this once."""
        await contracts.get(db, caller, data.contract_id)
        terminal, token = await terminals.register(db, settings.secret_key, data, caller, now)
        return terminal_view(terminal, token)

    @get("/monitoring/contracts/{contract_id:str}/terminals", opt={"roles": INSTALLERS})
    async def contract_terminals(
        self, contract_id: FromPath[str], db: Db, caller: Caller
    ) -> list[TerminalView]:
        contract = await contracts.get(db, caller, contract_id)
        rows = await db.execute(
            select(Terminal, RuleState.last_seen_at)
            .outerjoin(RuleState, RuleState.terminal_id == Terminal.id)
            .where(Terminal.contract_id == contract.id)
        )
        return [terminal_view(t, seen=seen) for t, seen in rows.all()]

    @put("/monitoring/contracts/{contract_id:str}/plan", opt={"roles": WATCHERS})
    async def save_plan(
        self, contract_id: FromPath[str], data: PlanBody, db: Db, caller: Caller,
        now: datetime,
    ) -> PlanBody:  # fmt: skip
        """The route corridor, allowed regions, schedule and profile the vehicle is watched by."""
        contract = await contracts.get(db, caller, contract_id)
        return plans.body_of(await plans.save(db, contract.id, data, caller, now))

    @get("/monitoring/contracts/{contract_id:str}/plan", opt={"roles": WATCHERS})
    async def show_plan(self, contract_id: FromPath[str], db: Db, caller: Caller) -> PlanBody:
        contract = await contracts.get(db, caller, contract_id)
        plan = await db.get(MonitoringPlan, contract.id)
        return PlanBody() if plan is None else plans.body_of(plan)

    @post("/telemetry/positions", opt={"public": True}, status_code=200)
    async def positions(
        self, data: PositionBatch, db: Db, settings: Settings, now: datetime,
        authorization: Authorization = None,
    ) -> IngestView:  # fmt: skip
        """The HTTP road: up to 1,000 positions of the terminal whose token is the bearer; a bad
        position is rejected alone, with its index."""
        token = (authorization or "").removeprefix("Bearer ").strip()
        terminal = await terminals.by_token(db, settings.secret_key, token)
        if terminal is None:
            raise UNAUTHORISED
        if len(data.positions) > ingest.MAX_BATCH:
            raise DomainError("batch_too_large", "每批最多1000个定位点", "at most 1000 positions",
                              status=413)  # fmt: skip
        fixes, rejected = [], []
        for k, raw in enumerate(data.positions):
            try:
                fixes.append(_fix(msgspec.convert(raw, PositionIn)))
            except msgspec.ValidationError as exc:
                rejected.append(Rejected(index=k, code="position_invalid", message=str(exc)))
        out = await ingest.ingest(db, terminal, fixes, Road.HTTP, now)
        return IngestView(accepted=out.accepted, duplicates=out.duplicates, ignored=out.ignored,
                          rejected=rejected, alerts_opened=len(out.opened))  # fmt: skip

    @get("/monitoring/alerts", opt={"roles": WATCHERS})
    async def alert_list(
        self, db: Db, contract_id: str | None = None, type: str | None = None,
        status: str | None = None, severity: str | None = None, region: str | None = None,
    ) -> list[AlertView]:  # fmt: skip
        """Alerts, newest first (filters: contract_id, type, status, severity, region prefix)."""
        found = await alerts.listing(db, contract_id=contract_id, kind=type, status=status,
                                     severity=severity, region=region)  # fmt: skip
        numbers = await _numbers(db, {a.contract_id for a in found})
        return [alert_view(a, numbers.get(a.contract_id, "")) for a in found]

    @get("/monitoring/alerts/{alert_id:str}", opt={"roles": WATCHERS})
    async def alert_detail(self, alert_id: FromPath[str], db: Db) -> AlertView:
        a = await alerts.one(db, alert_id)
        return alert_view(a, (await _numbers(db, {a.contract_id})).get(a.contract_id, ""))

    @post("/monitoring/alerts/{alert_id:str}/ack", opt={"roles": WATCHERS}, status_code=200)
    async def ack(
        self, alert_id: FromPath[str], db: Db, caller: Caller, now: datetime
    ) -> AlertView:
        a = await alerts.acknowledge(db, alert_id, caller, now)
        return alert_view(a, (await _numbers(db, {a.contract_id})).get(a.contract_id, ""))

    @post("/monitoring/alerts/{alert_id:str}/resolve", opt={"roles": WATCHERS}, status_code=200)
    async def resolve(
        self, alert_id: FromPath[str], data: ResolveAlertBody, db: Db, caller: Caller,
        now: datetime,
    ) -> AlertView:  # fmt: skip
        a = await alerts.resolve(db, alert_id, data.outcome, data.note, caller, now)
        return alert_view(a, (await _numbers(db, {a.contract_id})).get(a.contract_id, ""))

    @get("/monitoring/contracts/{contract_id:str}/track", opt={"roles": WATCHERS})
    async def track(
        self, contract_id: FromPath[str], db: Db, caller: Caller, now: datetime,
        hours: int = 24,
    ) -> TrackView:  # fmt: skip
        """The vehicle's positions of the last `hours` (at most 7 days), its plan and alerts."""
        contract = await contracts.get(db, caller, contract_id)
        since = now - timedelta(hours=max(1, min(hours, 24 * 7)))
        ids = list(await db.scalars(select(Terminal.id).where(Terminal.contract_id == contract.id)))
        rows = await db.scalars(
            select(Position).where(Position.terminal_id.in_(ids), Position.fix_time >= since)
            .order_by(Position.fix_time).limit(20_000)
        )  # fmt: skip
        plan = await db.get(MonitoringPlan, contract.id)
        body = plans.body_of(plan) if plan else None
        found = await alerts.listing(db, contract_id=contract.id, kind=None, status=None,
                                     severity=None, region=None, limit=50)  # fmt: skip
        vin = await db.scalar(select(Terminal.vin).where(Terminal.contract_id == contract.id))
        return TrackView(
            contract_id=contract.id, vin=vin,
            points=[TrackPoint(at=p.fix_time, lat=p.lat, lon=p.lon, speed_kmh=p.speed_kmh,
                               implausible=p.implausible) for p in rows],
            route=body.route if body else None, half_width_m=body.half_width_m if body else None,
            regions=body.regions if body else None, provinces=body.provinces if body else None,
            alerts=[alert_view(a, contract.number) for a in found],
            profile=body.profile.value if body else None,
        )  # fmt: skip

    @get("/contracts/{contract_id:str}/vehicle-position", opt={"roles": (Role.LESSEE,)})
    async def lessee_position(
        self, contract_id: FromPath[str], db: Db, caller: Caller
    ) -> LastPositionView:
        """A lessee sees their vehicle's last position only where the contract allows it."""
        contract = await contracts.get(db, caller, contract_id)
        plan = await db.get(MonitoringPlan, contract.id)
        if plan is None or not plan.lessee_sees_position:
            raise DomainError("position_not_shared", "本合同不向承租人展示车辆位置",
                              "this contract does not show the position", status=403)  # fmt: skip
        last: dict[str, Any] | None = await db.scalar(
            select(RuleState.last_fix).join(Terminal, Terminal.id == RuleState.terminal_id)
            .where(Terminal.contract_id == contract.id).limit(1)
        )  # fmt: skip
        if last is None:
            return LastPositionView(contract_id=contract.id, at=None, lat=None, lon=None)
        fix = msgspec.convert(last, Fix)
        return LastPositionView(contract_id=contract.id, at=fix.at, lat=fix.lat, lon=fix.lon)

    @get("/monitoring/zones", opt={"roles": WATCHERS})
    async def zone_list(self, db: Db) -> list[Zone]:
        return await silence.zones(db)

    @put("/monitoring/zones", opt={"roles": WATCHERS})
    async def zone_replace(
        self, data: list[Zone], db: Db, caller: Caller, now: datetime
    ) -> list[Zone]:
        """Replace the congestion zones, tunnels and garages signal loss is judged against."""
        return await silence.replace_zones(db, data, caller, now)


MONITORING_ROUTES = [MonitoringController]
