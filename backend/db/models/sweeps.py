"""Tables of the daily sweeps 日终批处理: the job ticks that make a sweep run once per tick across
workers, the collections queue 催收, reminders 还款提醒 and in-app notifications, the lessee's
reminder preferences, and the service dates (insurance end, registration) of a vehicle.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, UTCDateTime


class JobTick(IdMixin, Base):
    """One run of a periodic job for one tick (a business date, ISO). The unique (job, tick) is the
    lease: the worker whose INSERT wins runs it; a tick started and never finished within the lease
    timeout may be taken over (backend/jobs/ticks.py)."""

    __tablename__ = "job_ticks"
    job: Mapped[str] = mapped_column(String(40))
    tick: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    worker: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    __table_args__ = (UniqueConstraint("job", "tick"),)


class CollectionCase(IdMixin, Base):
    """A contract in arrears on the collections queue 催收案件: opened when it enters M1, closed
    when it is back to M0. One case per (contract, day it opened)."""

    __tablename__ = "collection_cases"
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    opened_on: Mapped[date] = mapped_column(Date)
    bucket: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(10), index=True)  # open | promised | closed
    assigned_to: Mapped[str | None] = mapped_column(String(32))
    next_action_on: Mapped[date | None] = mapped_column(Date)
    promise_date: Mapped[date | None] = mapped_column(Date)
    promise_fen: Mapped[int | None] = mapped_column(BigInteger)
    last_action_kind: Mapped[str | None] = mapped_column(String(20))
    last_action_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_on: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (UniqueConstraint("contract_id", "opened_on"),)


class CollectionAction(IdMixin, Base):
    """What a collector did on a case: a call note, a promise to pay, a field visit, an
    escalation."""

    __tablename__ = "collection_actions"
    case_id: Mapped[str] = mapped_column(ForeignKey("collection_cases.id"), index=True)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)
    promise_date: Mapped[date | None] = mapped_column(Date)
    promise_fen: Mapped[int | None] = mapped_column(BigInteger)
    actor_id: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Reminder(IdMixin, Base):
    """One reminder of one step on one channel: rent (`kind` "rent", `number` the instalment of
    `revision`, `step` days from its due date) or a service date ("insurance" / "inspection",
    `number` the due date as yyyymmdd, revision 0). Unique, so a step is reminded once; `pending`
    until sent at or after `send_after` (quiet hours defer it)."""

    __tablename__ = "reminders"
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    customer_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(12))
    revision: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    step: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(8))  # sms | app
    due_date: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(10))  # pending | sent | skipped
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    send_after: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message_id: Mapped[str | None] = mapped_column(String(32))
    __table_args__ = (
        UniqueConstraint("contract_id", "kind", "revision", "number", "step", "channel"),
        Index("ix_reminders_pending", "status", "send_after"),
    )


class Notification(IdMixin, Base):
    """An in-app notification 站内消息 to a lessee."""

    __tablename__ = "notifications"
    customer_id: Mapped[str] = mapped_column(String(32), index=True)
    contract_id: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReminderPreference(IdMixin, Base):
    """A lessee's choice for one rent reminder step (days from the due date): no row = on."""

    __tablename__ = "reminder_preferences"
    customer_id: Mapped[str] = mapped_column(String(32))
    step: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    __table_args__ = (UniqueConstraint("customer_id", "step"),)


class ServiceDates(Base):
    """The lessee's service package 服务包 dates for a contract's vehicle (opt-in: entering them
    turns the insurance and 年检 reminders on; clearing them turns them off)."""

    __tablename__ = "service_dates"
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), primary_key=True)
    insurance_ends_on: Mapped[date | None] = mapped_column(Date)
    registered_on: Mapped[date | None] = mapped_column(Date)
    vehicle_class: Mapped[str] = mapped_column(String(12))  # passenger | commercial
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
