"""Reminders 还款提醒 and service-date reminders 服务提醒, pure: which steps fall on a day, when a
message may go out (quiet hours 免打扰时段), the 年检 (annual inspection) due dates, the texts.

Steps are days relative to a due date: -3 is three days before (T-3), 0 the due date, 7 a week
after (T+7). A reminder of step s for an instalment due on d is due on the business day d + s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from common.business_day import BUSINESS_TZ
from common.money import from_fen


class ReminderKind(StrEnum):
    RENT = "rent"  # 还款提醒
    INSURANCE = "insurance"  # 保险续保
    INSPECTION = "inspection"  # 年检


class VehicleClass(StrEnum):
    PASSENGER = "passenger"  # 非营运小微型载客汽车
    COMMERCIAL = "commercial"  # 营运车辆、货车


SERVICE_STEPS = (-30, -7)  # insurance and inspection: 30 and 7 days before the date


def step_label(step: int) -> str:
    return "T0" if step == 0 else f"T{step:+d}"


def steps_on(day: date, due_date: date, steps: Iterable[int]) -> list[int]:
    """The steps of an instalment due on `due_date` that fall on `day`."""
    return [s for s in steps if due_date + timedelta(days=s) == day]


def in_quiet_hours(at: datetime, quiet_from: time, quiet_until: time) -> bool:
    """Whether `at` (aware) falls in the quiet hours, read in Asia/Shanghai; the window may span
    midnight (21:00-08:00)."""
    t = at.astimezone(BUSINESS_TZ).time()
    if quiet_from <= quiet_until:
        return quiet_from <= t < quiet_until
    return t >= quiet_from or t < quiet_until


def send_after(at: datetime, quiet_from: time, quiet_until: time) -> datetime:
    """The first instant at or after `at` outside the quiet hours: `at` itself, or the next
    `quiet_until` in Asia/Shanghai."""
    if not in_quiet_hours(at, quiet_from, quiet_until):
        return at
    local = at.astimezone(BUSINESS_TZ)
    until = local.replace(hour=quiet_until.hour, minute=quiet_until.minute, second=0, microsecond=0)
    if until <= local:
        until += timedelta(days=1)
    return until


def _anniversary(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a common year: the 28th
        return start.replace(year=start.year + years, day=28)


def inspection_years(vehicle: VehicleClass, horizon: int = 30) -> list[int]:
    """Years after registration when a 年检 is due, by a documented simple rule: a private
    passenger car is exempt from the on-site check for its first six years and is inspected in
    years 6, 8 and 10, then every year; commercial vehicles and trucks every year."""
    if vehicle is VehicleClass.COMMERCIAL:
        return list(range(1, horizon + 1))
    return [6, 8, *range(10, horizon + 1)]


def next_inspection(registered_on: date, vehicle: VehicleClass, on_or_after: date) -> date | None:
    """The first inspection due date on or after `on_or_after`."""
    for years in inspection_years(vehicle):
        due = _anniversary(registered_on, years)
        if due >= on_or_after:
            return due
    return None


def service_steps_on(day: date, due: date | None) -> list[int]:
    return [] if due is None else steps_on(day, due, SERVICE_STEPS)


@dataclass(frozen=True, slots=True)
class Message:
    title: str
    body: str


def yuan_text(fen: int) -> str:
    return f"¥{from_fen(fen):,.2f}"


def rent_message(contract_number: str, due_date: date, step: int, amount_fen: int) -> Message:
    when = f"{due_date.month}月{due_date.day}日"
    amount = yuan_text(amount_fen)
    if step < 0:
        return Message(
            "还款提醒", f"您的合同{contract_number}将于{when}到期应还{amount}，请按时还款。"
        )
    if step == 0:
        return Message(
            "今日还款", f"您的合同{contract_number}今日（{when}）应还{amount}，请及时还款。"
        )
    return Message(
        "逾期提醒",
        f"您的合同{contract_number}于{when}到期的租金尚欠{amount}，已逾期{step}天，"
        "请尽快还款，逾期将产生罚息。",
    )


def service_message(kind: ReminderKind, contract_number: str, due: date, step: int) -> Message:
    when = f"{due.year}年{due.month}月{due.day}日"
    if kind is ReminderKind.INSURANCE:
        return Message(
            "保险续保提醒",
            f"合同{contract_number}车辆的保险将于{when}到期（还有{-step}天），请及时续保。",
        )
    return Message(
        "年检提醒", f"合同{contract_number}车辆应于{when}前完成年检（还有{-step}天），请及时预约。"
    )
