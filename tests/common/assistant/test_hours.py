"""People answer every day 09:00–21:00 Asia/Shanghai, whatever the server's time zone."""

from __future__ import annotations

from datetime import UTC, datetime

from common.assistant.hours import SERVICE_HOURS


def test_working_hours_are_shanghais():
    assert SERVICE_HOURS.is_open(datetime(2026, 6, 10, 1, 0, tzinfo=UTC))  # 09:00
    assert not SERVICE_HOURS.is_open(datetime(2026, 6, 10, 13, 0, tzinfo=UTC))  # 21:00
    assert not SERVICE_HOURS.is_open(datetime(2026, 6, 9, 19, 0, tzinfo=UTC))  # 03:00


def test_the_next_opening_is_this_morning_or_tomorrows():
    night = SERVICE_HOURS.next_opening(datetime(2026, 6, 9, 19, 0, tzinfo=UTC))  # 03:00 on the 10th
    assert night.isoformat() == "2026-06-10T09:00:00+08:00"
    late = SERVICE_HOURS.next_opening(datetime(2026, 6, 10, 14, 0, tzinfo=UTC))  # 22:00
    assert late.isoformat() == "2026-06-11T09:00:00+08:00"
