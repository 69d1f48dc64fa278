"""The statement's files opened back: the CSV (UTF-8 with a BOM) by the csv module, the XLSX by
openpyxl (header block, table, totals, and a native chart in the package), the PDF's text by
pdftotext (letterhead, balances, rows, totals, page numbers)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import openpyxl

from backend.statements import files, pdf
from common.statements import Movement, StatementRange, build_statement
from tests.backend.contracts.conftest import pdf_pages

AT = datetime(2026, 3, 31, 14, 0, tzinfo=UTC)  # 22:00 in Shanghai: a dealer at night
NAME = "城东轮胎店 East Tyre Shop"
KINDS = ("lease_booked", "down_payment", "disbursement", "commission_earned", "fee_rebate")


def _statement(rows: int = 7, opening: int = 1234_56):
    t0 = datetime(2026, 3, 1, 2, tzinfo=UTC)
    moves = [
        Movement(f"e{k}", t0 + timedelta(hours=3 * k), KINDS[k % len(KINDS)], f"AL2026{k:05d}",
                 "起租确认应收融资租赁款，车架号 LSVAU218XN2183294" if k % 2 else "支付经销商车款",
                 (1 if k % 3 else -1) * (1000_00 + 37 * k))
        for k in range(rows)
    ]  # fmt: skip
    return build_statement("org-shop-east", StatementRange.parse("2026-03-01", "2026-03-31"),
                           opening, moves)  # fmt: skip


def test_the_csv_has_a_bom_and_reads_back_row_for_row():
    s = _statement()
    data = files.to_csv(s, NAME, AT)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == ["经销商对账单", NAME]
    assert table[1] == ["期间", "2026-03-01 至 2026-03-31"]
    assert table[2] == ["出具时间", "2026-03-31 22:00"]
    assert table[3] == ["期初余额", "1234.56"]
    heading = table.index(list(files.COLUMNS))
    body = table[heading + 1 : heading + 1 + len(s.rows)]
    assert [r[2] for r in body] == [r.document for r in s.rows]
    assert [r[1] for r in body][:3] == ["起租应付车款", "代收首付款", "支付车款"]
    assert body[4][1] == "fee rebate"  # a kind without a label, in words
    assert [Decimal(r[6]) for r in body] == [Decimal(r.balance_fen) / 100 for r in s.rows]
    totals, closing = table[heading + 1 + len(s.rows)], table[-1]
    assert totals[0] == "合计" and Decimal(totals[4]) - Decimal(totals[5]) == (
        Decimal(s.closing_fen - s.opening_fen) / 100
    )
    assert closing == ["期末余额", f"{Decimal(s.closing_fen) / 100:.2f}"]


def test_the_xlsx_reads_back_with_its_header_table_totals_and_a_chart():
    s = _statement(rows=40)
    data = files.to_xlsx(s, NAME, AT)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["对账单"]
    assert sheet["A1"].value == "经销商对账单" and sheet["C1"].value == NAME
    assert sheet["B2"].value == "2026-03-01 至 2026-03-31"
    assert Decimal(str(sheet["B4"].value)) == Decimal("1234.56")
    assert Decimal(str(sheet["B5"].value)) == Decimal(s.closing_fen) / 100
    first = files.HEADER_ROWS + 1  # 0-based heading row; openpyxl counts from 1
    assert [c.value for c in sheet[first]] == list(files.COLUMNS)
    table = list(sheet.iter_rows(min_row=first + 1, max_row=first + len(s.rows),
                                 values_only=True))  # fmt: skip
    assert [r[2] for r in table] == [r.document for r in s.rows]
    assert [round(Decimal(str(r[6])), 2) for r in table] == [
        Decimal(r.balance_fen) / 100 for r in s.rows
    ]
    totals = [c.value for c in sheet[first + len(s.rows) + 1]]
    assert totals[0] == "合计" and totals[3] == "40 笔"
    assert Decimal(str(totals[4])) == Decimal(s.total_credit_fen) / 100
    assert sheet["E8"].number_format == "#,##0.00"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        charts = [n for n in package.namelist() if n.startswith("xl/charts/chart")]
        assert charts, "no native chart"
        xml = package.read(charts[0]).decode()
    assert "<c:lineChart>" in xml and "$G$8:$G$47" in xml  # the running balance column


def test_the_pdf_has_letterhead_balances_rows_totals_and_page_numbers(tmp_path):
    s = _statement(rows=120)
    pages = pdf_pages(pdf.to_pdf(s, NAME, AT), tmp_path)
    text = "\f".join(pages)  # (pdftotext drops the spaces of the page numbers)
    assert len(pages) == 3
    for words in ("AutoLease 汽车融资租赁", "经销商对账单", NAME, "2026-03-01 至 2026-03-31",
                  "期初余额", "1234.56", "期末余额", "合计", "120 笔", "AL202600119",
                  "起租应付车款", "第1页/共3页", "第3页/共3页"):  # fmt: skip
        assert words in text, words
    assert f"{Decimal(s.closing_fen) / 100:.2f}" in text
    assert all("单据号" in page and "AutoLease" in page for page in pages)  # headings repeat


def test_an_empty_statement_still_renders_its_balances(tmp_path):
    s = _statement(rows=0)
    assert files.to_csv(s, NAME, AT).decode("utf-8-sig").count("1234.56") == 2
    assert openpyxl.load_workbook(io.BytesIO(files.to_xlsx(s, NAME, AT)))["对账单"]["B5"].value
    assert "期末余额：1234.56 元" in pdf_pages(pdf.to_pdf(s, NAME, AT), tmp_path)[0]
