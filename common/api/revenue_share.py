"""Wire types of revenue sharing 电费分账 (`common.revenue_share`): the product's terms, a month's
revenue report 电费收入报送, the months of a contract and the lessor's overview of reports.

Amounts travel as decimal strings: revenue in yuan (at most two decimals), energy in kWh (at
most three). `report_of` parses a report and refuses bad figures with a code naming the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import msgspec

from common.api import limits
from common.errors import DomainError
from common.money import parse_money, to_fen
from common.revenue_share import Period, RevenueShareTerms, parse_period, terms_problems

_PERCENT_RE = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,4})?", re.ASCII)
_KWH_RE = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,3})?", re.ASCII)
MAX_PILES = 200
SERIAL = 40
Problem = tuple[str, str, str, str]


class RevenueShareIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A product's revenue share 电费分账: its scheduled rent becomes the floor 保底租金."""

    share_percent: Annotated[str, msgspec.Meta(max_length=12, description='e.g. "15"')]
    report_due_days: Annotated[int, limits.int_range(0, 366)] = 10


def terms_of(d: RevenueShareIn, path: str, found: list[Problem]) -> RevenueShareTerms:
    """The parsed terms; their problems are added to `found` (the product's other problems)."""
    raw = d.share_percent.strip()
    terms = RevenueShareTerms(Decimal(raw) if _PERCENT_RE.fullmatch(raw) else Decimal(1),
                              d.report_due_days)  # fmt: skip
    if not _PERCENT_RE.fullmatch(raw):
        found.append((f"{path}.share_percent", "percent_invalid",
                      "百分比格式不正确（最多四位小数）",
                      "A percentage is a number with at most four decimals"))  # fmt: skip
    found.extend(terms_problems(terms, path))
    return terms


def terms_in(body: dict[str, object] | None) -> RevenueShareTerms | None:
    """The revenue share of a product version's body (a `ProductDefinition` as builtins), if any."""
    raw = (body or {}).get("revenue_share")
    if not isinstance(raw, dict):
        return None
    return terms_of(RevenueShareIn(**raw), "revenue_share", [])


class PileRevenue(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    serial: Annotated[str, limits.line(SERIAL, min_length=1)]  # the pile's serial 桩编号
    revenue: Annotated[str, limits.line(40)]
    kwh: Annotated[str, limits.line(40)]


class RevenueReportBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A month's electricity revenue 电费收入, reported by the operator after the month ends."""

    period: Annotated[str, limits.line(7, min_length=7)]  # "YYYY-MM"
    revenue: Annotated[str, limits.line(40)]  # yuan
    kwh: Annotated[str, limits.line(40)]
    note: Annotated[str, limits.paragraph(limits.NOTE)] | None = None
    piles: Annotated[list[PileRevenue], msgspec.Meta(max_length=MAX_PILES)] | None = None


@dataclass(frozen=True, slots=True)
class ParsedPile:
    serial: str
    revenue_fen: int
    wh: int


@dataclass(frozen=True, slots=True)
class ParsedReport:
    period: Period
    revenue_fen: int
    wh: int  # energy in watt-hours: kWh × 1000, exact
    note: str | None
    piles: tuple[ParsedPile, ...]


def _revenue(raw: str, field: str) -> int:
    fen = to_fen(parse_money(raw, field=field))
    if fen < 0:
        raise DomainError("revenue_negative", "电费收入不能为负数", "Revenue cannot be negative",
                          fields={field: "revenue_negative"})  # fmt: skip
    return fen


def wh_of(raw: str, field: str) -> int:
    if not _KWH_RE.fullmatch(raw.strip()):
        raise DomainError("kwh_invalid", "电量应为不小于0、最多三位小数的数字",
                          "kWh is a number of at least 0 with at most three decimals",
                          fields={field: "kwh_invalid"})  # fmt: skip
    return int(Decimal(raw.strip()) * 1000)


def report_of(body: RevenueReportBody) -> ParsedReport:
    period = parse_period(body.period)
    piles = tuple(
        ParsedPile(p.serial.strip(), _revenue(p.revenue, f"piles[{i}].revenue"),
                   wh_of(p.kwh, f"piles[{i}].kwh"))
        for i, p in enumerate(body.piles or [])
    )  # fmt: skip
    revenue, wh = _revenue(body.revenue, "revenue"), wh_of(body.kwh, "kwh")
    if len({p.serial for p in piles}) != len(piles) or any(not p.serial for p in piles):
        raise DomainError("pile_repeated", "充电桩编号重复或为空",
                          "A pile serial repeats or is empty",
                          fields={"piles": "pile_repeated"})  # fmt: skip
    if piles and (sum(p.revenue_fen for p in piles) != revenue or sum(p.wh for p in piles) != wh):
        raise DomainError("revenue_piles_mismatch", "各充电桩合计须等于本月总额",
                          "The piles' figures must add up to the month's",
                          fields={"piles": "revenue_piles_mismatch"})  # fmt: skip
    note = body.note.strip() if body.note else None
    return ParsedReport(period, revenue, wh, note or None, piles)


def kwh_text(wh: int) -> str:
    return f"{Decimal(wh).scaleb(-3):.3f}"


class PileView(msgspec.Struct, kw_only=True):
    serial: str
    revenue: str
    kwh: str


class RevenueMonthView(msgspec.Struct, kw_only=True):
    """One month of the lease: the floor always; the rest once reported."""

    period: str  # "YYYY-MM"
    report_due: date
    status: str  # common.revenue_share.ReportStatus
    status_label: str
    floor: str  # 保底租金 falling due in the month
    revenue: str | None = None  # 电费收入
    kwh: str | None = None
    share: str | None = None  # share × revenue
    rent: str | None = None  # max(floor, share)
    variable_rent: str | None = None  # 可变租金 charged
    charged_on_instalment: int | None = None  # the instalment that carries the charge
    version: int | None = None  # 1, or the correction's number
    late: bool = False  # reported after its due date
    reported_at: datetime | None = None
    note: str | None = None
    piles: list[PileView] = msgspec.field(default_factory=list)


class RevenueReportsView(msgspec.Struct, kw_only=True):
    contract_id: str
    share_percent: str
    report_due_days: int
    months: list[RevenueMonthView]


class OverdueReportView(msgspec.Struct, kw_only=True):
    """A contract's month in the lessor's overview 分账报送总览 (no personal data)."""

    contract_id: str
    contract_number: str
    period: str
    report_due: date
    status: str
    status_label: str
    days_late: int  # days past the due date (0 unless overdue)
    floor: str
