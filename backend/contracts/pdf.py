"""The contract as a PDF (F15): A4, Chinese, the CJK font embedded as a subset, deterministic.

Same document and template in, same bytes out: the creation date is the issue date (00:00
Asia/Shanghai) and fpdf2 derives the file /ID from the content, so a test can compare SHA-256 and
the seal can be re-checked against a re-render. The shipped font has one (regular) face: emphasis
is size, a box, and fill+stroke text (a stroked outline reads as bold) rather than a bold face.

What the lessee must not miss is disclosed first and largest: the annualised rate by IRR
including fees (年化利率, PBOC 2021 No. 3), in a box above the terms, bigger than any other rate.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.enums import TableHeadingsDisplay, TextMode, WrapMode, XPos, YPos

from common.assets import RECEIVABLE_KINDS
from common.business_day import BUSINESS_TZ
from common.contract_document import (
    LEASE_TYPES,
    METHOD_NAMES,
    AssetSection,
    ContractDocument,
    chinese_date,
    yuan,
)
from common.contract_templates import ContractTemplate, render_clauses

FONT_PATH = Path(__file__).resolve().parents[2] / "assets" / "fonts" / "NotoSansSC-Subset.otf"
FONT = "notosanssc"
BODY_SIZE = 9.5
RATE_SIZE = 16  # the annualised rate; every other text is smaller
GREY = (90, 90, 90)
PLAIN = FontFace(emphasis="")  # table headings default to bold, which the font has not got
HEADING_FILL = (235, 238, 245)


class _ContractPdf(FPDF):
    def __init__(self, number: str, title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.number = number
        self.contract_title = title  # (FPDF's own `title` is the metadata's)
        self.add_font(FONT, "", FONT_PATH)
        self.set_margins(18, 20, 18)
        self.set_auto_page_break(auto=True, margin=18)
        self.alias_nb_pages("{nb}")

    def header(self) -> None:
        self.set_font(FONT, size=8)
        self.set_text_color(*GREY)
        self.set_y(9)
        self.cell(0, 5, f"AutoLease {self.contract_title}", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"合同编号：{self.number}", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*GREY)
        self.line(self.l_margin, 15, self.w - self.r_margin, 15)
        self.set_text_color(0, 0, 0)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"第 {self.page_no()} 页 / 共 {{nb}} 页", align="C")
        self.set_text_color(0, 0, 0)

    @contextmanager
    def emphasised(self, size: float) -> Iterator[None]:
        """Fill + a thin stroke of the same colour: bold enough, with a regular-only font. In a
        local context (q ... Q): fpdf2 2.8 leaks a `Tr` set by `text_mode` into later text."""
        with self.local_context(text_mode=TextMode.FILL_STROKE, line_width=size / 60):
            self.set_font(FONT, size=size)
            yield
        self.set_font(FONT, size=BODY_SIZE)

    def section(self, title: str) -> None:
        if self.will_page_break(20):  # a heading never ends a page alone
            self.add_page()
        self.ln(3)
        with self.emphasised(11.5):
            self.cell(0, 7, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def paragraph(self, text: str, size: float = BODY_SIZE, height: float = 5.2) -> None:
        self.set_font(FONT, size=size)
        self.multi_cell(
            0, height, text, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def grid(
        self,
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        align: str | Sequence[str] = "LEFT",
        size: float = BODY_SIZE,
        headings: bool = True,
    ) -> None:
        self.set_font(FONT, size=size)
        aligns = [align] * len(widths) if isinstance(align, str) else list(align)
        with self.table(
            col_widths=widths,
            width=self.epw,
            headings_style=PLAIN,
            first_row_as_headings=headings,
            repeat_headings=TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE,
            line_height=size * 0.5,
            padding=(0.6, 1.2),
            wrapmode=WrapMode.CHAR,
            cell_fill_color=HEADING_FILL,
            cell_fill_mode="ROWS" if not headings else "NONE",
        ) as table:
            for k, values in enumerate(rows):
                row = table.row()
                for text, a in zip(values, aligns, strict=True):
                    row.cell(text, align="CENTER" if headings and k == 0 else a)
        self.set_font(FONT, size=BODY_SIZE)


def render_pdf(doc: ContractDocument, template: ContractTemplate) -> bytes:
    """The contract of `doc` in `template`'s words, as PDF bytes (deterministic)."""
    clauses = render_clauses(template, doc)  # refuses a bad template before any drawing
    pdf = _ContractPdf(doc.number, template.title)
    pdf.set_creation_date(datetime.combine(doc.issued_on, time(), BUSINESS_TZ))
    pdf.set_title(f"{template.title} {doc.number}")
    what = doc.vehicle.vin if doc.vehicle else doc.asset.name if doc.asset else ""
    pdf.set_subject(f"{LEASE_TYPES[doc.terms.lease_type]} {what}")
    pdf.set_author(_lessor_name(doc))
    pdf.set_creator(f"AutoLease contract template {template.id} v{template.version}")
    pdf.set_lang("zh-CN")
    pdf.add_page()
    _title(pdf, doc, template)
    _parties(pdf, doc, template)
    if doc.asset is not None:
        _asset(pdf, doc.asset)
    else:
        _vehicle(pdf, doc)
    _terms(pdf, doc)
    pdf.section("四、合同条款")
    for heading, body in clauses:
        if pdf.will_page_break(16):
            pdf.add_page()
        with pdf.emphasised(BODY_SIZE + 0.5):
            pdf.cell(0, 6, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.paragraph(body)
        pdf.ln(1.5)
    _schedule(pdf, doc)
    _signatures(pdf, doc, template)
    return bytes(pdf.output())


@dataclass(frozen=True)
class Words:
    """The fixed parts' vocabulary: a lease speaks of 租赁 and 租金; a financed receivable is
    lent against, not leased, so its contract speaks of 融资 and 还款."""

    kind: str  # the heading line's "租赁方式" and the terms' row
    terms: str
    term: str
    instalment: str
    total: str
    start: str
    schedule: str
    payment: str  # the schedule's column


LEASE_WORDS = Words(
    "租赁方式",
    "三、租赁条件",
    "租赁期限",
    "每期租金（元）",
    "租金总额（元）",
    "起租日",
    "五、租金支付表（附件，为本合同不可分割的组成部分）",
    "租金",
)
FINANCE_WORDS = Words(
    "融资类型",
    "三、融资条件",
    "融资期限",
    "每期应还（元）",
    "应还总额（元）",
    "起息日",
    "五、还款计划表（附件，为本合同不可分割的组成部分）",
    "应还款",
)
FINANCE_KINDS = {"receivable": "应收账款融资（有追索权）", "freight": "运费垫付（有追索权）"}


def _words(doc: ContractDocument) -> Words:
    return FINANCE_WORDS if _financed_receivable(doc) else LEASE_WORDS


def _financed_receivable(doc: ContractDocument) -> bool:
    return doc.asset is not None and doc.asset.kind in RECEIVABLE_KINDS


def _kind_name(doc: ContractDocument) -> str:
    if doc.asset is not None and _financed_receivable(doc):
        return FINANCE_KINDS[doc.asset.kind]
    return LEASE_TYPES[doc.terms.lease_type]


def _lessor_name(doc: ContractDocument) -> str:
    lessor = doc.party("lessor")
    return lessor.name if lessor else "AutoLease"


def _title(pdf: _ContractPdf, doc: ContractDocument, template: ContractTemplate) -> None:
    with pdf.emphasised(18):
        pdf.cell(0, 12, template.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=9)
    pdf.set_text_color(*GREY)
    line = (
        f"合同编号：{doc.number}    签发日期：{chinese_date(doc.issued_on)}    "
        f"{_words(doc).kind}：{_kind_name(doc)}    "
        f"模板：{template.id} 第{template.version}版"
    )
    pdf.cell(0, 6, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)


def _parties(pdf: _ContractPdf, doc: ContractDocument, template: ContractTemplate) -> None:
    pdf.section("一、合同当事人")
    rows = [("身份", "名称", "证件号码", "联系电话", "住所 / 授权代表")]
    for p in doc.parties:
        label = "统一社会信用代码\n" if p.kind == "company" else "居民身份证\n"
        where = " / ".join(x for x in (p.address, p.representative) if x)
        rows.append((template.role_name(p.role), p.name, label + p.id_label, p.mobile, where))
    pdf.grid(rows, (13, 31, 38, 17, 31), size=8.5)


def _vehicle(pdf: _ContractPdf, doc: ContractDocument) -> None:
    v = doc.vehicle
    assert v is not None  # a vehicle lease's document
    pdf.section("二、租赁物")
    rows = [
        ("品牌及车型", f"{v.maker} {v.model}", "年款", f"{v.model_year}年款"),
        ("车辆识别代号（VIN）", v.vin, "新车 / 二手车", "新车" if v.is_new else "二手车"),
        ("车辆价格（元）", yuan(v.price_fen), "", ""),
    ]
    pdf.grid(rows, (25, 35, 15, 25), headings=False)


def _asset(pdf: _ContractPdf, a: AssetSection) -> None:
    """二、融资标的: the receivable or freight and who pays it, or the equipment list."""
    pdf.section(f"二、融资标的（{a.name}）")
    due = chinese_date(a.due_date) if a.due_date else ""
    issued = chinese_date(a.issued_on) if a.issued_on else ""
    if a.kind == "equipment":
        rows = [("设备型号", a.model, "设备台数", f"{len(a.serial_numbers)}台"),
                ("安装场址", a.site_address, "设备价款（元）", yuan(a.amount_fen))]  # fmt: skip
        pdf.grid(rows, (25, 35, 15, 25), headings=False)
        pdf.ln(1)
        listing = [("序号", "设备序列号")] + [
            (str(n), serial) for n, serial in enumerate(a.serial_numbers, start=1)
        ]
        pdf.grid(listing, (15, 85), size=8.5)
    else:
        party = "债务人" if a.kind == "receivable" else "托运人"
        number = "发票号码" if a.kind == "receivable" else "运单号"
        rows = [(party, a.counterparty, "统一社会信用代码", a.counterparty_uscc),
                (number, a.document_number, "开票日" if a.kind == "receivable" else "签收日",
                 issued),
                ("金额（元）", yuan(a.amount_fen), "到期日", due)]  # fmt: skip
        if a.route:
            rows.append(("运输线路", a.route, "", ""))
        pdf.grid(rows, (25, 35, 15, 25), headings=False)


def _terms(pdf: _ContractPdf, doc: ContractDocument) -> None:
    t, w = doc.terms, _words(doc)
    pdf.section(w.terms)
    # The disclosed rate first, in a box and larger than anything else on the page but the title.
    pdf.set_fill_color(255, 244, 229)
    pdf.set_draw_color(200, 80, 0)
    pdf.set_line_width(0.6)
    y = pdf.get_y()
    pdf.rect(pdf.l_margin, y, pdf.epw, 15, style="DF")
    pdf.set_y(y + 1.5)
    with pdf.emphasised(RATE_SIZE):
        text = f"年化利率（IRR，含费用）：{t.annualised_rate_percent}%"
        pdf.cell(0, 8, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=8)
    note = "按内部收益率法计算，计入手续费等全部费用（中国人民银行公告〔2021〕第3号）"
    pdf.cell(0, 4, note, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.set_y(y + 18)
    # a receivable has no down payment nor balloon: its row says what the advance is made on
    down = (
        ("标的金额（元）", yuan(doc.asset.amount_fen))
        if doc.asset and _financed_receivable(doc)
        else ("首付款（元）", yuan(t.down_payment_fen))
    )
    rows = [
        ("产品名称", t.product_name, w.kind, _kind_name(doc)),
        ("融资金额（元）", yuan(t.principal_fen), w.term, f"{t.term_months}个月"),
        (*down, "保证金（元）", yuan(t.deposit_fen)),
        ("尾款（元）", yuan(t.balloon_fen), "手续费等费用（元）", yuan(t.fees_fen)),
        ("还款方式", METHOD_NAMES.get(t.method, t.method), w.instalment,
         yuan(t.monthly_payment_fen)),
        (w.total, yuan(t.total_payment_fen), "利息总额（元）", yuan(t.total_interest_fen)),
        (w.start, chinese_date(t.start_date), "名义年利率", f"{t.nominal_rate_percent}%"),
    ]  # fmt: skip
    pdf.grid(rows, (22, 28, 22, 28), headings=False)


def _schedule(pdf: _ContractPdf, doc: ContractDocument) -> None:
    words = _words(doc)
    pdf.section(words.schedule)
    rows = [("期数", "还款日", "应付金额", words.payment, "本金", "利息", "费用", "剩余本金")]
    for line in doc.schedule:
        rows.append(
            (
                "尾款" if line.kind == "balloon" else str(line.number),
                line.due_date.isoformat(),
                yuan(line.amount_due_fen),
                yuan(line.payment_fen),
                yuan(line.principal_fen),
                yuan(line.interest_fen),
                yuan(line.fees_fen),
                yuan(line.balance_fen),
            )
        )
    total = sum(line.amount_due_fen for line in doc.schedule)
    rows.append(("合计", "", yuan(total), "", "", "", "", ""))
    align = ["CENTER", "CENTER", *["RIGHT"] * 6]
    pdf.grid(rows, (8, 16, 16, 15, 15, 13, 11, 17), align=align, size=8)
    pdf.paragraph(f"金额单位：人民币元。应付金额 = {words.payment} + 费用 - 保证金抵扣。", size=8,
                  height=4.5)  # fmt: skip


def _signatures(pdf: _ContractPdf, doc: ContractDocument, template: ContractTemplate) -> None:
    if pdf.will_page_break(20 + 14 * len(doc.parties)):  # the block stays on one page
        pdf.add_page()
    pdf.section("六、签署")
    lessee, guarantor, lessor = map(template.role_name, ("lessee", "guarantor", "lessor"))
    signers = f"{lessee}、{guarantor}" if doc.party("guarantor") else lessee  # those who sign
    note = (
        "各方确认已阅读并理解本合同全部条款，特别是年化利率、违约责任及提前结清条款。"
        f"{signers}以短信验证码确认签署意愿；{lessor}以电子印章（PDF 数字签名）签署，"
        "签署后本文件的任何改动均可被验证发现。"
    )
    pdf.paragraph(note, size=8.5, height=4.8)
    pdf.ln(2)
    for p in doc.parties:
        act = "（电子印章）" if p.role == "lessor" else "（电子签名）"
        pdf.set_font(FONT, size=BODY_SIZE)
        signer = f"{template.role_name(p.role)}{act}：{p.name}"
        pdf.cell(0, 6, signer, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*GREY)
        pdf.cell(95, 7, "签章：")
        pdf.cell(0, 7, "签署日期：", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
        pdf.set_draw_color(*GREY)
        y = pdf.get_y()
        pdf.line(pdf.l_margin + 10, y, pdf.l_margin + 85, y)
        pdf.line(pdf.l_margin + 111, y, pdf.w - pdf.r_margin, y)
        pdf.set_draw_color(0, 0, 0)
        pdf.ln(4)
