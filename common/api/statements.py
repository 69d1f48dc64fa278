"""Wire types of dealer statements 对账单 (GET /api/dealer/statements and its exports).

Amounts are yuan as decimal strings ("12500.00"), made from the ledger's fen by `from_fen`;
`credit` raises what the lessor owes the dealer, `debit` lowers it (common/statements.py).
Dates are Asia/Shanghai business dates.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

import msgspec

from common.money import from_fen
from common.statements import MonthSummary, Statement, StatementRange

ORG_ID_LENGTH = 32  # organisations.id
ORG_ID_PATTERN = rf"^[A-Za-z0-9_-]{{1,{ORG_ID_LENGTH}}}$(?!\n)"


class StatementFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"
    PDF = "pdf"


FILE_FORMATS = (StatementFormat.CSV, StatementFormat.XLSX, StatementFormat.PDF)


class ExportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    EXPIRED = "expired"  # its file was deleted after the keeping period: export again


class StatementRowView(msgspec.Struct, kw_only=True):
    date: date  # the business date the entry was posted
    kind: str  # the ledger entry's kind
    label: str  # its Chinese name 业务类型
    document: str  # the contract's number (or the entry's reference when it is no contract)
    memo: str
    credit: Decimal  # 应付经销商增加
    debit: Decimal  # 已付经销商 / 经销商应付
    balance: Decimal  # running: what the lessor owes the dealer after this row


class StatementView(msgspec.Struct, kw_only=True):
    dealer_id: str
    dealer_name: str
    start: date = msgspec.field(name="from")
    end: date = msgspec.field(name="to")
    opening: Decimal  # 期初余额: what the lessor owed the dealer before `from`
    rows: list[StatementRowView]
    total_credit: Decimal
    total_debit: Decimal
    closing: Decimal  # 期末余额 = opening + total_credit - total_debit


def statement_view(s: Statement, dealer_name: str) -> StatementView:
    rows = [
        StatementRowView(
            date=r.business_date, kind=r.kind, label=r.label, document=r.document, memo=r.memo,
            credit=from_fen(r.credit_fen), debit=from_fen(r.debit_fen),
            balance=from_fen(r.balance_fen),
        )
        for r in s.rows
    ]  # fmt: skip
    return StatementView(
        dealer_id=s.dealer_id, dealer_name=dealer_name, start=s.period.start, end=s.period.end,
        opening=from_fen(s.opening_fen), rows=rows, total_credit=from_fen(s.total_credit_fen),
        total_debit=from_fen(s.total_debit_fen), closing=from_fen(s.closing_fen),
    )  # fmt: skip


class MonthView(msgspec.Struct, kw_only=True):
    """A closed month's statement 月度对账单."""

    month: str  # "2026-03"
    start: date = msgspec.field(name="from")
    end: date = msgspec.field(name="to")
    opening: Decimal
    total_credit: Decimal
    total_debit: Decimal
    closing: Decimal
    rows: int


def month_view(m: MonthSummary) -> MonthView:
    return MonthView(
        month=f"{m.period.start:%Y-%m}", start=m.period.start, end=m.period.end,
        opening=from_fen(m.opening_fen), total_credit=from_fen(m.credit_fen),
        total_debit=from_fen(m.debit_fen), closing=from_fen(m.closing_fen), rows=m.rows,
    )  # fmt: skip


DateText = Annotated[str, msgspec.Meta(min_length=1, max_length=10)]


class StatementLinkRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """POST /api/dealer/statements/link: a browser link to a file, or a job when it is large."""

    start: DateText = msgspec.field(name="from")
    end: DateText = msgspec.field(name="to")
    format: StatementFormat
    dealer_id: Annotated[str, msgspec.Meta(pattern=ORG_ID_PATTERN)] | None = None

    def period(self) -> StatementRange:
        return StatementRange.parse(self.start, self.end)


class ExportJobView(msgspec.Struct, kw_only=True):
    """A large export 导出任务, built in the background."""

    id: str
    dealer_id: str
    format: StatementFormat
    start: date = msgspec.field(name="from")
    end: date = msgspec.field(name="to")
    status: ExportStatus
    progress: int  # 0-100
    rows: int  # the statement's rows (known once the job has read them)
    created_at: datetime
    finished_at: datetime | None = None
    error: str | None = None  # a stable code when failed


class DownloadLink(msgspec.Struct, kw_only=True):
    url: str  # opens the file without the bearer token, for a few minutes
    expires_at: datetime
