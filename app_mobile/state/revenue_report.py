"""The operator's monthly revenue report 电费收入报送: the months that may be reported (ended, in
the lease), the form checked as typed and its wire body. The Idempotency-Key is made once per
report and kept until it is accepted, so a tap retried after a lost answer is the same report."""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass, field
from datetime import date

from common.api.revenue_share import RevenueMonthView, RevenueReportBody, wh_of
from common.errors import DomainError
from common.money import parse_money


def new_key() -> str:
    return f"rev-{uuid.uuid4().hex}"


def ended(period: str, today: date) -> bool:
    """A "YYYY-MM" month is over (it may be reported) once its last day is past."""
    year, month = (int(x) for x in period.split("-"))
    return date(year, month, calendar.monthrange(year, month)[1]) < today


def reportable(months: list[RevenueMonthView], today: date) -> list[RevenueMonthView]:
    """The months a report can be sent for, the ones still owed first: overdue, then due,
    then those reported already (a correction)."""
    rank = {"overdue": 0, "not_yet_due": 1, "reported": 2}
    open_ = [m for m in months if ended(m.period, today)]
    return sorted(open_, key=lambda m: (rank.get(m.status, 3), m.period))


@dataclass
class RevenueReportForm:
    period: str = ""
    revenue: str = ""
    kwh: str = ""
    note: str = ""
    key: str = field(default_factory=new_key)

    def problems(self) -> dict[str, str]:
        """Field -> message key; empty when the form may be sent."""
        found: dict[str, str] = {}
        if not self.period:
            found["period"] = "rev_period_missing"
        try:
            if parse_money(self.revenue, field="revenue") < 0:
                found["revenue"] = "rev_revenue_invalid"
        except DomainError:
            found["revenue"] = "rev_revenue_invalid"
        try:
            wh_of(self.kwh, "kwh")  # as the server reads it: at most three decimals
        except DomainError:
            found["kwh"] = "rev_kwh_invalid"
        return found

    def body(self) -> RevenueReportBody:
        return RevenueReportBody(period=self.period, revenue=self.revenue.strip(),
                                 kwh=self.kwh.strip(), note=self.note.strip() or None)  # fmt: skip

    def done(self) -> None:
        """After a report is accepted: a fresh form and key for the next one."""
        self.period, self.revenue, self.kwh, self.note, self.key = "", "", "", "", new_key()
