"""Reminders HTTP 提醒: the lessee's notifications and reminder settings, a contract's service
dates (insurance end, registration) for the insurance and 年检 reminders."""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, get, post, put
from litestar.params import FromPath

from backend.auth.principal import Caller
from backend.contracts import service as contracts
from backend.db.deps import Db
from backend.reminders import service
from common.api.auth import Role
from common.api.reminders import (
    NotificationView,
    ReminderPreferences,
    ServiceDatesRequest,
    ServiceDatesView,
)
from common.business_day import business_date

LESSEE = (Role.LESSEE,)


class RemindersController(Controller):
    path = "/api"
    tags = ["reminders"]  # noqa: RUF012

    @get("/me/notifications", opt={"roles": LESSEE})
    async def notifications(self, db: Db, caller: Caller) -> list[NotificationView]:
        return await service.notifications(db, caller)

    @post("/me/notifications/{notification_id:str}/read", opt={"roles": LESSEE},
          status_code=200)  # fmt: skip
    async def read(
        self, notification_id: FromPath[str], db: Db, caller: Caller, now: datetime
    ) -> NotificationView:
        return await service.mark_read(db, caller, notification_id, now)

    @get("/me/reminder-preferences", opt={"roles": LESSEE})
    async def preferences(self, db: Db, caller: Caller) -> ReminderPreferences:
        return await service.preferences(db, caller)

    @put("/me/reminder-preferences", opt={"roles": LESSEE})
    async def set_preferences(
        self, data: ReminderPreferences, db: Db, caller: Caller, now: datetime
    ) -> ReminderPreferences:
        return await service.set_preferences(db, caller, data, now)

    @get("/contracts/{contract_id:str}/service-dates",
         opt={"roles": (Role.LESSEE, Role.MONITOR, Role.ADMIN)})  # fmt: skip
    async def service_dates(
        self, contract_id: FromPath[str], db: Db, caller: Caller, now: datetime
    ) -> ServiceDatesView:
        contract = await contracts.get(db, caller, contract_id)
        return await service.service_dates(db, contract, business_date(now))

    @put("/contracts/{contract_id:str}/service-dates", opt={"roles": LESSEE})
    async def set_service_dates(
        self, contract_id: FromPath[str], data: ServiceDatesRequest, db: Db, caller: Caller,
        now: datetime,
    ) -> ServiceDatesView:  # fmt: skip
        contract = await contracts.get(db, caller, contract_id)
        return await service.set_service_dates(db, contract, data, now, business_date(now))


REMINDER_ROUTES = [RemindersController]
