"""Reminder rules, pure: steps on a day, quiet hours in Asia/Shanghai across midnight, the 年检
rule for private passenger cars and commercial vehicles."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from common.reminders import (
    VehicleClass,
    in_quiet_hours,
    next_inspection,
    send_after,
    step_label,
    steps_on,
)

Q = (time(21, 0), time(8, 0))


def sh(y: int, m: int, d: int, h: int, mi: int = 0) -> datetime:
    """A Shanghai wall-clock time as UTC."""
    return datetime(y, m, d, h, mi, tzinfo=UTC).replace(hour=(h - 8) % 24) if h >= 8 else (
        datetime(y, m, d - 1, h + 16, mi, tzinfo=UTC))  # fmt: skip


def test_steps_fall_on_the_due_date_plus_the_step() -> None:
    due = date(2026, 3, 10)
    steps = (-3, 0, 1, 3, 7)
    assert steps_on(date(2026, 3, 7), due, steps) == [-3]
    assert steps_on(date(2026, 3, 17), due, steps) == [7]
    assert steps_on(date(2026, 3, 12), due, steps) == []
    assert [step_label(s) for s in steps] == ["T-3", "T0", "T+1", "T+3", "T+7"]


def test_quiet_hours_span_midnight_and_defer_to_eight() -> None:
    assert in_quiet_hours(sh(2026, 3, 7, 22), *Q) and in_quiet_hours(sh(2026, 3, 7, 7, 59), *Q)
    assert not in_quiet_hours(sh(2026, 3, 7, 8), *Q)
    assert not in_quiet_hours(sh(2026, 3, 7, 20, 59), *Q)
    assert send_after(sh(2026, 3, 7, 22), *Q) == sh(2026, 3, 8, 8)  # evening: next morning
    assert send_after(sh(2026, 3, 7, 0, 30), *Q) == sh(2026, 3, 7, 8)  # after midnight: today
    assert send_after(sh(2026, 3, 7, 12), *Q) == sh(2026, 3, 7, 12)


def test_inspection_years() -> None:
    reg = date(2020, 4, 8)
    car = VehicleClass.PASSENGER
    assert next_inspection(reg, car, date(2021, 1, 1)) == date(2026, 4, 8)  # exempt 6 years
    assert next_inspection(reg, car, date(2026, 4, 9)) == date(2028, 4, 8)
    assert next_inspection(reg, car, date(2028, 4, 9)) == date(2030, 4, 8)
    assert next_inspection(reg, car, date(2030, 4, 9)) == date(2031, 4, 8)  # yearly after 10
    truck = VehicleClass.COMMERCIAL
    assert next_inspection(reg, truck, date(2020, 4, 9)) == date(2021, 4, 8)
    assert next_inspection(date(2024, 2, 29), truck, date(2024, 3, 1)) == date(2025, 2, 28)
