"""Contract templates: the template checks, the numbering, the rendered clauses."""

from __future__ import annotations

import msgspec
import pytest

from common.contract_templates import (
    DEFAULT_TEMPLATE,
    Clause,
    ContractTemplate,
    article_number,
    check_template,
    render_clauses,
)
from common.errors import DomainError
from tests.support.contracts import LESSEE, VIN, sample_document


def _with(**clauses: list[Clause]) -> ContractTemplate:
    return msgspec.structs.replace(
        DEFAULT_TEMPLATE, clauses={**DEFAULT_TEMPLATE.clauses, **clauses}
    )


def test_article_numbers() -> None:
    assert [article_number(n) for n in (1, 10, 11, 20, 21, 99)] == [
        "一", "十", "十一", "二十", "二十一", "九十九",
    ]  # fmt: skip


def test_default_template_renders_both_lease_types() -> None:
    assert check_template(DEFAULT_TEMPLATE) == []
    for lease_type, own in (
        ("direct_lease", "本合同为直租"),
        ("sale_leaseback", "本合同为售后回租"),
    ):
        doc = sample_document(36, lease_type=lease_type)
        clauses = render_clauses(DEFAULT_TEMPLATE, doc)
        text = "\n".join(h + b for h, b in clauses)
        assert clauses[0][0].startswith("第一条 ")
        assert clauses[0][1].startswith(own)
        assert "{" not in text and "}" not in text
        assert LESSEE in text and VIN in text
        assert f"年化利率为{doc.terms.annualised_rate_percent}%" in text
        for heading in ("租金及支付", "保险", "违约责任", "提前结清", "争议解决"):
            assert heading in text
    leaseback = "".join(b for _, b in render_clauses(DEFAULT_TEMPLATE, doc))
    assert "转让" in leaseback and "租回" in leaseback and "出卖人" not in leaseback


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("承租人{lesse_name}", "未知占位符 {lesse_name}"),
        ("车架号{vin", "花括号不成对"),
        ("车架号vin}", "花括号不成对"),
        ("{vin.__class__}", "未知占位符"),
        ("{lessee_name!r}", "不能带格式或转换"),
        ("{monthly_payment:>20}", "不能带格式或转换"),
        ("   ", "标题或正文为空"),
    ],
)
def test_check_template_refuses_a_bad_clause(body: str, problem: str) -> None:
    bad = _with(sale_leaseback=[Clause("回租", body)])
    problems = check_template(bad)
    assert any(problem in p and "售后回租条款第1条" in p for p in problems), problems
    with pytest.raises(DomainError) as e:
        render_clauses(bad, sample_document(36, lease_type="direct_lease"))
    assert e.value.code == "template_invalid"


def test_check_template_refuses_missing_or_unknown_sections_and_empty_titles() -> None:
    no_leaseback = msgspec.structs.replace(
        DEFAULT_TEMPLATE,
        clauses={k: v for k, v in DEFAULT_TEMPLATE.clauses.items() if k != "sale_leaseback"},
    )
    assert any("缺少“售后回租”条款" in p for p in check_template(no_leaseback))
    assert any("缺少“通用”条款" in p for p in check_template(_with(common=[])))
    assert any("未知的条款分组" in p for p in check_template(_with(lease=[Clause("a", "b")])))
    assert check_template(msgspec.structs.replace(DEFAULT_TEMPLATE, title=" ")) == ["合同标题为空"]
    assert check_template(msgspec.structs.replace(DEFAULT_TEMPLATE, title="合同{vin}"))
    assert check_template(msgspec.structs.replace(DEFAULT_TEMPLATE, version=0))
    many = _with(common=[Clause("条", "文")] * 99)
    assert any("超过99条" in p for p in check_template(many))


def test_literal_braces_are_allowed() -> None:
    t = _with(common=[Clause("附注", "以{{括号}}标注的为说明，承租人{lessee_name}")])
    assert check_template(t) == []
    (_heading, body), *_ = render_clauses(t, sample_document(36))[-1:]
    assert body == f"以{{括号}}标注的为说明，承租人{LESSEE}"


def test_an_unknown_lease_type_is_refused() -> None:
    doc = sample_document(36)
    bad = msgspec.structs.replace(doc, terms=msgspec.structs.replace(doc.terms, lease_type="rent"))
    with pytest.raises(DomainError) as e:
        render_clauses(DEFAULT_TEMPLATE, bad)
    assert e.value.code == "lease_type_invalid"
