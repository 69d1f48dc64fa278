"""Contract templates 合同模板 as data: the clauses a contract is worded with, checked, rendered.

A template is data an operator may edit, so its template fields are a fixed, documented set
(`common.contract_document.TEMPLATE_FIELDS`) of bare names: `check_template` refuses anything
else (attribute access, format specs, unbalanced braces), which is also what makes
`str.format_map` safe on it. `render_clauses` numbers a document's clauses (第一条 ...); the
backend draws them into the PDF (`backend.contracts.pdf`).

Each product family has a template of its own (`FAMILY_TEMPLATE_IDS`), chosen by the contract's
family: the vehicle leases' `lease-standard` (`common.contract_clauses`) and one per partner
family (`common.partner_clauses`), each versioned apart. A clause may apply only when the
contract has a feature (``when``: revenue sharing 电费分账), and a template may name the parties
as its contract does (``roles``: a receivable's 保理商 and 卖方 are no lessor and lessee).
"""

from __future__ import annotations

from string import Formatter

import msgspec

from common import partner_clauses as partner
from common.assets import KIND_OF_FAMILY
from common.contract_clauses import COMMON, DEFAULT_TITLE, DIRECT_LEASE, SALE_LEASEBACK
from common.contract_document import (
    LEASE_TYPES,
    ROLES,
    TEMPLATE_FIELDS,
    ContractDocument,
    field_values,
)
from common.errors import DomainError
from common.products import RECEIVABLE_FAMILIES, ProductFamily

COMMON_SECTION = "common"
# A clause with a ``when`` is in a contract only when the contract has that feature; the fields
# that say what the feature is are for those clauses only.
CLAUSE_CONDITIONS = {"revenue_share": "电费分账"}
CONDITION_FIELDS = {
    "revenue_share": frozenset({"revenue_share_percent", "revenue_report_due_days"})
}


class Clause(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    heading: str
    body: str  # may hold {fields} from TEMPLATE_FIELDS; "{{" and "}}" are literal braces
    when: str = ""  # "": always; a CLAUSE_CONDITIONS key: only in a contract that has it


class ContractTemplate(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    id: str
    version: int
    title: str
    clauses: dict[str, list[Clause]]  # the family's sections (`sections_of`)
    roles: dict[str, str] = {}  # how this contract names a party, where not as ROLES

    def role_name(self, role: str) -> str:
        return self.roles.get(role) or ROLES.get(role, role)


def article_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 25 -> 二十五 (第N条), for 1..99."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")
    return head + (digits[ones] if ones or not tens else "")


# Each product family's contract template 合同模板, by the id its versions are saved under: a
# contract takes its family's, so a partner product never reads the vehicle lease's clauses.
FAMILY_TEMPLATE_IDS = {
    ProductFamily.VEHICLE: "lease-standard",
    ProductFamily.SUPPLIER_FINANCE: "supplier-finance-standard",
    ProductFamily.FREIGHT_ADVANCE: "freight-advance-standard",
    ProductFamily.CHARGING_PILE: "charging-pile-standard",
}
_FAMILY_OF_TEMPLATE = {template_id: family for family, template_id in FAMILY_TEMPLATE_IDS.items()}
# The partner wording a lease-standard version could carry before each family had a template of
# its own: still accepted in a saved version, never rendered.
_RETIRED_SECTIONS = ("receivable", "freight", "equipment")
MAX_ARTICLES = 99  # what `article_number` writes


def template_family(template_id: str) -> ProductFamily:
    """The family a template is written for (any id not a family's is checked as a vehicle's)."""
    return _FAMILY_OF_TEMPLATE.get(template_id, ProductFamily.VEHICLE)


def sections_of(family: ProductFamily) -> tuple[str, ...]:
    """A family's clause groups: each lease type's own (what is leased, how ownership passes),
    then `common`. A receivable is financed, not leased: its template has only `common`."""
    if family in RECEIVABLE_FAMILIES:
        return (COMMON_SECTION,)
    return (*LEASE_TYPES, COMMON_SECTION)


def _field_problems(where: str, text: str, when: str = "") -> list[str]:
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
        for condition, names in CONDITION_FIELDS.items():
            if name in names and when != condition:
                feature = CLAUSE_CONDITIONS[condition]
                problems.append(f"{where}：占位符 {{{name}}} 只能用于{feature}条款")
    return problems


def _clause_problems(where: str, clause: Clause) -> list[str]:
    problems = []
    if not clause.heading.strip() or not clause.body.strip():
        problems.append(f"{where}：标题或正文为空")
    if clause.when and clause.when not in CLAUSE_CONDITIONS:
        problems.append(f"{where}：未知的适用条件“{clause.when}”")
    problems += _field_problems(f"{where}标题", clause.heading, clause.when)
    problems += _field_problems(where, clause.body, clause.when)
    return problems


def check_template(t: ContractTemplate) -> list[str]:
    """What keeps `t` from rendering, in Chinese; empty when it renders every contract of its
    family (`template_family`), for every lease type."""
    problems = []
    if not t.id.strip():
        problems.append("模板编号为空")
    if t.version < 1:
        problems.append("模板版本须为正整数")
    if not t.title.strip():
        problems.append("合同标题为空")
    if "{" in t.title or "}" in t.title:
        problems.append("合同标题不能含占位符或花括号")
    family = template_family(t.id)
    sections = sections_of(family)
    retired = _RETIRED_SECTIONS if family is ProductFamily.VEHICLE else ()
    for key in t.clauses:
        if key not in sections and key not in retired:
            problems.append(f"未知的条款分组“{key}”（应为 {'、'.join(sections)}）")
    for key in LEASE_TYPES:
        count = len(t.clauses.get(key, ())) + len(t.clauses.get(COMMON_SECTION, ()))
        if count > MAX_ARTICLES:
            problems.append(f"{LEASE_TYPES[key]}合同共{count}条，超过{MAX_ARTICLES}条")
    for key in sections:
        name = LEASE_TYPES.get(key) or "通用"
        clauses = t.clauses.get(key)
        if not clauses:
            problems.append(f"缺少“{name}”条款")
            continue
        for n, clause in enumerate(clauses, start=1):
            problems += _clause_problems(f"{name}条款第{n}条", clause)
    for role, label in t.roles.items():
        if role not in ROLES:
            problems.append(f"未知的当事人“{role}”")
        if not label.strip() or "{" in label or "}" in label:
            problems.append(f"当事人“{ROLES.get(role, role)}”的称谓为空或含花括号")
    return problems


def render_clauses(template: ContractTemplate, doc: ContractDocument) -> list[tuple[str, str]]:
    """The numbered clauses of `doc`: its lease type's own, then the common ones, each clause
    with a ``when`` only if `doc` has that feature.

    Raises `DomainError` `template_invalid` for a template `check_template` refuses,
    `template_family_differs` for another family's template, and `lease_type_invalid` for a
    lease type the house does not write."""
    problems = check_template(template)
    if problems:
        raise DomainError(
            "template_invalid",
            "合同模板有误：" + "；".join(problems),
            "the contract template does not render",
        )
    if KIND_OF_FAMILY.get(template_family(template.id)) != (doc.asset.kind if doc.asset else None):
        raise DomainError(
            "template_family_differs",
            "合同模板不适用于该产品类别",
            "the template is another product family's",
        )
    if doc.terms.lease_type not in LEASE_TYPES:
        raise DomainError(
            "lease_type_invalid",
            "租赁方式须为直租或售后回租",
            "lease type must be direct_lease or sale_leaseback",
            fields={"lease_type": "lease_type_invalid"},
        )
    values = field_values(doc)
    features = _features(doc)
    clauses = [
        c
        for c in (
            *template.clauses.get(doc.terms.lease_type, ()),
            *template.clauses[COMMON_SECTION],
        )
        if not c.when or c.when in features
    ]
    return [
        (f"第{article_number(n)}条 {c.heading.format_map(values)}", c.body.format_map(values))
        for n, c in enumerate(clauses, start=1)
    ]


def _features(doc: ContractDocument) -> set[str]:
    """The CLAUSE_CONDITIONS `doc` has: revenue sharing when its product carries it."""
    return {"revenue_share"} if doc.terms.revenue_share is not None else set()


def _clauses(data: tuple[partner.ClauseData, ...]) -> list[Clause]:
    return [Clause(*clause) for clause in data]


DEFAULT_TEMPLATE = ContractTemplate(
    id=FAMILY_TEMPLATE_IDS[ProductFamily.VEHICLE],
    version=1,
    title=DEFAULT_TITLE,
    clauses={
        "direct_lease": _clauses(DIRECT_LEASE),
        "sale_leaseback": _clauses(SALE_LEASEBACK),
        COMMON_SECTION: _clauses(COMMON),
    },
)
# The shipped version 1 of each family's template (the one in use until an admin saves another).
SHIPPED_TEMPLATES = {
    ProductFamily.VEHICLE: DEFAULT_TEMPLATE,
    ProductFamily.SUPPLIER_FINANCE: ContractTemplate(
        id=FAMILY_TEMPLATE_IDS[ProductFamily.SUPPLIER_FINANCE],
        version=1,
        title=partner.SUPPLIER_FINANCE_TITLE,
        clauses={COMMON_SECTION: _clauses(partner.SUPPLIER_FINANCE)},
        roles=partner.SUPPLIER_FINANCE_ROLES,
    ),
    ProductFamily.FREIGHT_ADVANCE: ContractTemplate(
        id=FAMILY_TEMPLATE_IDS[ProductFamily.FREIGHT_ADVANCE],
        version=1,
        title=partner.FREIGHT_ADVANCE_TITLE,
        clauses={COMMON_SECTION: _clauses(partner.FREIGHT_ADVANCE)},
        roles=partner.FREIGHT_ADVANCE_ROLES,
    ),
    ProductFamily.CHARGING_PILE: ContractTemplate(
        id=FAMILY_TEMPLATE_IDS[ProductFamily.CHARGING_PILE],
        version=1,
        title=partner.CHARGING_PILE_TITLE,
        clauses={
            "direct_lease": _clauses(partner.CHARGING_PILE_DIRECT_LEASE),
            "sale_leaseback": _clauses(partner.CHARGING_PILE_SALE_LEASEBACK),
            COMMON_SECTION: _clauses(partner.CHARGING_PILE),
        },
        roles=partner.CHARGING_PILE_ROLES,
    ),
}
