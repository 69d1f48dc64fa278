"""The content of a lease contract (电子合同): who, what car, which terms, schedule, clauses.

A partner product's contract finances an asset instead of a car: its ``asset`` section (the
receivable assigned 应收账款转让, the waybill's freight 运费, the equipment list 设备清单 with
serial numbers) takes the place of ``vehicle``; the rest is the same contract.

Everything here is pure data: the backend renders a `ContractDocument` with a `ContractTemplate`
to PDF (`backend.contracts.pdf`) and seals it. Amounts are integer fen; rates are percent strings
as disclosed ("6.85"); personal data arrives masked (`common.identity.masking`) because the PDF
is handed to the lessee, the dealer and whoever they forward it to.

A template is data an operator may edit, so its template fields are a fixed, documented set
(`TEMPLATE_FIELDS`) of bare names: `check_template` refuses anything else (attribute access,
format specs, unbalanced braces), which is also what makes `str.format_map` safe on it.
"""

from __future__ import annotations

from datetime import date
from string import Formatter

import msgspec

from common.contract_clauses import COMMON, DEFAULT_TITLE, DIRECT_LEASE, SALE_LEASEBACK
from common.errors import DomainError
from common.money import from_fen, to_fen
from common.schedule import Schedule

LEASE_TYPES = {"direct_lease": "直租", "sale_leaseback": "售后回租"}
ROLES = {
    "lessor": "出租人",
    "lessee": "承租人",
    "dealer": "出卖人（经销商）",
    "guarantor": "保证人",
}
METHOD_NAMES = {
    "annuity": "等额本息",
    "equal_principal": "等额本金",
    "interest_only": "先息后本",
    "balloon": "弹性尾款",
    "flat": "平息",
}
COMMON_SECTION = "common"

# The template fields a clause may use, each with what it becomes (money in yuan, "12,345.60").
TEMPLATE_FIELDS: dict[str, str] = {
    "contract_number": "合同编号",
    "issued_on": "签发日期",
    "lessor_name": "出租人名称",
    "lessee_name": "承租人名称",
    "dealer_name": "出卖人（经销商）名称",
    "guarantor_name": "保证人名称",
    "vin": "车辆识别代号",
    "maker": "品牌",
    "model": "车型",
    "model_year": "年款",
    "vehicle_price": "车辆价格（元）",
    "product_name": "产品名称",
    "lease_type_name": "租赁方式（直租/售后回租）",
    "method_name": "还款方式",
    "principal": "融资金额（元）",
    "down_payment": "首付款（元）",
    "deposit": "保证金（元）",
    "balloon": "尾款（元）",
    "fees": "手续费等费用（元）",
    "term_months": "租赁期限（月）",
    "nominal_rate_percent": "名义年利率（%）",
    "annualised_rate_percent": "年化利率（IRR，含费用，%）",
    "monthly_payment": "每期租金（元）",
    "total_payment": "租金总额（元）",
    "total_interest": "利息总额（元）",
    "start_date": "起租日",
    "first_due_date": "首期还款日",
    "end_date": "末期还款日",
    "asset_name": "融资标的",
    "asset_amount": "标的金额（元）",
    "counterparty_name": "债务人 / 托运人",
    "asset_document": "发票号码 / 运单号 / 设备序列号",
    "asset_due_date": "应收账款到期日",
}
ASSET_NAMES = {"receivable": "应收账款", "freight": "运费应收款", "equipment": "充电桩设备"}
# How the asset secures the lease (printed in the asset section).
ASSET_ARRANGEMENTS = {
    "receivable": "应收账款转让：承租人将上述应收账款及其从权利转让予出租人，"
    "并书面通知债务人于到期日向出租人指定账户付款；"
    "债务人付款用于清偿本合同项下款项，不足部分由承租人补足。",
    "freight": "运费应收款质押：承租人以上述运单项下的运费应收款向出租人出质，"
    "并于中国人民银行征信中心动产融资统一登记公示系统办理登记；"
    "托运人付款用于清偿本合同项下款项。",
    "equipment": "设备所有权：租赁期内下列设备的所有权归出租人，"
    "承租人按设备清单占有、使用并维护；设备不得转让、抵押或移出所列场址。",
}


class Party(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    role: str  # "lessor" | "lessee" | "dealer" | "guarantor"
    name: str
    id_label: str  # masked resident ID or USCC as shown, "1101**********1234"
    kind: str  # "person" | "company"
    mobile: str = ""  # masked, "138****5678"
    address: str = ""
    representative: str = ""  # a company's authorised person (法定代表人/授权代表)


class Vehicle(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    vin: str
    maker: str
    model: str
    model_year: int
    price_fen: int
    is_new: bool


class AssetSection(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a partner product finances 融资标的, as the contract lists it. Company names and
    codes are not personal data: printed in full."""

    kind: str  # "receivable" | "freight" | "equipment"
    amount_fen: int  # the receivable, the freight, or the equipment price
    counterparty: str = ""  # 债务人 / 托运人 (who pays the receivable)
    counterparty_uscc: str = ""
    document_number: str = ""  # 发票号码 / 运单号
    issued_on: date | None = None  # 开票日 / 签收日
    due_date: date | None = None  # 到期日 / 运费结算日
    route: str = ""  # 运输线路
    model: str = ""  # 设备型号
    serial_numbers: list[str] = []  # 设备清单
    site_address: str = ""  # 安装场址

    @property
    def name(self) -> str:
        return ASSET_NAMES.get(self.kind, self.kind)


class Terms(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    product_name: str
    lease_type: str  # "direct_lease" 直租 | "sale_leaseback" 售后回租
    principal_fen: int
    down_payment_fen: int
    deposit_fen: int
    balloon_fen: int
    fees_fen: int
    method: str  # common.lease_terms.Method value
    term_months: int
    nominal_rate_percent: str
    annualised_rate_percent: str  # IRR including fees (PBOC 2021): the rate to disclose
    monthly_payment_fen: int
    total_payment_fen: int
    total_interest_fen: int
    start_date: date
    upfront_fees_fen: int = 0  # of fees_fen, those paid at signing (not on a schedule line)


class ScheduleLine(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    number: int
    due_date: date
    payment_fen: int  # principal + interest
    principal_fen: int
    interest_fen: int
    fees_fen: int
    amount_due_fen: int  # what is collected on the day: payment + fees - deposit offset
    balance_fen: int  # principal outstanding after it
    kind: str  # "rent" | "balloon"


class ContractDocument(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    number: str  # "AL-2026-000123"
    issued_on: date
    parties: list[Party]
    vehicle: Vehicle | None  # a vehicle lease's car; None for a partner product
    terms: Terms
    schedule: list[ScheduleLine]
    template_id: str
    template_version: int
    asset: AssetSection | None = None  # a partner product's asset, in place of the vehicle

    def party(self, role: str) -> Party | None:
        return next((p for p in self.parties if p.role == role), None)


class Clause(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    heading: str
    body: str  # may hold {fields} from TEMPLATE_FIELDS; "{{" and "}}" are literal braces


class ContractTemplate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    version: int
    title: str
    clauses: dict[str, list[Clause]]  # LEASE_TYPES keys and COMMON_SECTION


def schedule_lines(schedule: Schedule) -> list[ScheduleLine]:
    """The schedule's lines in fen, as printed in the contract's 租金支付表."""
    return [
        ScheduleLine(
            number=i.number,
            due_date=i.due_date,
            payment_fen=to_fen(i.payment),
            principal_fen=to_fen(i.principal),
            interest_fen=to_fen(i.interest),
            fees_fen=to_fen(i.fees),
            amount_due_fen=to_fen(i.amount_due),
            balance_fen=to_fen(i.balance),
            kind=str(i.kind),
        )
        for i in schedule.instalments
    ]


def yuan(fen: int) -> str:
    """Display form of an amount in a contract: "12,345.60" (yuan, two decimals, grouped)."""
    return f"{from_fen(fen):,.2f}"


def chinese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


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


def field_values(doc: ContractDocument) -> dict[str, str]:
    """What each template field says for `doc`; a party the contract has not got reads 无."""
    t, v, a = doc.terms, doc.vehicle, doc.asset

    def name(role: str) -> str:
        p = doc.party(role)
        return p.name if p else "无"

    values = {
        "contract_number": doc.number,
        "issued_on": chinese_date(doc.issued_on),
        "lessor_name": name("lessor"),
        "lessee_name": name("lessee"),
        "dealer_name": name("dealer"),
        "guarantor_name": name("guarantor"),
        "vin": v.vin if v else "无",
        "maker": v.maker if v else "无",
        "model": v.model if v else (a.model or "无") if a else "无",
        "model_year": str(v.model_year) if v else "无",
        "vehicle_price": yuan(v.price_fen) if v else "无",
        "asset_name": a.name if a else "车辆",
        "asset_amount": yuan(a.amount_fen if a else (v.price_fen if v else 0)),
        "counterparty_name": a.counterparty if a and a.counterparty else "无",
        "asset_document": _asset_document(a) if a else (v.vin if v else "无"),
        "asset_due_date": chinese_date(a.due_date) if a and a.due_date else "无",
        "product_name": t.product_name,
        "lease_type_name": LEASE_TYPES.get(t.lease_type, t.lease_type),
        "method_name": METHOD_NAMES.get(t.method, t.method),
        "principal": yuan(t.principal_fen),
        "down_payment": yuan(t.down_payment_fen),
        "deposit": yuan(t.deposit_fen),
        "balloon": yuan(t.balloon_fen),
        "fees": yuan(t.fees_fen),
        "term_months": str(t.term_months),
        "nominal_rate_percent": t.nominal_rate_percent,
        "annualised_rate_percent": t.annualised_rate_percent,
        "monthly_payment": yuan(t.monthly_payment_fen),
        "total_payment": yuan(t.total_payment_fen),
        "total_interest": yuan(t.total_interest_fen),
        "start_date": chinese_date(t.start_date),
        "first_due_date": chinese_date(doc.schedule[0].due_date) if doc.schedule else "无",
        "end_date": chinese_date(doc.schedule[-1].due_date) if doc.schedule else "无",
    }
    return values


def _asset_document(a: AssetSection) -> str:
    if a.serial_numbers:
        return "、".join(a.serial_numbers)
    return a.document_number or "无"


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
