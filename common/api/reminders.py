"""Wire types of reminders 提醒: a lessee's notifications, reminder preferences, service dates."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from common.reminders import VehicleClass


class NotificationView(msgspec.Struct, kw_only=True):
    id: str
    kind: str
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None
    contract_id: str | None = None


class StepPreference(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    step: int  # days from the due date: -3, 0, 1, 3, 7
    enabled: bool
    label: str = ""  # T-3, T0, T+1 ... (ignored on input)
    mandatory: bool = False  # cannot be turned off (ignored on input)


class ReminderPreferences(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    steps: list[StepPreference]


class ServiceDatesRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Entering a date turns its reminders on (30 and 7 days before); null turns them off."""

    insurance_ends_on: date | None = None
    registered_on: date | None = None
    vehicle_class: VehicleClass = VehicleClass.PASSENGER


class ServiceDatesView(msgspec.Struct, kw_only=True):
    contract_id: str
    insurance_ends_on: date | None
    registered_on: date | None
    vehicle_class: str
    next_inspection: date | None
