"""The contract PDF read back with poppler: what a lessee must find in it, on every page."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import msgspec
import pytest
from fontTools.ttLib import TTFont

from backend.contracts.pdf import FONT_PATH, render_pdf
from common.contract_document import TEMPLATE_FIELDS, field_values, yuan
from common.contract_templates import DEFAULT_TEMPLATE, Clause, render_clauses
from common.errors import DomainError
from tests.backend.contracts.conftest import pdf_pages, run_tool
from tests.support.contracts import LESSEE, VIN, sample_document


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
