"""Calendar rules for schedules: monthly due dates anchored on a day of the month.

The IRR's time axis is not calendar months but the schedule's periods (see `common.irr`): whole
periods, and a broken first period (破期) as its days x 12 / days_in_year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def month_length(year: int, month: int) -> int:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 29 if month == 2 and leap else _MONTH_DAYS[month - 1]


def add_months(d: date, months: int, day: int | None = None) -> date:
    """`d` moved by whole months, on `day` (default d.day) clamped to the month's end.

    Passing the anchor day keeps a 31st-of-month contract on the 31st where it exists:
    Jan 31 -> Feb 28/29 -> Mar 31, never drifting to the 28th.
    """
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    want = d.day if day is None else day
    return date(year, month0 + 1, min(want, month_length(year, month0 + 1)))


def regular_due_dates(first_due: date, count: int, day: int | None = None) -> list[date]:
    """`count` monthly due dates starting at `first_due`, anchored on `day` (default its day)."""
    anchor = first_due.day if day is None else day
    year, month = first_due.year, first_due.month
    dates = []
    for _ in range(count):
        dates.append(date(year, month, min(anchor, month_length(year, month))))
        if month == 12:
            year, month = year + 1, 1
        else:
            month += 1
    return dates


class DayCount(StrEnum):
    """A named day-count basis 计息基准: how many days make the year a daily rate divides by."""

    ACT_360 = "ACT/360"  # 人民币贷款: 日利率 = 年利率 / 360 (the PBoC convention)
    ACT_365F = "ACT/365F"  # fixed 365, leap years included

    @property
    def days_in_year(self) -> int:
        return 360 if self is DayCount.ACT_360 else 365

    def interest(self, principal_fen: int, annual_percent: Decimal, days: int) -> Fraction:
        """principal x annual % / 100 / days_in_year x actual days, exactly (no rounding here:
        the caller rounds once, with `common.money.div_half_up`)."""
        num, den = annual_percent.as_integer_ratio()
        return Fraction(principal_fen * num * days, den * 100 * self.days_in_year)
