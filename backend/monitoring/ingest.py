"""The one ingest pipeline 定位接入 every road feeds (JT/T 808, MQTT, HTTP): a terminal's fixes
are judged (plausibility), stored once per (terminal, fix time) — out of order and duplicates
accepted — and the believed new ones, in time order, drive the rules (tamper, corridor,
region, the end of a signal loss), all in the caller's transaction under the terminal's rule
state row lock, so gateways on several machines can feed one terminal without a race and a
restart loses no rule state."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlalchemy import Table, select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Contract, MonitoringPlan, Position, RuleState, Terminal
from backend.db.upsert import upsert_ignore
from backend.monitoring import alerts, plans
from backend.monitoring.alerts import AlertType
from common.monitoring import plausibility
from common.monitoring.fix import Fix, Road
from common.monitoring.hysteresis import Edge, Hysteresis, Outside, step

MAX_BATCH = 1000


@dataclass(slots=True)
class Outcome:
    accepted: int = 0  # new rows
    duplicates: int = 0  # (terminal, fix time) stored before
    ignored: int = 0  # stored, but implausible: the rules did not see them
    opened: list[str] = field(default_factory=list)  # alert ids


async def _state(db: AsyncSession, terminal_id: str) -> RuleState:
    await db.execute(upsert_ignore(db, RuleState, ["terminal_id"], terminal_id=terminal_id,
                                   states={}, plan_version=0))  # fmt: skip
    row = await db.scalar(
        select(RuleState).where(RuleState.terminal_id == terminal_id).with_for_update()
    )
    assert row is not None
    return row


def _row(terminal_id: str, f: Fix, road: Road, now: datetime, why: str | None) -> dict[str, Any]:
    return {
        "terminal_id": terminal_id, "fix_time": f.at, "received_at": now, "road": road.value,
        "lat": f.lat, "lon": f.lon, "speed_kmh": f.speed_kmh, "heading": f.heading,
        "altitude_m": f.altitude_m, "accuracy_m": f.accuracy_m, "satellites": f.satellites,
        "ignition": f.ignition, "tamper": ",".join(t.value for t in f.tamper), "implausible": why,
    }  # fmt: skip


COLUMNS = ("terminal_id", "fix_time", "received_at", "road", "lat", "lon", "speed_kmh",
           "heading", "altitude_m", "accuracy_m", "satellites", "ignition", "tamper",
           "implausible")  # fmt: skip
PG_TYPES = ("text", "timestamp", "timestamp", "text", "float8", "float8", "float8", "int2",
            "int4", "float8", "int2", "bool", "text", "text")  # fmt: skip
# PostgreSQL: one statement whatever the batch, its columns as arrays (unnest): ~10x the rows/s
# of a multi-row VALUES insert, and RETURNING says which rows are new.
PG_INSERT = text(  # built from the constants above, no input: not an injection
    f"INSERT INTO positions ({', '.join(COLUMNS)}) SELECT * FROM unnest("  # noqa: S608
    + ", ".join(f"CAST(:{c} AS {t}[])" for c, t in zip(COLUMNS, PG_TYPES, strict=True))
    + ") ON CONFLICT (terminal_id, fix_time) DO NOTHING RETURNING fix_time"
)


async def _insert(db: AsyncSession, rows: list[dict[str, Any]]) -> set[float]:
    """Insert, skipping (terminal, fix time) stored before; the new fix times (epoch s)."""
    if not rows:
        return set()
    connection = await db.connection()
    if db.get_bind().dialect.name == "postgresql":
        naive = {"fix_time", "received_at"}  # stored as naive UTC (backend.db.base.UTCDateTime)
        columns = {
            c: [r[c].astimezone(UTC).replace(tzinfo=None) if c in naive else r[c] for r in rows]
            for c in COLUMNS
        }
        found = await connection.execute(PG_INSERT, columns)
        return {t.replace(tzinfo=UTC).timestamp() for t in found.scalars()}
    # SQLite: executemany with RETURNING on the Core table (SQLAlchemy's insertmanyvalues; the
    # ORM's bulk path would send RETURNING a row at a time)
    table = Position.__table__
    assert isinstance(table, Table)
    stmt = (
        sqlite.insert(table)
        .on_conflict_do_nothing(index_elements=["terminal_id", "fix_time"])
        .returning(table.c.fix_time)
    )  # fmt: skip
    return {t.timestamp() for t in (await connection.execute(stmt, rows)).scalars()}


def _outside(states: dict[str, Any], rule: str) -> Outside:
    raw = states.get(rule)
    return Outside() if raw is None else msgspec.convert(raw, Outside)


async def _watch(
    db: AsyncSession, terminal: Terminal, contract: Contract, rule: str, kind: AlertType,
    hysteresis: Hysteresis, fixes: Sequence[Fix], inside: Sequence[bool], states: dict[str, Any],
    now: datetime, out: Outcome, describe: Any,
) -> None:  # fmt: skip
    state = _outside(states, rule)
    run: list[str] = []
    for f, ok in zip(fixes, inside, strict=True):
        run = [] if ok else [*run[-19:], f.at.isoformat()]
        edge = step(state, hysteresis, f.at, bool(ok))
        if edge is Edge.OPENED:
            detail = {"fixes": run, "at": f.at.isoformat(), "lat": f.lat, "lon": f.lon,
                      "speed_kmh": f.speed_kmh, "reasons": describe(f)}  # fmt: skip
            opened = await alerts.open_alert(db, terminal, contract, kind, "warning", detail, now)
            if opened is not None:
                out.opened.append(opened.id)
        elif edge is Edge.CLOSED:
            await alerts.condition_ended(
                db, terminal.id, kind, now, f"{f.at.isoformat()} 回到范围内"
            )
    states[rule] = msgspec.to_builtins(state)


async def ingest(
    db: AsyncSession, terminal: Terminal, fixes: Sequence[Fix], road: Road, now: datetime
) -> Outcome:
    """Take `fixes` of `terminal` (at most MAX_BATCH) in the caller's transaction."""
    out = Outcome()
    contract = await db.get(Contract, terminal.contract_id)
    assert contract is not None
    geo = plans.geometry(await db.get(MonitoringPlan, terminal.contract_id))
    state = await _state(db, terminal.id)
    states = dict(state.states or {})
    last = msgspec.convert(state.last_fix, Fix) if state.last_fix else None
    believed: list[Fix] = []
    rows = []
    received = now.timestamp()
    ordered = sorted(fixes, key=lambda f: f.at)
    for f in ordered:
        late = last is not None and f.at <= last.at
        why = plausibility.judge(f, None if late else last, geo.profile.vehicle_class, received)
        rows.append(_row(terminal.id, f, road, now, None if why is None else why.value))
        if why is None and not late:
            believed.append(f)
            last = f
    new = await _insert(db, rows)
    out.accepted = len(new)
    out.duplicates = len(rows) - len(new)
    out.ignored = sum(1 for r in rows if r["implausible"] and r["fix_time"].timestamp() in new)
    fresh = [f for f in believed if f.at.timestamp() in new]
    # tamper: any new report's alarm flags count, with or without a position
    tampered = [f for f in ordered if f.at.timestamp() in new and f.tamper]
    if tampered:
        f = tampered[-1]
        names = {"power_cut": "主电源掉电", "antenna_cut": "GNSS天线被剪断",
                 "antenna_short": "GNSS天线短路"}  # fmt: skip
        what = "、".join(names[t.value] for t in f.tamper)
        detail = {"at": f.at.isoformat(), "lat": f.lat, "lon": f.lon,
                  "tamper": [t.value for t in f.tamper],
                  "reasons": [f"终端报警：{what}"]}  # fmt: skip
        opened = await alerts.open_alert(db, terminal, contract, AlertType.TAMPER, "critical",
                                         detail, now)  # fmt: skip
        if opened is not None:
            out.opened.append(opened.id)
        states["tamper"] = True
    elif states.get("tamper") and fresh:
        await alerts.condition_ended(db, terminal.id, AlertType.TAMPER, now, "终端恢复正常上报")
        states["tamper"] = False
    if fresh and states.get("signal_loss"):
        await alerts.condition_ended(db, terminal.id, AlertType.SIGNAL_LOSS, now,
                                     f"{fresh[0].at.isoformat()} 恢复上报")  # fmt: skip
        states["signal_loss"] = False
    on_route = [f for f in fresh if geo.route_applies(f.at)]
    if geo.corridor is not None and on_route:
        corridor = geo.corridor
        inside = corridor.inside([f.lon for f in on_route], [f.lat for f in on_route])
        await _watch(
            db, terminal, contract, "corridor", AlertType.DEVIATION, geo.profile.corridor,
            on_route, inside.tolist(), states, now, out,
            lambda f: [f"偏离计划路线 {corridor.distance_m(f.lon, f.lat):.0f} 米"
                       f"（走廊宽 {corridor.half_width_m:.0f} 米）"],
        )  # fmt: skip
    if geo.regions is not None and fresh:
        inside = geo.regions.inside([f.lon for f in fresh], [f.lat for f in fresh])
        await _watch(db, terminal, contract, "region", AlertType.REGION, geo.profile.region,
                     fresh, inside.tolist(), states, now, out,
                     lambda f: ["驶出合同允许的行驶区域"])  # fmt: skip
    if last is not None:
        state.last_fix = msgspec.to_builtins(last)
    state.last_seen_at = now
    state.states = states
    return out
