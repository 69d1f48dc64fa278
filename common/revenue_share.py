"""Revenue sharing 电费分账 on a charging-pile equipment lease: the product's rule, pure.

The product carries `RevenueShareTerms`: the lessor's share of the pile's electricity revenue
电费收入 (`share_percent`) and the days after a month's end by which the operator reports it
(`report_due_days`). The rule:

- The contract's scheduled rent is the floor 保底租金: the schedule engine prices the principal
  with it as for any lease, and it falls due as scheduled whatever is reported.
- Revenue is reported by calendar month, for the months the lease's rents fall due in: from the
  month of the first rent to the month of the last (of the schedule in force), once the month
  has ended. The floor of such a month is the rent (principal + interest; not fees, not a
  balloon) falling due in it — one instalment on a monthly schedule. The month's rent is
  max(floor, share × revenue); the share is rounded to the fen by the house rule
  (`common.money.round_fen`, half up).
- What is above the floor, share × revenue - floor when positive, is variable rent 可变租金 (IFRS
  16: a variable payment that does not depend on an index, so income when earned and never in
  the lease receivable). It is charged once per contract and month, when the report arrives,
  on the first instalment due on or after that day (the last one if none is), and paid through
  the same allocation as the rent.
- A month whose report is not in by its due date is overdue 逾期未报: the lessor's overview shows
  it, and no variable rent is charged for it — nothing is estimated; the floor is still owed as
  scheduled. A late report is accepted and charges the variable rent when it comes.
- A report that repeats the one on file changes nothing. A different one is a correction: it
  replaces the month's charge (a reversal and a new charge) while none of the variable rent has
  been paid and the schedule has not been rebuilt since; after that the month is settled and a
  correction is refused (``revenue_period_settled``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from common.daycount import add_months, month_length
from common.errors import DomainError
from common.money import from_fen, round_fen, to_fen

HUNDRED = Decimal(100)
SHARE_MAX_PERCENT = Decimal(100)
REPORT_DUE_DAYS_MAX = 28  # within the following month, whatever its length
_PERIOD_RE = re.compile(r"(\d{4})-(\d{2})", re.ASCII)


@dataclass(frozen=True, slots=True)
class RevenueShareTerms:
    share_percent: Decimal  # of the pile's electricity revenue, e.g. 15
    report_due_days: int  # days after the month's end the report is due


class ReportStatus(StrEnum):
    REPORTED = "reported"  # 已报送
    OVERDUE = "overdue"  # 逾期未报
    NOT_YET_DUE = "not_yet_due"  # 未到报送期


STATUS_LABELS = {
    ReportStatus.REPORTED: "已报送",
    ReportStatus.OVERDUE: "逾期未报",
    ReportStatus.NOT_YET_DUE: "未到报送期",
}


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A calendar month of revenue 报送月份."""

    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> Period:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, month_length(self.year, self.month))

    def report_due(self, terms: RevenueShareTerms) -> date:
        return self.last_day + timedelta(days=terms.report_due_days)

    def next(self) -> Period:
        return Period.of(add_months(self.first_day, 1))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def _refuse(code: str, zh: str, en: str, field: str = "period") -> DomainError:
    return DomainError(code, zh, en, fields={field: code})


def parse_period(text: str) -> Period:
    found = _PERIOD_RE.fullmatch(text.strip()) if isinstance(text, str) else None
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1:
        raise _refuse("period_invalid", "月份格式应为 YYYY-MM", "A period is YYYY-MM")
    return Period(int(found.group(1)), int(found.group(2)))


@dataclass(frozen=True, slots=True)
class ScheduledRent:
    """One instalment as the rule reads it."""

    number: int
    due_date: date
    kind: str  # "rent" | "balloon"
    rent_fen: int  # principal + interest


def lease_periods(rents: Sequence[ScheduledRent]) -> list[Period]:
    """The months revenue is reported for: the first rent's month to the last's, oldest first."""
    due = sorted(r.due_date for r in rents if r.kind == "rent")
    out: list[Period] = []
    if not due:
        return out
    p, last = Period.of(due[0]), Period.of(due[-1])
    while p <= last:
        out.append(p)
        p = p.next()
    return out


def check_period(period: Period, rents: Sequence[ScheduledRent], today: date) -> None:
    """Refuse a report for a month outside the lease's rents, or one that has not ended (422)."""
    months = lease_periods(rents)
    if not months or period < months[0]:
        raise _refuse("revenue_period_before_start", "该月份早于合同首期租金所在月份",
                      "The month is before the lease's first rent")  # fmt: skip
    if period > months[-1]:
        raise _refuse("revenue_period_after_end", "该月份晚于合同末期租金所在月份",
                      "The month is after the lease's last rent")  # fmt: skip
    if period.last_day >= today:
        raise _refuse("revenue_period_not_ended", "该月尚未结束，月末后方可报送",
                      "The month has not ended: report it after its last day")  # fmt: skip


def share_of(revenue_fen: int, terms: RevenueShareTerms) -> int:
    """The lessor's share of a month's revenue, in fen (rounded half up)."""
    return to_fen(round_fen(from_fen(revenue_fen) * terms.share_percent / HUNDRED))


@dataclass(frozen=True, slots=True)
class MonthRent:
    floor_fen: int  # 保底租金, as scheduled
    share_fen: int  # share × revenue
    variable_fen: int  # 可变租金: the share above the floor, else 0

    @property
    def rent_fen(self) -> int:
        """What the month costs the lessee: max(floor, share × revenue)."""
        return self.floor_fen + self.variable_fen


def month_rent(floor_fen: int, revenue_fen: int, terms: RevenueShareTerms) -> MonthRent:
    if floor_fen < 0 or revenue_fen < 0:
        raise ValueError("a floor and a revenue are never negative")
    share = share_of(revenue_fen, terms)
    return MonthRent(floor_fen, share, max(0, share - floor_fen))


def floor_of(period: Period, rents: Iterable[ScheduledRent]) -> int:
    """The rent falling due in the month (balloons are not rent)."""
    return sum(
        r.rent_fen
        for r in rents
        if r.kind == "rent" and period.first_day <= r.due_date <= period.last_day
    )


def carrier(rents: Sequence[ScheduledRent], today: date) -> int:
    """The instalment a charge reported `today` is added to: the first due on or after today,
    so it is never overdue on the day it is charged; the last when every one is past."""
    ordered = sorted(rents, key=lambda r: (r.due_date, r.number))
    if not ordered:
        raise ValueError("a contract without instalments carries no charge")
    return next((r.number for r in ordered if r.due_date >= today), ordered[-1].number)


def status_of(
    period: Period, terms: RevenueShareTerms, reported: bool, today: date
) -> ReportStatus:
    if reported:
        return ReportStatus.REPORTED
    if today > period.report_due(terms):
        return ReportStatus.OVERDUE
    return ReportStatus.NOT_YET_DUE


@dataclass(frozen=True, slots=True)
class MonthLine:
    """A month of the lease as the listing shows it; `rent` is None while nothing is reported."""

    period: Period
    report_due: date
    status: ReportStatus
    floor_fen: int
    revenue_fen: int | None
    rent: MonthRent | None


def months(
    terms: RevenueShareTerms,
    *,
    rents: Sequence[ScheduledRent],
    reported: Mapping[Period, int],
    today: date,
) -> list[MonthLine]:
    """Every month of the lease that has begun by `today`, with its report's figures (`reported`:
    revenue in fen by month) and status."""
    out = []
    for p in lease_periods(rents):
        if p.first_day > today:
            break
        floor = floor_of(p, rents)
        revenue = reported.get(p)
        out.append(MonthLine(
            p, p.report_due(terms), status_of(p, terms, revenue is not None, today), floor,
            revenue, None if revenue is None else month_rent(floor, revenue, terms),
        ))  # fmt: skip
    return out


def terms_problems(terms: RevenueShareTerms, path: str) -> list[tuple[str, str, str, str]]:
    """What is wrong with a product's terms (path, code, zh, en), like the product's other
    problems (`common.product_checks`)."""
    out = []
    pct = terms.share_percent
    if not (pct.is_finite() and 0 < pct <= SHARE_MAX_PERCENT):
        out.append((f"{path}.share_percent", "revenue_share_invalid",
                    "分账比例须大于0%且不超过100%",
                    "The share is above 0 and at most 100 percent"))  # fmt: skip
    if not 1 <= terms.report_due_days <= REPORT_DUE_DAYS_MAX:
        out.append((f"{path}.report_due_days", "report_due_days_invalid",
                    f"报送期限须为月末后1至{REPORT_DUE_DAYS_MAX}天",
                    f"A report is due 1 to {REPORT_DUE_DAYS_MAX} days after the month",
                    ))  # fmt: skip
    return out
