"""The business day 营业日: AutoLease's days are Asia/Shanghai's, wherever a server runs."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")


def business_date(now: datetime) -> date:
    """The Shanghai date of an aware instant: what ages, model years and due dates are judged on."""
    return now.astimezone(BUSINESS_TZ).date()


def business_day_start(now: datetime) -> datetime:
    """Midnight Asia/Shanghai of ``now``'s business day, as an aware datetime."""
    return now.astimezone(BUSINESS_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
