"""Tables of monitoring 租后资产监控: terminals on leased vehicles, each contract's monitoring
plan (route corridor, allowed regions, reporting SLA, hysteresis), the positions they report,
the rule state per terminal (so a restart loses nothing), and the alerts.

`positions` is keyed by (terminal, fix time): a fix reported twice is one row. On PostgreSQL it
is partitioned by day (`backend.monitoring.partitions`); its partitions are not in the models.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, UTCDateTime

PHONE = 20  # JT/T 808 terminal phone number: 12 digits (2013), 20 (2019)


class Terminal(IdMixin, Base):
    """A GPS terminal 车载终端 installed on a contract's vehicle."""

    __tablename__ = "terminals"
    phone: Mapped[str] = mapped_column(String(PHONE), unique=True)  # as JT/T 808 knows it
    imei: Mapped[str] = mapped_column(String(17), unique=True)
    sim: Mapped[str | None] = mapped_column(String(20))
    vin: Mapped[str] = mapped_column(String(17))
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # HTTP and MQTT: keyed hash
    auth_code: Mapped[str | None] = mapped_column(String(32))  # JT/T 808: given at 0x8100
    registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # JT/T 808 0x0100
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MonitoringPlan(Base):
    """What a contract's vehicle is watched against; one per contract, versioned by `version`."""

    __tablename__ = "monitoring_plans"
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), primary_key=True)
    profile: Mapped[str] = mapped_column(String(20))  # common.monitoring.profiles
    route: Mapped[list[Any] | None] = mapped_column(JSON)  # [[lon, lat], ...] WGS-84
    half_width_m: Mapped[int] = mapped_column(Integer, default=500)
    regions: Mapped[list[Any] | None] = mapped_column(JSON)  # [[[lon, lat], ...], ...]
    provinces: Mapped[list[Any] | None] = mapped_column(JSON)  # GB/T 2260 codes ["11", ...]
    schedule: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # weekdays, hours of the route
    lessee_sees_position: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Position(Base):
    __tablename__ = "positions"
    terminal_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    fix_time: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    road: Mapped[str] = mapped_column(String(6))  # jt808 | mqtt | http
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    speed_kmh: Mapped[float] = mapped_column(Float, default=0.0)
    heading: Mapped[int] = mapped_column(SmallInteger, default=0)
    altitude_m: Mapped[int] = mapped_column(Integer, default=0)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    satellites: Mapped[int | None] = mapped_column(SmallInteger)
    ignition: Mapped[bool | None] = mapped_column(Boolean)
    tamper: Mapped[str] = mapped_column(String(60), default="")  # comma-separated Tamper values
    implausible: Mapped[str | None] = mapped_column(String(20))  # why the rules ignore it

    __table_args__ = ({"postgresql_partition_by": "RANGE (fix_time)"},)


class RuleState(Base):
    """Where each rule stands for a terminal, and its last believed fix."""

    __tablename__ = "monitoring_rule_states"
    terminal_id: Mapped[str] = mapped_column(ForeignKey("terminals.id"), primary_key=True)
    last_fix: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # common.monitoring.fix.Fix
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # any report, received
    states: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # rule -> Outside
    plan_version: Mapped[int] = mapped_column(Integer, default=0)


class Alert(IdMixin, Base):
    """An alert 预警: open -> acknowledged -> resolved / false_alarm. `open_key` is set while it
    is not closed (terminal:type), under a unique index, so one condition is one alert."""

    __tablename__ = "monitoring_alerts"
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    terminal_id: Mapped[str] = mapped_column(ForeignKey("terminals.id"))
    vin: Mapped[str] = mapped_column(String(17))
    type: Mapped[str] = mapped_column(String(12))  # deviation | region | signal_loss | tamper
    severity: Mapped[str] = mapped_column(String(8))  # info | warning | critical
    status: Mapped[str] = mapped_column(String(12))
    open_key: Mapped[str | None] = mapped_column(String(48), unique=True)
    condition_ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # back inside...
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    acknowledged_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(String(500), default="")
    region_code: Mapped[str | None] = mapped_column(String(6))  # the lessee's, for filters
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # reasons, fix times

    __table_args__ = (Index("ix_monitoring_alerts_status_opened", "status", "opened_at"),)


class MonitoringZone(IdMixin, Base):
    """A known congestion zone, tunnel or underground garage (signal loss is judged against
    them); shipped in assets/monitoring/zones.json, edited by monitors."""

    __tablename__ = "monitoring_zones"
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(12))  # common.monitoring.signal.ZoneKind
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    radius_m: Mapped[float] = mapped_column(Float)
    hours: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[from, to], ...] Shanghai
