"""Contract templates 合同模板 as data: the clauses a contract is worded with, checked, rendered.

A template is data an operator may edit, so its template fields are a fixed, documented set
(`common.contract_document.TEMPLATE_FIELDS`) of bare names: `check_template` refuses anything
else (attribute access, format specs, unbalanced braces), which is also what makes
`str.format_map` safe on it. `render_clauses` numbers a document's clauses (第一条 ...); the
backend draws them into the PDF (`backend.contracts.pdf`).
"""

from __future__ import annotations

from string import Formatter

import msgspec

from common.contract_clauses import COMMON, DEFAULT_TITLE, DIRECT_LEASE, SALE_LEASEBACK
from common.contract_document import (
    ASSET_NAMES,
    LEASE_TYPES,
    TEMPLATE_FIELDS,
    ContractDocument,
    field_values,
)
from common.errors import DomainError

COMMON_SECTION = "common"


class Clause(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    heading: str
    body: str  # may hold {fields} from TEMPLATE_FIELDS; "{{" and "}}" are literal braces


class ContractTemplate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    version: int
    title: str
    clauses: dict[str, list[Clause]]  # LEASE_TYPES keys and COMMON_SECTION


def article_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 25 -> 二十五 (第N条), for 1..99."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")
    return head + (digits[ones] if ones or not tens else "")


# A partner product's contract says what is financed in its own words, in place of the lease
# type's vehicle clauses; a template may word them itself, else these are used.
ASSET_TITLES = {
    "receivable": "应收账款融资合同",
    "freight": "运费垫付融资合同",
    "equipment": "设备融资租赁合同",
}
ASSET_CLAUSES: dict[str, tuple[tuple[str, str], ...]] = {
    "receivable": (
        (
            "融资标的",
            "承租人{lessee_name}以其对债务人{counterparty_name}享有的{asset_name}"
            "（发票号码{asset_document}，金额人民币{asset_amount}元，到期日{asset_due_date}）"
            "向出租人{lessor_name}申请融资，融资金额为人民币{principal}元。",
        ),
        (
            "应收账款转让与通知",
            "承租人将上述应收账款转让予出租人，并于本合同签署后三日内书面通知"
            "债务人向出租人指定账户付款。债务人提出抗辩、抵销或未按期足额付款的，"
            "承租人应于到期日补足本合同项下全部应付款项。",
        ),
    ),
    "freight": (
        (
            "融资标的",
            "承租人{lessee_name}以其对托运人{counterparty_name}享有的{asset_name}"
            "（运单号{asset_document}，金额人民币{asset_amount}元，结算日{asset_due_date}）"
            "申请垫付，出租人{lessor_name}垫付金额为人民币{principal}元。",
        ),
        (
            "运费应收款质押",
            "承租人以上述运费应收款向出租人出质并配合办理登记；托运人付款优先"
            "清偿本合同项下款项，不足部分由承租人于结算日补足。",
        ),
    ),
    "equipment": (
        (
            "租赁物及租赁方式",
            "本合同为直租。承租人{lessee_name}自行选定出卖人{dealer_name}及租赁物"
            "{model}（设备序列号见设备清单），设备价款人民币{asset_amount}元。"
            "出租人{lessor_name}根据承租人的选择购买租赁物并出租给承租人使用。",
        ),
        (
            "所有权与场址",
            "租赁期内租赁物的所有权归出租人；承租人应将租赁物安装于设备清单所列场址，"
            "未经出租人书面同意不得迁移、转让、转租或设定担保。",
        ),
    ),
}
_SECTIONS = (COMMON_SECTION, *LEASE_TYPES, *ASSET_CLAUSES)  # asset groups optional
MAX_ARTICLES = 99  # what `article_number` writes


def _field_problems(where: str, text: str) -> list[str]:
    try:
        fields = list(Formatter().parse(text))
    except ValueError:
        return [f"{where}：花括号不成对（字面花括号请写作 {{{{ 或 }}}}）"]
    problems = []
    for _literal, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in TEMPLATE_FIELDS:
            problems.append(f"{where}：未知占位符 {{{name}}}")
        elif spec or conversion:
            problems.append(f"{where}：占位符 {{{name}}} 不能带格式或转换")
    return problems


def check_template(t: ContractTemplate) -> list[str]:
    """What keeps `t` from rendering, in Chinese; empty when it renders for every lease type."""
    problems = []
    if not t.id.strip():
        problems.append("模板编号为空")
    if t.version < 1:
        problems.append("模板版本须为正整数")
    if not t.title.strip():
        problems.append("合同标题为空")
    if "{" in t.title or "}" in t.title:
        problems.append("合同标题不能含占位符或花括号")
    for key in t.clauses:
        if key not in _SECTIONS:
            problems.append(f"未知的条款分组“{key}”（应为 {'、'.join(_SECTIONS)}）")
    for key in LEASE_TYPES:
        count = len(t.clauses.get(key, ())) + len(t.clauses.get(COMMON_SECTION, ()))
        if count > MAX_ARTICLES:
            problems.append(f"{LEASE_TYPES[key]}合同共{count}条，超过{MAX_ARTICLES}条")
    for key in _SECTIONS:
        name = LEASE_TYPES.get(key) or ASSET_NAMES.get(key) or "通用"
        clauses = t.clauses.get(key)
        if not clauses:
            if key not in ASSET_CLAUSES:  # a partner asset's own clauses have a default
                problems.append(f"缺少“{name}”条款")
            continue
        for n, clause in enumerate(clauses, start=1):
            where = f"{name}条款第{n}条"
            if not clause.heading.strip() or not clause.body.strip():
                problems.append(f"{where}：标题或正文为空")
            problems += _field_problems(f"{where}标题", clause.heading)
            problems += _field_problems(where, clause.body)
    return problems


def render_clauses(template: ContractTemplate, doc: ContractDocument) -> list[tuple[str, str]]:
    """The numbered clauses of `doc`: its lease type's own, then the common ones.

    Raises `DomainError` `template_invalid` for a template `check_template` refuses, and
    `lease_type_invalid` for a lease type the house does not write."""
    problems = check_template(template)
    if problems:
        raise DomainError(
            "template_invalid",
            "合同模板有误：" + "；".join(problems),
            "the contract template does not render",
        )
    if doc.terms.lease_type not in LEASE_TYPES:
        raise DomainError(
            "lease_type_invalid",
            "租赁方式须为直租或售后回租",
            "lease type must be direct_lease or sale_leaseback",
            fields={"lease_type": "lease_type_invalid"},
        )
    values = field_values(doc)
    own = template.clauses[doc.terms.lease_type]
    if doc.asset is not None:
        own = template.clauses.get(doc.asset.kind) or _clauses(ASSET_CLAUSES[doc.asset.kind])
    clauses = [*own, *template.clauses[COMMON_SECTION]]
    return [
        (f"第{article_number(n)}条 {c.heading.format_map(values)}", c.body.format_map(values))
        for n, c in enumerate(clauses, start=1)
    ]


def _clauses(pairs: tuple[tuple[str, str], ...]) -> list[Clause]:
    return [Clause(heading=h, body=b) for h, b in pairs]


DEFAULT_TEMPLATE = ContractTemplate(
    id="lease-standard",
    version=1,
    title=DEFAULT_TITLE,
    clauses={
        "direct_lease": _clauses(DIRECT_LEASE),
        "sale_leaseback": _clauses(SALE_LEASEBACK),
        COMMON_SECTION: _clauses(COMMON),
    },
)
