"""A lessee's side of reminders: the in-app notifications 消息, the reminder steps they opted out
of 提醒设置 (the mandatory overdue notices excepted), and the service dates 服务包 of a vehicle."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.principal import Principal
from backend.db.base import new_id
from backend.db.models import Contract, Notification, ReminderPreference, ServiceDates
from backend.db.upsert import upsert_ignore
from common.api.reminders import (
    NotificationView,
    ReminderPreferences,
    ServiceDatesRequest,
    ServiceDatesView,
    StepPreference,
)
from common.errors import DomainError, NotFound
from common.reminders import VehicleClass, next_inspection, step_label
from common.servicing.policy import STANDARD, ServicingPolicy

NOTIFICATION_NOT_FOUND = NotFound("notification_not_found", "消息不存在", "No such notification")
LIMIT = 100


def _view(n: Notification) -> NotificationView:
    return NotificationView(id=n.id, kind=n.kind, title=n.title, body=n.body,
                            created_at=n.created_at, read_at=n.read_at,
                            contract_id=n.contract_id)  # fmt: skip


async def notifications(db: AsyncSession, caller: Principal) -> list[NotificationView]:
    if caller.customer_id is None:
        return []
    rows = await db.scalars(
        select(Notification)
        .where(Notification.customer_id == caller.customer_id)
        .order_by(Notification.created_at.desc(), Notification.id)
        .limit(LIMIT)
    )
    return [_view(n) for n in rows]


async def mark_read(
    db: AsyncSession, caller: Principal, notification_id: str, now: datetime
) -> NotificationView:
    n = await db.get(Notification, notification_id) if len(notification_id) <= 32 else None
    if n is None or caller.customer_id is None or n.customer_id != caller.customer_id:
        raise NOTIFICATION_NOT_FOUND  # another lessee's answers like a missing one
    if n.read_at is None:
        n.read_at = now
    return _view(n)


async def preferences(
    db: AsyncSession, caller: Principal, policy: ServicingPolicy = STANDARD
) -> ReminderPreferences:
    off: set[int] = set()
    if caller.customer_id is not None:
        off = set(
            await db.scalars(
                select(ReminderPreference.step).where(
                    ReminderPreference.customer_id == caller.customer_id,
                    ReminderPreference.enabled.is_(False),
                )
            )
        )
    return ReminderPreferences(steps=[
        StepPreference(step=s, enabled=s not in off, label=step_label(s),
                       mandatory=s in policy.mandatory_reminder_days)
        for s in policy.reminder_days
    ])  # fmt: skip


async def set_preferences(
    db: AsyncSession, caller: Principal, body: ReminderPreferences, now: datetime,
    policy: ServicingPolicy = STANDARD,
) -> ReminderPreferences:  # fmt: skip
    for p in body.steps:
        if p.step not in policy.reminder_days:
            raise DomainError("reminder_step_unknown", "没有这个提醒节点", "no such reminder step",
                              fields={"steps": "reminder_step_unknown"})  # fmt: skip
        if not p.enabled and p.step in policy.mandatory_reminder_days:
            raise DomainError(
                "reminder_mandatory", f"逾期提醒（{step_label(p.step)}）不可关闭",
                f"the overdue notice {step_label(p.step)} cannot be turned off",
                fields={"steps": "reminder_mandatory"},
            )  # fmt: skip
    if caller.customer_id is None:
        raise NotFound("customer_not_found", "账户未绑定承租人", "account has no lessee")
    for p in body.steps:
        await db.execute(upsert_ignore(
            db, ReminderPreference, ["customer_id", "step"], customer_id=caller.customer_id,
            step=p.step, enabled=p.enabled, updated_at=now, id=new_id(),
        ))  # fmt: skip
        row = await db.scalar(select(ReminderPreference).where(
            ReminderPreference.customer_id == caller.customer_id,
            ReminderPreference.step == p.step))  # fmt: skip
        assert row is not None
        row.enabled, row.updated_at = p.enabled, now
    await db.flush()
    return await preferences(db, caller, policy)


def _dates_view(contract: Contract, dates: ServiceDates | None, today: date) -> ServiceDatesView:
    if dates is None:
        return ServiceDatesView(contract_id=contract.id, insurance_ends_on=None,
                                registered_on=None, vehicle_class=VehicleClass.PASSENGER.value,
                                next_inspection=None)  # fmt: skip
    nxt = None if dates.registered_on is None else next_inspection(
        dates.registered_on, VehicleClass(dates.vehicle_class), today)  # fmt: skip
    return ServiceDatesView(contract_id=contract.id, insurance_ends_on=dates.insurance_ends_on,
                            registered_on=dates.registered_on,
                            vehicle_class=dates.vehicle_class, next_inspection=nxt)  # fmt: skip


async def service_dates(db: AsyncSession, contract: Contract, today: date) -> ServiceDatesView:
    return _dates_view(contract, await db.get(ServiceDates, contract.id), today)


async def set_service_dates(
    db: AsyncSession, contract: Contract, body: ServiceDatesRequest, now: datetime, today: date
) -> ServiceDatesView:
    dates = await db.get(ServiceDates, contract.id)
    if body.insurance_ends_on is None and body.registered_on is None:
        if dates is not None:  # both cleared: the reminders are off
            await db.delete(dates)
            await db.flush()
        return _dates_view(contract, None, today)
    if body.registered_on is not None and body.registered_on > today:
        raise DomainError("registered_on_invalid", "登记日期不能晚于今天",
                          "registration date is in the future",
                          fields={"registered_on": "registered_on_invalid"})  # fmt: skip
    if dates is None:
        dates = ServiceDates(contract_id=contract.id)
        db.add(dates)
    dates.insurance_ends_on, dates.registered_on = body.insurance_ends_on, body.registered_on
    dates.vehicle_class, dates.updated_at = body.vehicle_class.value, now
    await db.flush()
    return _dates_view(contract, dates, today)
