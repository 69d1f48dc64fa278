"""Tables of floor-plan financing 库存融资 (`common.floorplan`): a dealer's credit line, the
vehicles financed on it (units) and their repayments, stock audits 盘库 with their scans and the
alerts they raise, and the temporary limit increases 临时提额 with the rule that grants them.

A VIN is financed at most once at a time: `financed_vin` holds it while the unit is owed and is
cleared (NULL, which a unique constraint never counts) once the unit is paid off, so the same
vehicle may come back later (a trade-in) under a new unit.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, UTCDateTime
from common.api import limits
from common.ledger import REFERENCE_LENGTH

PAYEE_LENGTH = 100
MODEL_LENGTH = 40
RATE_LENGTH = 12  # an annual percent, "6.5"


class FloorplanLine(IdMixin, Base):
    """授信额度: one per dealer organisation; `plan` is `common.floorplan.CurtailmentPlan`."""

    __tablename__ = "floorplan_lines"
    dealer_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), unique=True)
    limit_fen: Mapped[int] = mapped_column(BigInteger)
    annual_rate_percent: Mapped[str] = mapped_column(String(RATE_LENGTH))
    max_days: Mapped[int] = mapped_column(Integer)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10))  # active | suspended
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own protocol


class FloorplanUnit(IdMixin, Base):
    """A financed vehicle 融资车辆. `terms` are the line's at the drawdown (rate, max days, plan):
    changing the line later applies to new units only."""

    __tablename__ = "floorplan_units"
    line_id: Mapped[str] = mapped_column(ForeignKey("floorplan_lines.id"))
    dealer_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    vin: Mapped[str] = mapped_column(String(limits.VIN), index=True)
    financed_vin: Mapped[str | None] = mapped_column(String(limits.VIN), unique=True)
    model: Mapped[str] = mapped_column(String(MODEL_LENGTH))
    payee: Mapped[str] = mapped_column(String(PAYEE_LENGTH))
    principal_fen: Mapped[int] = mapped_column(BigInteger)  # the invoice amount financed
    principal_left_fen: Mapped[int] = mapped_column(BigInteger)
    interest_billed_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    interest_paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    terms: Mapped[dict[str, Any]] = mapped_column(JSON)
    drawn_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)  # common.api.floorplan.UnitStatus
    overdue_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # as of the last daily run
    overdue_since: Mapped[date | None] = mapped_column(Date)
    paid_off_on: Mapped[date | None] = mapped_column(Date)
    contract_id: Mapped[str | None] = mapped_column(String(32))  # the lease that repaid it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # the order of GET /api/floorplan/units (newest drawdown first), read a page at a time
    __table_args__ = (Index("ix_floorplan_units_dealer_drawn", "dealer_id", "drawn_on", "id"),)


class FloorplanRepayment(IdMixin, Base):
    """Money back on a unit: a curtailment 还本, the payoff 结清, or the set-off of a sale."""

    __tablename__ = "floorplan_repayments"
    unit_id: Mapped[str] = mapped_column(ForeignKey("floorplan_units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # curtailment | payoff | sale
    paid_on: Mapped[date] = mapped_column(Date)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    interest_fen: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str] = mapped_column(String(REFERENCE_LENGTH))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    __table_args__ = (UniqueConstraint("unit_id", "reference"),)


class FloorplanAudit(IdMixin, Base):
    """盘库: the dealer scans every unit financed when it opened, by `deadline` (a business day,
    inclusive); once closed, the units not scanned are alerts."""

    __tablename__ = "floorplan_audits"
    dealer_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    opened_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), index=True)  # open | closed
    unit_ids: Mapped[list[str]] = mapped_column(JSON)  # the units to scan, fixed at opening
    opened_by: Mapped[str | None] = mapped_column(String(32))  # None: the monthly job
    # the job opens one per dealer and month: "2026-03" (NULL for an admin's own)
    period: Mapped[str | None] = mapped_column(String(7))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    __table_args__ = (UniqueConstraint("dealer_id", "period"),)


class FloorplanAuditScan(IdMixin, Base):
    """One unit seen on the lot, with its photo (processed like intake photos: no metadata)."""

    __tablename__ = "floorplan_audit_scans"
    audit_id: Mapped[str] = mapped_column(ForeignKey("floorplan_audits.id"), index=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("floorplan_units.id"))
    photo_path: Mapped[str] = mapped_column(String(200))
    thumb_path: Mapped[str | None] = mapped_column(String(200))  # None: scanned before 0026
    photo_sha256: Mapped[str] = mapped_column(String(64))
    scanned_by: Mapped[str] = mapped_column(String(32))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime())
    __table_args__ = (UniqueConstraint("audit_id", "unit_id"),)


class FloorplanAlert(IdMixin, Base):
    """A unit an audit did not find 疑似售出未还款 (sold out of trust)."""

    __tablename__ = "floorplan_alerts"
    dealer_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("floorplan_units.id"))
    audit_id: Mapped[str] = mapped_column(ForeignKey("floorplan_audits.id"))
    kind: Mapped[str] = mapped_column(String(24))  # sold_out_of_trust
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime())
    __table_args__ = (UniqueConstraint("audit_id", "unit_id"),)


class FloorplanIncreaseRule(IdMixin, Base):
    """A published version of the temporary-increase rule (`common.floorplan_limits.
    IncreaseRule` as builtins); the highest version is in force."""

    __tablename__ = "floorplan_increase_rules"
    version: Mapped[int] = mapped_column(Integer, unique=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(String(200), default="")
    published_by: Mapped[str | None] = mapped_column(String(32))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FloorplanLimitIncrease(IdMixin, Base):
    """临时提额: granted when a model's weekly sell-through spikes, until `expires_on` (exclusive).
    One per line, model and ISO week, so the daily job grants it once."""

    __tablename__ = "floorplan_limit_increases"
    line_id: Mapped[str] = mapped_column(ForeignKey("floorplan_lines.id"), index=True)
    model: Mapped[str] = mapped_column(String(MODEL_LENGTH))
    week: Mapped[str] = mapped_column(String(8))  # ISO week of the spike, "2026-W10"
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    granted_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    z_score: Mapped[str] = mapped_column(String(16))
    rule_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    __table_args__ = (UniqueConstraint("line_id", "model", "week"),)
