"""The content of a lease contract (电子合同): who, what car, which terms, the schedule.

A partner product's contract finances an asset instead of a car: its ``asset`` section (the
receivable assigned 应收账款转让, the waybill's freight 运费, the equipment list 设备清单 with
serial numbers) takes the place of ``vehicle``, and its family's own template
(`common.contract_templates.FAMILY_TEMPLATE_IDS`) words it.

Everything here is pure data: the backend renders a `ContractDocument` with a `ContractTemplate`
(`common.contract_templates`) to PDF (`backend.contracts.pdf`) and seals it. Amounts are integer
fen; rates are percent strings as disclosed ("6.85"); personal data arrives masked
(`common.identity.masking`) because the PDF is handed to the lessee, the dealer and whoever they
forward it to. `TEMPLATE_FIELDS` are what a template's clauses may say of a document.
"""

from __future__ import annotations

from datetime import date

import msgspec

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
    "asset_due_date": "应收账款到期日 / 运费结算日",
    "asset_issued_on": "开票日 / 签收日",
    "counterparty_uscc": "债务人 / 托运人统一社会信用代码",
    "route": "运输线路",
    "site_address": "安装地点",
    "equipment_count": "设备台数",
    "revenue_share_percent": "电费收入分成比例（%）",
    "revenue_report_due_days": "电费收入报送期限（月末后天数）",
}
ASSET_NAMES = {"receivable": "应收账款", "freight": "运费应收款", "equipment": "充电桩设备"}


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


class RevenueShare(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Revenue sharing 电费分账 as the contract states it (`common.revenue_share`)."""

    share_percent: str  # of the month's electricity revenue, as disclosed ("15")
    report_due_days: int  # the month's report is due this many days after its end


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
    revenue_share: RevenueShare | None = None  # 电费分账: the scheduled rent is the floor


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


def field_values(doc: ContractDocument) -> dict[str, str]:
    """What each template field says for `doc`; a party the contract has not got reads 无."""
    t, v, a = doc.terms, doc.vehicle, doc.asset
    rs = t.revenue_share

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
        "asset_issued_on": chinese_date(a.issued_on) if a and a.issued_on else "无",
        "counterparty_uscc": a.counterparty_uscc if a and a.counterparty_uscc else "无",
        "route": a.route if a and a.route else "无",
        "site_address": a.site_address if a and a.site_address else "无",
        "equipment_count": str(len(a.serial_numbers)) if a and a.serial_numbers else "无",
        "revenue_share_percent": rs.share_percent if rs else "无",
        "revenue_report_due_days": str(rs.report_due_days) if rs else "无",
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
