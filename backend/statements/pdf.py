"""A statement as a PDF 对账单: A4, the contracts' CJK font (`backend.contracts.pdf`) embedded as
a subset, a letterhead, the balances, the table with its headings on every page, the totals and
page numbers.

The table is drawn with plain cells rather than `FPDF.table`, which lays out every row as a
multi-line grid: a statement's rows are one line each (a long memo is cut to its column with an
ellipsis), and 10,000 of them must render in seconds, not minutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from backend.contracts.pdf import FONT, FONT_PATH, GREY, HEADING_FILL
from backend.statements.files import TITLE, Progress, issued_text, period_text
from common.money import yuan_text
from common.statements import Statement, StatementRow

LESSOR = "AutoLease 汽车融资租赁"
WIDTHS = (19, 24, 27, 40, 22, 22, 24)  # mm, 178 = A4 less 16 mm margins
ALIGN = ("L", "L", "L", "L", "R", "R", "R")
ROW_H = 5.6
SIZE = 7.5  # the table's font size; the widths cache is for this size only
PAD = 1.0  # mm inside each column
HEADINGS = ("日期", "业务类型", "单据号", "摘要", "应付经销商", "已付/应付", "余额")


class _StatementPdf(FPDF):
    def __init__(self, dealer_name: str, period: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.dealer_name, self.period = dealer_name, period
        self.add_font(FONT, "", FONT_PATH)
        self.set_margins(16, 22, 16)
        self.set_auto_page_break(auto=True, margin=16)
        self.alias_nb_pages("{nb}")
        self.in_table = False  # the column headings repeat on a new page while drawing rows
        self._widths: dict[str, float] = {}

    def header(self) -> None:
        self.set_font(FONT, size=8)
        self.set_text_color(*GREY)
        self.set_y(9)
        self.cell(0, 5, f"{LESSOR} · {TITLE}", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"{self.dealer_name}  {self.period}", align="R",
                  new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
        self.set_draw_color(*GREY)
        self.line(self.l_margin, 15, self.w - self.r_margin, 15)
        self.set_text_color(0, 0, 0)
        self.set_y(self.t_margin)
        if self.in_table:
            self.headings()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"第 {self.page_no()} 页 / 共 {{nb}} 页", align="C")
        self.set_text_color(0, 0, 0)

    def headings(self) -> None:
        self.set_font(FONT, size=SIZE)
        self.set_fill_color(*HEADING_FILL)
        for text, w in zip(HEADINGS, WIDTHS, strict=True):
            self.cell(w, ROW_H + 1, text, border=1, align="C", fill=True)
        self.ln(ROW_H + 1)

    def width_of(self, text: str) -> float:
        """The text's width at the current size, from per-character widths measured once (a
        statement repeats the same few hundred characters thousands of times)."""
        widths = self._widths
        total = 0.0
        for ch in text:
            w = widths.get(ch)
            if w is None:
                w = widths[ch] = self.get_string_width(ch)
            total += w
        return total

    def fit(self, text: str, width: float) -> str:
        """`text` cut to `width` (less the padding), with an ellipsis when cut."""
        room = width - 2 * PAD
        if self.width_of(text) <= room:
            return text
        while text and self.width_of(text + "…") > room:
            text = text[:-1]
        return text + "…"

    def line_of(self, values: Sequence[str], rule_above: bool = False) -> None:
        """One table row as positioned text and a rule below: `cell` per value would cost
        several times as much for the same page."""
        if self.will_page_break(ROW_H):
            self.add_page()
        y = self.get_y()
        if rule_above:
            self.line(self.l_margin, y, self.l_margin + sum(WIDTHS), y)
        x, baseline = self.l_margin, y + ROW_H * 0.68
        for text, w, a in zip(values, WIDTHS, ALIGN, strict=True):
            shown = self.fit(text, w)
            left = x + w - PAD - self.width_of(shown) if a == "R" else x + PAD
            if shown:
                self.text(left, baseline, shown)
            x += w
        self.line(self.l_margin, y + ROW_H, x, y + ROW_H)
        self.set_y(y + ROW_H)


def _cells(r: StatementRow) -> tuple[str, ...]:
    return (r.business_date.isoformat(), r.label, r.document, r.memo, yuan_text(r.credit_fen),
            yuan_text(r.debit_fen), yuan_text(r.balance_fen))  # fmt: skip


def _summary(pdf: _StatementPdf, s: Statement, dealer_name: str, issued_at: datetime) -> None:
    pdf.set_font(FONT, size=18)
    pdf.cell(0, 11, TITLE, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=9)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 6, f"{LESSOR}    出具时间：{issued_text(issued_at)}", align="C",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    pdf.set_font(FONT, size=9)
    facts = (
        ("经销商", dealer_name), ("对账期间", period_text(s)),
        ("期初余额（元）", yuan_text(s.opening_fen)), ("期末余额（元）", yuan_text(s.closing_fen)),
        ("本期应付经销商（元）", yuan_text(s.total_credit_fen)),
        ("本期已付/经销商应付（元）", yuan_text(s.total_debit_fen)),
    )  # fmt: skip
    half = pdf.epw / 2
    pdf.set_fill_color(245, 247, 250)
    for k in range(0, len(facts), 2):
        for label, value in facts[k : k + 2]:
            pdf.cell(half * 0.55, 7, label, fill=True)
            pdf.cell(half * 0.45, 7, value, fill=True, align="R")
        pdf.ln(7)
    pdf.set_font(FONT, size=8)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 6, "余额为出租人应付经销商的金额，负数表示经销商应付出租人。",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1)


def to_pdf(s: Statement, dealer_name: str, issued_at: datetime, on_rows: Progress = None) -> bytes:
    pdf = _StatementPdf(dealer_name, period_text(s))
    pdf.set_creation_date(issued_at)
    pdf.set_title(f"{TITLE} {dealer_name} {period_text(s)}")
    pdf.set_author(LESSOR)
    pdf.set_lang("zh-CN")
    pdf.add_page()
    _summary(pdf, s, dealer_name, issued_at)
    pdf.headings()
    pdf.in_table = True
    pdf.set_font(FONT, size=SIZE)
    pdf.line_of(("", "期初余额", "", "", "", "", yuan_text(s.opening_fen)))
    for k, r in enumerate(s.rows, 1):
        pdf.line_of(_cells(r))
        if on_rows is not None and k % 500 == 0:
            on_rows(k)
    pdf.in_table = False
    totals = ("合计", f"{len(s.rows)} 笔", "", "", yuan_text(s.total_credit_fen),
              yuan_text(s.total_debit_fen), yuan_text(s.closing_fen))  # fmt: skip
    pdf.line_of(totals, rule_above=True)
    pdf.ln(3)
    pdf.set_font(FONT, size=10)
    pdf.cell(0, 7, f"期末余额：{yuan_text(s.closing_fen)} 元", align="R",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
    return bytes(pdf.output())
