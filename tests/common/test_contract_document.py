"""The contract's content: schedule lines in fen, the template checks, the rendered clauses."""

from __future__ import annotations

import msgspec
import pytest

from common.contract_document import (
    DEFAULT_TEMPLATE,
    TEMPLATE_FIELDS,
    Clause,
    ContractDocument,
    ContractTemplate,
    article_number,
    check_template,
    field_values,
    render_clauses,
    schedule_lines,
    yuan,
)
from common.errors import DomainError
from common.lease_terms import Method
from common.money import to_fen
from common.schedule import build_schedule
from tests.support.contracts import LESSEE, VIN, sample_document


def _with(**clauses: list[Clause]) -> ContractTemplate:
    return msgspec.structs.replace(
        DEFAULT_TEMPLATE, clauses={**DEFAULT_TEMPLATE.clauses, **clauses}
    )


def test_schedule_lines_are_the_schedule_in_fen() -> None:
    doc = sample_document(36, method=Method.BALLOON)
    lines = doc.schedule
    assert len(lines) == 36
    assert sum(x.principal_fen for x in lines) == doc.terms.principal_fen
    assert lines[-1].balance_fen == 0
    assert all(x.payment_fen == x.principal_fen + x.interest_fen for x in lines)
    assert lines[0].fees_fen == 0 and lines[0].kind == "rent"
    assert all(isinstance(x.amount_due_fen, int) for x in lines)


def test_schedule_lines_carry_fees_offsets_and_the_balloon_line() -> None:
    from datetime import date
    from decimal import Decimal

    from common.lease_terms import DepositTreatment, Fee, LeaseTerms, Timing

    terms = LeaseTerms(
        principal=Decimal("100000"), annual_rate_percent=Decimal("6"), term_months=12,
        start_date=date(2026, 1, 15), method=Method.BALLOON, timing=Timing.ADVANCE,
        balloon=Decimal("20000"), fees=(Fee("年检", Decimal("300.50"), 6),),
        deposit=Decimal("3000"), deposit_treatment=DepositTreatment.OFFSET_LAST_RENTS,
    )  # fmt: skip
    schedule = build_schedule(terms)
    lines = schedule_lines(schedule)
    assert [x.amount_due_fen for x in lines] == [to_fen(i.amount_due) for i in schedule.instalments]
    assert lines[5].fees_fen == 30050
    assert lines[-1].kind == "balloon"
    assert (
        sum(x.amount_due_fen for x in lines) == sum(x.payment_fen for x in lines) + 30050 - 300000
    )


def test_document_round_trips_as_json() -> None:
    doc = sample_document(60)
    assert msgspec.json.decode(msgspec.json.encode(doc), type=ContractDocument) == doc


def test_yuan_and_article_numbers() -> None:
    assert yuan(1234567890) == "12,345,678.90"
    assert yuan(5) == "0.05"
    assert yuan(-100) == "-1.00"
    assert [article_number(n) for n in (1, 10, 11, 20, 21, 99)] == [
        "一", "十", "十一", "二十", "二十一", "九十九",
    ]  # fmt: skip


def test_every_template_field_has_a_value() -> None:
    values = field_values(sample_document(36))
    assert values.keys() == TEMPLATE_FIELDS.keys()
    assert values["lessee_name"] == LESSEE and values["vin"] == VIN
    assert values["dealer_name"] == "北京朝阳华通汽车销售服务有限公司"
    assert field_values(sample_document(36, lease_type="sale_leaseback"))["dealer_name"] == "无"


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
