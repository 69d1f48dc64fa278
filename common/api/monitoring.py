"""Wire types of monitoring 租后资产监控 (terminals, positions, plans, alerts, tracks)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from common.monitoring.fix import Tamper
from common.monitoring.profiles import ProfileName


class TerminalBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A terminal registered at installation (staff, monitor, admin)."""

    phone: str  # the terminal phone number as JT/T 808 knows it (11-12 digits; 20 in 2019)
    imei: str
    vin: str
    contract_id: str
    sim: str | None = None


class PlanBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A contract's monitoring plan 监控方案: what its vehicle is watched against."""

    profile: ProfileName = ProfileName.PASSENGER
    route: list[tuple[float, float]] | None = None  # [lon, lat] WGS-84
    half_width_m: int = 500
    regions: list[list[tuple[float, float]]] | None = None  # drawn polygons [lon, lat]
    provinces: list[str] | None = None  # GB/T 2260 province codes, e.g. ["11", "12", "13"]
    schedule: dict[str, Any] | None = None  # {"weekdays": [1..7], "hours": [from, to]}
    lessee_sees_position: bool = False


class TerminalView(msgspec.Struct, kw_only=True):
    id: str
    phone: str  # masked
    imei: str
    vin: str
    contract_id: str
    registered_at: datetime | None  # JT/T 808 registration
    last_seen_at: datetime | None = None
    token: str | None = None  # shown once, at registration: HTTP and MQTT


class PositionIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """One fix of an HTTP batch (WGS-84 degrees; `at` with its zone)."""

    at: datetime
    lat: float
    lon: float
    speed_kmh: float = 0.0
    heading: int = 0
    altitude_m: int = 0
    accuracy_m: float | None = None
    satellites: int | None = None
    ignition: bool | None = None
    tamper: list[Tamper] = msgspec.field(default_factory=list)


class PositionBatch(msgspec.Struct, kw_only=True):
    positions: list[Any]  # each checked alone: one bad position rejects only itself


class Rejected(msgspec.Struct, kw_only=True):
    index: int
    code: str
    message: str


class IngestView(msgspec.Struct, kw_only=True):
    accepted: int
    duplicates: int
    ignored: int  # stored but implausible (the rules did not use them)
    rejected: list[Rejected]
    alerts_opened: int


class AlertView(msgspec.Struct, kw_only=True):
    id: str
    contract_id: str
    contract_number: str
    vin: str
    type: str
    type_label: str
    severity: str
    status: str
    opened_at: datetime
    condition_ended_at: datetime | None
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    resolved_by: str | None
    resolved_at: datetime | None
    note: str
    region_code: str | None
    reasons: list[str]
    lat: float | None
    lon: float | None
    fixes: list[str]  # fix times (ISO) of the positions that caused it


class ResolveAlertBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    outcome: str  # resolved | false_alarm
    note: str


class TrackPoint(msgspec.Struct, kw_only=True, array_like=True):
    at: datetime
    lat: float
    lon: float
    speed_kmh: float
    implausible: str | None


class TrackView(msgspec.Struct, kw_only=True):
    contract_id: str
    vin: str | None
    points: list[TrackPoint]  # WGS-84, oldest first
    route: list[tuple[float, float]] | None  # [lon, lat]
    half_width_m: int | None
    regions: list[list[tuple[float, float]]] | None  # drawn polygons
    provinces: list[str] | None = None  # allowed provinces' GB/T 2260 codes
    alerts: list[AlertView]
    profile: str | None


class LastPositionView(msgspec.Struct, kw_only=True):
    """What a lessee may see of their vehicle, when the contract allows it."""

    contract_id: str
    at: datetime | None
    lat: float | None
    lon: float | None
