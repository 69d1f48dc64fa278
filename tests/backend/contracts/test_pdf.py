"""The contract PDF read back with poppler: what a lessee must find in it, on every page; a
partner product's contract in its family's own words, none of them a car lease's."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import msgspec
import pytest
from fontTools.ttLib import TTFont

from backend.contracts.pdf import FONT_PATH, render_pdf
from common.contract_document import TEMPLATE_FIELDS, Party, RevenueShare, field_values, yuan
from common.contract_templates import DEFAULT_TEMPLATE, SHIPPED_TEMPLATES, Clause, render_clauses
from common.errors import DomainError
from common.identity import mask_id, mask_mobile
from common.products import ProductFamily
from tests.backend.contracts.conftest import pdf_pages, run_tool
from tests.support.contracts import (
    DEALER,
    LESSEE,
    OPERATOR,
    SERIALS,
    VIN,
    sample_document,
    sample_partner_document,
)


@pytest.mark.parametrize("term", [36, 60])
def test_the_pdf_says_who_what_and_every_instalment(term: int, tmp_path: Path) -> None:
    doc = sample_document(term)
    pages = pdf_pages(render_pdf(doc, DEFAULT_TEMPLATE), tmp_path)
    text = "\n".join(pages)
    assert LESSEE in text and VIN in text and doc.number in text
    assert f"年化利率（IRR，含费用）：{doc.terms.annualised_rate_percent}%" in text
    assert "售后回租" not in text.split("四、合同条款")[1].split("五、")[0]
    rows = text.splitlines()
    for line in doc.schedule:
        cells = (str(line.number), line.due_date.isoformat(), yuan(line.amount_due_fen))
        pattern = re.compile(r"^\s*" + r"\s+".join(map(re.escape, cells)) + r"\s")
        assert any(pattern.match(r) for r in rows), f"instalment {line.number} not printed"
    assert yuan(sum(x.amount_due_fen for x in doc.schedule)) in text


@pytest.mark.parametrize("term", [36, 60])
def test_page_numbers_and_the_schedule_heading_on_every_schedule_page(
    term: int, tmp_path: Path
) -> None:
    pages = pdf_pages(render_pdf(sample_document(term), DEFAULT_TEMPLATE), tmp_path)
    n = len(pages)
    for k, page in enumerate(pages, start=1):
        assert re.search(rf"第\s*{k}\s*页\s*/\s*共\s*{n}\s*页", page), page[-80:]
        assert "AL-2026-000123" in page  # the header
    with_schedule = [p for p in pages if re.search(r"^\s*1?\d\s+20\d\d-\d\d-\d\d\s", p, re.M)]
    assert len(with_schedule) >= 2, "the schedule should span pages"
    assert all(re.search(r"期数\s+还款日\s+应付金额", p) for p in with_schedule)
    assert "六、签署" in pages[-1]


def test_the_annualised_rate_is_the_largest_rate_on_the_page(tmp_path: Path) -> None:
    doc = sample_document(36)
    path = tmp_path / "c.pdf"
    path.write_bytes(render_pdf(doc, DEFAULT_TEMPLATE))
    html = run_tool("pdftotext", "-bbox", "-f", "1", "-l", "1", path, "-")
    words = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', html)
    heights = [(float(b) - float(a), w) for a, b, w in words]
    rates = [(h, w) for h, w in heights if "%" in w]
    tallest = max(rates)
    assert doc.terms.annualised_rate_percent in tallest[1]
    nominal = [h for h, w in rates if doc.terms.nominal_rate_percent in w]
    assert nominal and tallest[0] > 1.4 * max(nominal)


def test_the_font_is_embedded_as_a_subset_with_unicode(tmp_path: Path) -> None:
    path = tmp_path / "c.pdf"
    path.write_bytes(render_pdf(sample_document(36), DEFAULT_TEMPLATE))
    fonts = run_tool("pdffonts", path).splitlines()[2:]
    assert len(fonts) == 1
    assert "NotoSans" in fonts[0] and re.search(r"\byes\s+yes\s+yes\b", fonts[0])
    assert "A4" in run_tool("pdfinfo", path)


def test_the_shipped_font_has_every_character_the_contract_uses() -> None:
    cmap = TTFont(FONT_PATH).getBestCmap()
    used = set()
    for lease_type in ("direct_lease", "sale_leaseback"):
        doc = sample_document(36, lease_type=lease_type)
        used |= {c for h, b in render_clauses(DEFAULT_TEMPLATE, doc) for c in h + b}
        used |= {c for v in field_values(doc).values() for c in v}
    for template in SHIPPED_TEMPLATES.values():  # every family's, every clause and party name
        used |= {c for rows in template.clauses.values() for x in rows for c in x.heading + x.body}
        used |= {c for c in template.title + "".join(template.roles.values())}
    used |= {c for v in TEMPLATE_FIELDS.values() for c in v}
    source = (Path(__file__).parents[3] / "backend" / "contracts" / "pdf.py").read_text("utf-8")
    used |= {c for c in source if ord(c) > 0x7F}
    missing = sorted(c for c in used if c.strip() and ord(c) not in cmap)
    assert missing == []


def test_the_same_input_gives_the_same_bytes() -> None:
    doc = sample_document(60)
    first = hashlib.sha256(render_pdf(doc, DEFAULT_TEMPLATE)).hexdigest()
    assert hashlib.sha256(render_pdf(doc, DEFAULT_TEMPLATE)).hexdigest() == first
    other = msgspec.structs.replace(doc, number="AL-2026-000124")
    assert hashlib.sha256(render_pdf(other, DEFAULT_TEMPLATE)).hexdigest() != first


def test_a_sale_leaseback_contract_has_its_own_clauses(tmp_path: Path) -> None:
    doc = sample_document(36, lease_type="sale_leaseback")
    text = "\n".join(pdf_pages(render_pdf(doc, DEFAULT_TEMPLATE), tmp_path))
    assert "本合同为售后回租" in text and "直租" not in text.split("四、合同条款")[1]
    assert "出卖人（经销商）" not in text


def test_a_bad_template_is_refused_before_drawing() -> None:
    bad = msgspec.structs.replace(
        DEFAULT_TEMPLATE, clauses={**DEFAULT_TEMPLATE.clauses, "common": [Clause("x", "{nope}")]}
    )
    with pytest.raises(DomainError) as e:
        render_pdf(sample_document(36), bad)
    assert e.value.code == "template_invalid"


# What only a car lease's PDF says: its vehicle, GPS, motor insurance, registration, its dealer.
CAR_ONLY = ("车辆", "车载定位装置", "GPS", "机动车", "年检", "提车", "第三者责任险", "经销商")


def _partner_pdf_text(kind: str, tmp_path: Path, **kw: Any) -> str:
    family, doc = sample_partner_document(kind, **kw)
    template = SHIPPED_TEMPLATES[ProductFamily(family)]
    return "\n".join(pdf_pages(render_pdf(doc, template), tmp_path))


def _clauses_of(text: str) -> str:
    """The 合同条款 part, with poppler's line breaks and layout spaces taken out."""
    part = text.split("四、合同条款")[1].split("五、")[0]
    return re.sub(r"\s+", "", part)


@pytest.mark.parametrize(
    ("kind", "title", "clauses", "parties"),
    [
        pytest.param(
            "receivable", "应收账款融资合同（有追索权）",
            ("应收账款转让", "书面通知债务人标的应收账款已转让予保理商", "卖方的陈述与保证",
             "未设定其他权利负担", "追索权", "回购标的应收账款", "先息后本",
             "付至保理商指定的收款账户"),
            ("保理商", "卖方", "经办机构"), id="supplier_finance",
        ),
        pytest.param(
            "freight", "运费垫付融资合同",
            ("承运人的保证", "经收货人签收", "托运人的付款义务", "运费应收款质押",
             "质权自登记时设立", "垫付本金以托运人于运费结算日支付的运费偿还", "追索"),
            ("垫付方", "承运人", "经办机构"), id="freight_advance",
        ),
        pytest.param(
            "equipment", "充电桩设备融资租赁合同",
            ("设备清单", "安装地点", "所有权归出租人", "融资租赁登记", "日常运维", "财产一切险",
             "留购", "返还"),
            ("出租人", "承租人", "出卖人（设备供应商）"), id="charging_pile",
        ),
    ],
)  # fmt: skip
def test_a_partner_contract_pdf_has_its_familys_clauses_and_no_car_clause(
    kind: str, title: str, clauses: tuple[str, ...], parties: tuple[str, ...], tmp_path: Path
) -> None:
    text = _partner_pdf_text(kind, tmp_path)
    assert f"AutoLease {title}" in text  # the header of every page, too
    body = _clauses_of(text)
    missing = [c for c in clauses if c not in body]
    assert missing == []
    signing = re.sub(r"\s+", "", text.split("六、签署")[1])
    assert all(f"{p}（电子" in signing for p in parties), signing
    assert [w for w in CAR_ONLY if w in text] == []
    assert "汽车融资租赁合同" not in text and "出卖人（经销商）" not in text


@pytest.mark.parametrize(("kind", "named"), [("receivable", "应收账款融资（有追索权）"),
                                             ("freight", "运费垫付（有追索权）")])  # fmt: skip
def test_a_financed_receivable_is_lent_against_not_leased(
    kind: str, named: str, tmp_path: Path
) -> None:
    """Its fixed parts speak of 融资 and 还款: no 租赁条件, 租金 or 起租 outside a clause."""
    text = re.sub(r"\s+", "", _partner_pdf_text(kind, tmp_path))
    fixed = ("三、融资条件", f"融资类型：{named}", "融资期限", "每期应还（元）", "应还总额（元）",
             "起息日", "五、还款计划表", "标的金额（元）")  # fmt: skip
    for words in fixed:
        assert words in text, words
    for lease in ("租赁条件", "租金支付表", "每期租金", "租金总额", "起租日", "租赁方式", "首付款"):
        assert lease not in text, lease
    assert "保证人以短信验证码" not in text  # no guarantor on these deals


def test_a_charging_pile_pdf_shares_revenue_only_when_its_product_does(tmp_path: Path) -> None:
    shared = _clauses_of(
        _partner_pdf_text("equipment", tmp_path, revenue_share=RevenueShare("15", 10))
    )
    assert "电费分账" in shared and "保底租金" in shared and "可变租金" in shared
    assert "每个自然月结束后10日内" in shared and "当月电费收入的15%" in shared
    plain = _partner_pdf_text("equipment", tmp_path)
    assert "电费分账" not in plain and "保底租金" not in plain and "可变租金" not in plain
    assert OPERATOR in plain and SERIALS[0] in plain and SERIALS[-1] in plain


def test_a_vehicle_contract_pdf_is_the_car_lease_it_was(tmp_path: Path) -> None:
    text = "\n".join(pdf_pages(render_pdf(sample_document(36), DEFAULT_TEMPLATE), tmp_path))
    assert "AutoLease 汽车融资租赁合同" in text and "出卖人（经销商）" in text and DEALER in text
    body = _clauses_of(text)
    assert "不得擅自改装、拆除车载定位装置" in body and "机动车交通事故责任强制保险" in body
    for partner in ("保理商", "垫付方", "电费分账", "追索", "经办机构", "设备清单"):
        assert partner not in text
    # no guarantor on this lease: only the lessee confirms by code
    assert "承租人以短信验证码确认签署意愿；出租人以电子印章" in re.sub(r"\s+", "", text)
    for words in ("三、租赁条件", "每期租金（元）", "五、租金支付表", "起租日"):
        assert words in text


def test_a_guarantor_is_named_among_those_who_sign_when_there_is_one(tmp_path: Path) -> None:
    doc = sample_document(36)
    guarantor = Party("guarantor", "赵六", mask_id("11010519491231002X"), "person",
                      mobile=mask_mobile("13912345678"))  # fmt: skip
    doc = msgspec.structs.replace(doc, parties=[*doc.parties, guarantor])
    text = re.sub(r"\s+", "", "\n".join(pdf_pages(render_pdf(doc, DEFAULT_TEMPLATE), tmp_path)))
    assert "承租人、保证人以短信验证码确认签署意愿" in text
