"""The lessor's floor-plan line form 设置授信: a dealer's limit, rate, term per unit and curtailment
plan, checked as typed (the server checks them again) and turned into the wire body. Changing a
line sends the version the admin saw, so two admins' edits conflict instead of both winning."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from common.api.floorplan import CurtailmentPlanBody, LineBody, LineView
from common.api.quotes import parse_rate
from common.errors import DomainError
from common.floorplan import MAX_DAYS_LIMIT, RATE_MAX_PERCENT
from common.money import parse_money


def _whole(text: str, low: int, high: int) -> bool:
    t = text.strip()
    return t.isascii() and t.isdigit() and low <= int(t) <= high


def _percent(text: str, *, high: Decimal, zero_ok: bool) -> bool:
    """A percentage as the server reads one (at most four decimals), within (0 or above, high]."""
    try:
        value = parse_rate(text, field="percent")
    except DomainError:
        return False
    return (value >= 0 if zero_ok else value > 0) and value <= high


@dataclass
class LineForm:
    limit: str = ""
    rate: str = ""
    max_days: str = "180"
    first_after_days: str = "90"
    every_days: str = "30"
    percent: str = "10"
    status: str = "active"
    reason: str = ""
    version: int | None = None  # None: a new line

    @classmethod
    def of(cls, line: LineView | None) -> LineForm:
        if line is None:
            return cls()
        p = line.plan
        return cls(
            limit=line.limit, rate=line.annual_rate_percent, max_days=str(line.max_days),
            first_after_days=str(p.first_after_days), every_days=str(p.every_days),
            percent=p.percent, status=line.status, version=line.version,
        )  # fmt: skip

    def problems(self) -> dict[str, str]:
        """Field -> message key; empty when the form may be sent."""
        found: dict[str, str] = {}
        try:
            if parse_money(self.limit, field="limit") <= 0:
                found["limit"] = "fpl_limit_invalid"
        except DomainError:
            found["limit"] = "fpl_limit_invalid"
        if not _percent(self.rate, high=RATE_MAX_PERCENT, zero_ok=True):
            found["rate"] = "fpl_rate_invalid"
        if not _whole(self.max_days, 1, MAX_DAYS_LIMIT):
            found["max_days"] = "fpl_days_invalid"
        if not _whole(self.first_after_days, 1, MAX_DAYS_LIMIT):
            found["first_after_days"] = "fpl_days_invalid"
        if not _whole(self.every_days, 1, 365):
            found["every_days"] = "fpl_days_invalid"
        if not _percent(self.percent, high=Decimal(100), zero_ok=False):
            found["percent"] = "fpl_percent_invalid"
        if self.version is not None and not self.reason.strip():
            found["reason"] = "fpl_reason_missing"  # a change says why (it is audited)
        return found

    def body(self) -> LineBody:
        return LineBody(
            limit=self.limit.strip(), annual_rate_percent=self.rate.strip(),
            max_days=int(self.max_days), status="suspended" if self.status == "suspended"
            else "active", version=self.version, reason=self.reason.strip(),
            plan=CurtailmentPlanBody(first_after_days=int(self.first_after_days),
                                     every_days=int(self.every_days),
                                     percent=self.percent.strip()),
        )  # fmt: skip
