"""Contract templates: the template checks, the numbering, the rendered clauses; each product
family's own template, and the vehicle leases' kept as they were."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from common.contract_clauses import COMMON, DIRECT_LEASE, SALE_LEASEBACK
from common.contract_document import ContractDocument, RevenueShare, field_values
from common.contract_templates import (
    DEFAULT_TEMPLATE,
    FAMILY_TEMPLATE_IDS,
    SHIPPED_TEMPLATES,
    Clause,
    ContractTemplate,
    article_number,
    check_template,
    render_clauses,
    template_family,
)
from common.errors import DomainError
from common.products import ProductFamily
from tests.support.contracts import LESSEE, VIN, sample_document, sample_partner_document


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


# What only a car lease says: the car, its GPS, its motor insurance, its registration, its dealer.
CAR_ONLY = ("车辆", "车载定位装置", "GPS", "机动车", "年检", "提车", "第三者责任险", "经销商")
SHARING = RevenueShare(share_percent="15", report_due_days=10)


def _partner(kind: str, **kw: Any) -> tuple[ContractTemplate, ContractDocument]:
    family, doc = sample_partner_document(kind, **kw)
    return SHIPPED_TEMPLATES[ProductFamily(family)], doc


def _text(template: ContractTemplate, doc: ContractDocument) -> str:
    return "\n".join(h + b for h, b in render_clauses(template, doc))


def test_each_family_has_its_own_template_and_each_renders() -> None:
    assert set(SHIPPED_TEMPLATES) == set(ProductFamily) == set(FAMILY_TEMPLATE_IDS)
    assert len(set(FAMILY_TEMPLATE_IDS.values())) == len(ProductFamily)
    for family, template in SHIPPED_TEMPLATES.items():
        assert template.id == FAMILY_TEMPLATE_IDS[family] and template.version == 1
        assert template_family(template.id) is family
        assert check_template(template) == [], family
    assert SHIPPED_TEMPLATES[ProductFamily.VEHICLE] is DEFAULT_TEMPLATE


def test_the_vehicle_leases_keep_their_clauses_exactly() -> None:
    for lease_type, own in (("direct_lease", DIRECT_LEASE), ("sale_leaseback", SALE_LEASEBACK)):
        doc = sample_document(36, lease_type=lease_type)
        values = field_values(doc)
        expected = [(h.format_map(values), b.format_map(values)) for h, b in (*own, *COMMON)]
        rendered = [(h.split(" ", 1)[1], b) for h, b in render_clauses(DEFAULT_TEMPLATE, doc)]
        assert rendered == expected
    assert DEFAULT_TEMPLATE.roles == {} and DEFAULT_TEMPLATE.title == "汽车融资租赁合同"
    # and its wire form is as it was: no empty `when` or `roles` in the JSON
    assert b'"when"' not in msgspec.json.encode(DEFAULT_TEMPLATE)
    assert b'"roles"' not in msgspec.json.encode(DEFAULT_TEMPLATE)


def test_a_supplier_finance_contract_assigns_the_receivable_with_recourse() -> None:
    text = _text(*_partner("receivable"))
    for heading in ("应收账款转让", "转让通知", "卖方的陈述与保证", "回款账户与清偿", "追索权"):
        assert heading in text
    assert "书面通知债务人标的应收账款已转让予保理商" in text  # notice binds the debtor
    assert "未设定其他权利负担" in text and "真实、合法的货物销售交易" in text
    assert "有追索权" in text and "回购标的应收账款" in text
    assert "先息后本" in text and "融资本金于融资到期日" in text and "按月计收" in text
    assert "付至保理商指定的收款账户" in text
    assert "华东汽车集团有限公司" in text and "3100254130-00428816" in text
    assert "2026年6月4日" in text  # the receivable's due date
    assert not [w for w in CAR_ONLY if w in text]
    assert "租赁物" not in text and "承租人" not in text  # financed, not leased


def test_a_freight_advance_contract_pledges_the_delivered_waybills_freight() -> None:
    text = _text(*_partner("freight"))
    for heading in ("承运人的保证", "托运人的付款义务", "运费应收款质押", "追索"):
        assert heading in text
    assert "经收货人签收" in text and "SD2026120300187" in text and "广州—武汉" in text
    assert "托运人应于运费结算日2026年5月8日支付上述运费" in text
    assert "质权自登记时设立" in text
    assert "垫付本金以托运人于运费结算日支付的运费偿还" in text
    assert not [w for w in CAR_ONLY if w in text]
    assert "租赁物" not in text and "承租人" not in text


def test_a_charging_pile_lease_lists_its_equipment_site_ownership_and_end_of_term() -> None:
    template, doc = _partner("equipment", revenue_share=SHARING)
    text = _text(template, doc)
    assert "本合同为直租" in text and "共24台" in text and "设备清单" in text
    assert "上海市浦东新区川沙路5558号" in text  # 安装地点
    assert "所有权归出租人" in text and "融资租赁登记" in text
    assert "日常运维" in text and "财产一切险" in text and "第一受益人" in text
    assert "留购" in text and "返还" in text and "恢复安装场地" in text
    assert "保底租金" in text and "可变租金" in text
    assert "每个自然月结束后10日内" in text and "当月电费收入的15%" in text
    assert not [w for w in CAR_ONLY if w in text]
    headings = [h for h, _ in render_clauses(template, doc)]
    assert headings[5] == "第六条 电费分账"  # right after the rent, and numbered in turn


def test_a_charging_pile_lease_without_revenue_sharing_has_no_sharing_clause() -> None:
    template, doc = _partner("equipment")
    clauses = render_clauses(template, doc)
    text = "\n".join(h + b for h, b in clauses)
    assert "电费分账" not in text and "保底租金" not in text and "可变租金" not in text
    shared = render_clauses(template, _partner("equipment", revenue_share=SHARING)[1])
    assert len(clauses) == len(shared) - 1
    assert [h.split(" ")[0] for h, _ in clauses] == [
        f"第{article_number(n)}条" for n in range(1, len(clauses) + 1)
    ]


def test_a_charging_pile_sale_leaseback_has_its_own_transfer_clause() -> None:
    text = _text(*_partner("equipment", lease_type="sale_leaseback"))
    assert "本合同为售后回租" in text and "占有改定" in text and "本合同为直租" not in text


def test_a_contract_takes_only_its_own_familys_template() -> None:
    receivable, car = _partner("receivable")[1], sample_document(36)
    charging = SHIPPED_TEMPLATES[ProductFamily.CHARGING_PILE]
    supplier = SHIPPED_TEMPLATES[ProductFamily.SUPPLIER_FINANCE]
    for template, doc in ((DEFAULT_TEMPLATE, receivable), (charging, receivable), (supplier, car)):
        with pytest.raises(DomainError) as e:
            render_clauses(template, doc)
        assert e.value.code == "template_family_differs"


def test_a_partner_template_is_checked_for_its_own_sections_roles_and_conditions() -> None:
    supplier = SHIPPED_TEMPLATES[ProductFamily.SUPPLIER_FINANCE]
    leased = msgspec.structs.replace(
        supplier, clauses={**supplier.clauses, "direct_lease": [Clause("租赁物", "出租")]}
    )
    assert any("未知的条款分组“direct_lease”" in p for p in check_template(leased))
    charging = SHIPPED_TEMPLATES[ProductFamily.CHARGING_PILE]
    no_leaseback = msgspec.structs.replace(
        charging, clauses={k: v for k, v in charging.clauses.items() if k != "sale_leaseback"}
    )
    assert any("缺少“售后回租”条款" in p for p in check_template(no_leaseback))
    unconditional = [Clause("分成", "分成比例{revenue_share_percent}%")]
    problems = check_template(
        msgspec.structs.replace(charging, clauses={**charging.clauses, "common": unconditional})
    )
    assert any("只能用于电费分账条款" in p for p in problems), problems
    unknown = [Clause("分成", "按月分成", when="weather")]
    assert any(
        "未知的适用条件“weather”" in p
        for p in check_template(
            msgspec.structs.replace(charging, clauses={**charging.clauses, "common": unknown})
        )
    )
    assert check_template(msgspec.structs.replace(supplier, roles={"factor": "保理商"}))
    assert check_template(msgspec.structs.replace(supplier, roles={"lessor": " "}))


def test_a_vehicle_template_saved_with_the_retired_partner_groups_still_renders() -> None:
    legacy = _with(receivable=[Clause("融资标的", "承租人{lessee_name}的应收账款")])
    assert check_template(legacy) == []
    doc = sample_document(36)
    assert render_clauses(legacy, doc) == render_clauses(DEFAULT_TEMPLATE, doc)
