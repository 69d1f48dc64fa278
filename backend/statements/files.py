"""A statement as a file: CSV (UTF-8 with a BOM, so Excel opens the Chinese) and XLSX
(xlsxwriter: a header block, the table, totals and a native line chart of the running balance).
The PDF is in `backend/statements/pdf.py`.

Every renderer takes the statement, the dealer's name and the issue instant, and may be told of
its progress (`on_rows(done)`, every `PROGRESS_EVERY` rows) so an export job can show it.
Amounts are yuan: decimal text in the CSV, numbers with two decimals in the workbook (written
from `Decimal`, exact to the fen well past any real amount).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime

import xlsxwriter

from common.business_day import BUSINESS_TZ
from common.money import from_fen, yuan_text
from common.statements import Statement, StatementRow

Progress = Callable[[int], None] | None
PROGRESS_EVERY = 500
TITLE = "经销商对账单"
COLUMNS = (
    "日期", "业务类型", "单据号", "摘要", "应付经销商（贷）", "已付/经销商应付（借）", "余额",
)  # fmt: skip
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def file_name(dealer_id: str, s: Statement, fmt: str) -> str:
    return f"statement-{dealer_id}-{s.period.start:%Y%m%d}-{s.period.end:%Y%m%d}.{fmt}"


def period_text(s: Statement) -> str:
    return f"{s.period.start.isoformat()} 至 {s.period.end.isoformat()}"


def issued_text(at: datetime) -> str:
    return f"{at.astimezone(BUSINESS_TZ):%Y-%m-%d %H:%M}"


def _tell(on_rows: Progress, done: int) -> None:
    if on_rows is not None and done % PROGRESS_EVERY == 0:
        on_rows(done)


def _cells(r: StatementRow) -> list[str]:
    return [r.business_date.isoformat(), r.label, r.document, r.memo, yuan_text(r.credit_fen),
            yuan_text(r.debit_fen), yuan_text(r.balance_fen)]  # fmt: skip


def to_csv(s: Statement, dealer_name: str, issued_at: datetime, on_rows: Progress = None) -> bytes:
    out = io.StringIO(newline="")
    w = csv.writer(out)
    w.writerow([TITLE, dealer_name])
    w.writerow(["期间", period_text(s)])
    w.writerow(["出具时间", issued_text(issued_at)])
    w.writerow(["期初余额", yuan_text(s.opening_fen)])
    w.writerow([])
    w.writerow(COLUMNS)
    for k, r in enumerate(s.rows, 1):
        w.writerow(_cells(r))
        _tell(on_rows, k)
    w.writerow(["合计", "", "", f"{len(s.rows)} 笔", yuan_text(s.total_credit_fen),
                yuan_text(s.total_debit_fen), ""])  # fmt: skip
    w.writerow(["期末余额", yuan_text(s.closing_fen)])
    return out.getvalue().encode("utf-8-sig")


HEADER_ROWS = 6  # the table's heading row (0-based) in the workbook


def to_xlsx(s: Statement, dealer_name: str, issued_at: datetime, on_rows: Progress = None) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    book.set_properties({"title": f"{TITLE} {dealer_name} {period_text(s)}",
                         "company": "AutoLease"})  # fmt: skip
    title = book.add_format({"bold": True, "font_size": 14})
    label = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0.00"})
    bold_money = book.add_format({"num_format": "#,##0.00", "bold": True})
    heading = book.add_format({"bold": True, "bg_color": "#EBEEF5", "border": 1})
    sheet = book.add_worksheet("对账单")
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 2, 18)
    sheet.set_column(3, 3, 28)
    sheet.set_column(4, 6, 18)
    sheet.write(0, 0, TITLE, title)
    sheet.write(0, 2, dealer_name, title)
    sheet.write(1, 0, "期间", label)
    sheet.write(1, 1, period_text(s))
    sheet.write(2, 0, "出具时间", label)
    sheet.write(2, 1, issued_text(issued_at))
    sheet.write(3, 0, "期初余额", label)
    sheet.write_number(3, 1, from_fen(s.opening_fen), bold_money)
    sheet.write(4, 0, "期末余额", label)
    sheet.write_number(4, 1, from_fen(s.closing_fen), bold_money)
    sheet.write_row(HEADER_ROWS, 0, COLUMNS, heading)
    sheet.freeze_panes(HEADER_ROWS + 1, 0)
    row = HEADER_ROWS
    for k, r in enumerate(s.rows, 1):
        row = HEADER_ROWS + k
        sheet.write_string(row, 0, r.business_date.isoformat())
        sheet.write_string(row, 1, r.label)
        sheet.write_string(row, 2, r.document)
        sheet.write_string(row, 3, r.memo)
        sheet.write_number(row, 4, from_fen(r.credit_fen), money)
        sheet.write_number(row, 5, from_fen(r.debit_fen), money)
        sheet.write_number(row, 6, from_fen(r.balance_fen), money)
        _tell(on_rows, k)
    totals = row + 1
    sheet.write(totals, 0, "合计", label)
    sheet.write(totals, 3, f"{len(s.rows)} 笔", label)
    sheet.write_number(totals, 4, from_fen(s.total_credit_fen), bold_money)
    sheet.write_number(totals, 5, from_fen(s.total_debit_fen), bold_money)
    if s.rows:
        _balance_chart(book, sheet, len(s.rows))
    book.close()
    return buf.getvalue()


def _balance_chart(book: xlsxwriter.Workbook, sheet: object, rows: int) -> None:
    """A native line chart of the running balance, beside the table (Excel draws it)."""
    first, last = HEADER_ROWS + 1, HEADER_ROWS + rows
    chart = book.add_chart({"type": "line"})
    assert chart is not None
    chart.add_series({
        "name": "余额",
        "categories": ["对账单", first, 0, last, 0],
        "values": ["对账单", first, 6, last, 6],
        "line": {"color": "#3F51B5", "width": 1.5},
    })  # fmt: skip
    chart.set_title({"name": "余额走势（应付经销商）"})
    chart.set_legend({"none": True})
    chart.set_y_axis({"num_format": "#,##0"})
    chart.set_size({"width": 640, "height": 300})
    sheet.insert_chart(0, 8, chart)  # type: ignore[attr-defined]
