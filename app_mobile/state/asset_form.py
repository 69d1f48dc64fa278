"""The asset step of a partner application 融资标的: a receivable, a waybill's freight or charging
piles, as the clerk types them.

Plain data, no Flet: `fields` says what the family asks for (the view draws them in order),
`check` judges one field as typed with the server's own rules (the USCC's check character, the
dates, the amount), and `to_input` gives the `AssetInput` once every field is valid — checked
again by `common.assets`, so the step is never left with what the server would refuse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import msgspec

from app_mobile.state.field_checks import OK, FieldCheck, check_amount, check_region, from_check
from common.api import limits
from common.api.intake import AssetInput
from common.assets import KIND_OF_FAMILY, asset_of
from common.errors import DomainError
from common.identity import validate_uscc
from common.products import ProductFamily

TEXT, USCC, DATE, MONEY, REGION, SERIALS = "text", "uscc", "date", "money", "region", "serials"


@dataclass(frozen=True)
class AssetField:
    """One field of the form: the attribute it fills, the API field it becomes, how it is
    checked, its label (Chinese, English) and its longest text."""

    attribute: str
    wire: str
    kind: str
    zh: str
    en: str
    max_length: int = 0

    def label(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


F = AssetField
_PARTY, _DOC = limits.ASSET_PARTY_NAME, limits.DOCUMENT_NUMBER
_RECEIVABLE = (
    F("party_name", "debtor_name", TEXT, "债务人（买方）名称", "Debtor (buyer)", _PARTY),
    F("party_uscc", "debtor_uscc", USCC, "债务人统一社会信用代码", "Debtor's credit code"),
    F("document_number", "invoice_number", TEXT, "发票号码", "Invoice number", _DOC),
    F("document_date", "invoice_date", DATE, "开票日期", "Invoice date"),
    F("due_date", "due_date", DATE, "应收账款到期日", "Receivable due on"),
    F("amount", "amount", MONEY, "应收账款金额（元）", "Receivable (yuan)"),
)
_FREIGHT = (
    F("party_name", "shipper_name", TEXT, "托运人名称", "Shipper", _PARTY),
    F("party_uscc", "shipper_uscc", USCC, "托运人统一社会信用代码", "Shipper's credit code"),
    F("document_number", "waybill_number", TEXT, "运单号", "Waybill number", _DOC),
    F("route", "route", TEXT, "线路", "Route", limits.FREIGHT_ROUTE),
    F("document_date", "delivered_on", DATE, "签收日期", "Delivered on"),
    F("due_date", "due_date", DATE, "运费结算日", "Freight due on"),
    F("amount", "amount", MONEY, "运费金额（元）", "Freight (yuan)"),
)
_EQUIPMENT = (
    F("equipment_model", "model", TEXT, "设备型号", "Equipment model", limits.EQUIPMENT_MODEL),
    F("serials", "serial_numbers", SERIALS, "设备序列号（每行一个）", "Serial numbers, one a line"),
    F("site_address", "site_address", TEXT, "安装地点", "Site address", limits.SITE_ADDRESS),
    F("site_region", "region_code", REGION, "安装地区代码（6位）", "Site region code"),
    F("amount", "price", MONEY, "设备总价（元）", "Equipment price (yuan)"),
)
FIELDS: dict[str, tuple[AssetField, ...]] = {
    ProductFamily.SUPPLIER_FINANCE.value: _RECEIVABLE,
    ProductFamily.FREIGHT_ADVANCE.value: _FREIGHT,
    ProductFamily.CHARGING_PILE.value: _EQUIPMENT,
}
_SERIAL = re.compile(r"[0-9A-Za-z\-_/.]+")
_SEPARATORS = re.compile(r"[\s,，;；、]+")


def serials_of(raw: str) -> list[str]:
    """Serial numbers as typed or pasted: one per line, or separated by commas or spaces."""
    return [s for s in _SEPARATORS.split(raw.strip()) if s]


def parse_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


def _text(raw: str, max_length: int) -> FieldCheck:
    text = raw.strip()
    if not text:
        return FieldCheck(False, "必填", "Required")
    if len(text) > max_length:
        return FieldCheck(False, f"最多{max_length}个字", f"At most {max_length} characters")
    if limits.has_control(text):
        return FieldCheck(False, "含有无效字符", "Holds a control character")
    return OK


def _serials(raw: str) -> FieldCheck:
    serials = serials_of(raw)
    if not serials:
        return FieldCheck(False, "请填写设备序列号", "Enter the serial numbers")
    if len(serials) > limits.SERIALS_MAX:
        return FieldCheck(False, f"一份合同最多{limits.SERIALS_MAX}台设备",
                          f"At most {limits.SERIALS_MAX} units on one lease")  # fmt: skip
    bad = next((s for s in serials if not _SERIAL.fullmatch(s) or len(s) > limits.SERIAL_NUMBER),
               None)  # fmt: skip
    if bad is not None:
        return FieldCheck(False, f"序列号无效：{bad}", f"Not a serial number: {bad}")
    upper = [s.upper() for s in serials]
    if len(set(upper)) != len(upper):
        return FieldCheck(False, "设备序列号重复", "A serial number appears twice")
    return OK


def _date(raw: str) -> FieldCheck:
    value = parse_date(raw)
    if value is None or not limits.date_ok(value):
        return FieldCheck(False, "日期格式应为 YYYY-MM-DD", "A date as YYYY-MM-DD")
    return OK


@dataclass
class AssetForm:
    """What the clerk typed; which attributes count depends on the family."""

    party_name: str = ""  # the debtor 债务人 or the shipper 托运人
    party_uscc: str = ""
    document_number: str = ""  # the invoice 发票号码 or the waybill 运单号
    document_date: str = ""  # invoiced or delivered on, YYYY-MM-DD
    due_date: str = ""
    route: str = ""
    equipment_model: str = ""
    serials: str = ""  # one per line
    site_address: str = ""
    site_region: str = ""
    amount: str = ""  # the receivable, the freight or the equipment's price: the deal's price

    def check(self, spec: AssetField) -> FieldCheck:
        raw = str(getattr(self, spec.attribute))
        if spec.kind == USCC:
            uscc = validate_uscc(raw)
            return from_check(uscc.valid, uscc.message, uscc.message_en)
        if spec.kind == DATE:
            return _date(raw)
        if spec.kind == MONEY:
            money = check_amount(raw, required=True)
            if money.ok and Decimal(raw.strip().replace(",", "")) <= 0:
                return FieldCheck(False, "金额应大于0", "The amount must be positive")
            return money
        if spec.kind == REGION:
            return check_region(raw, required=True)
        if spec.kind == SERIALS:
            return _serials(raw)
        return _text(raw, spec.max_length)

    def problems(self, family: str, today: date, language: str) -> list[str]:
        """Why the step cannot be left: each field's reason with its label, then what the
        server's checks of the whole asset say (dates in order, not in the future)."""
        colon = "：" if language == "zh" else ": "
        out = [f"{f.label(language)}{colon}{c.text(language)}"
               for f in FIELDS[family] if not (c := self.check(f)).ok]  # fmt: skip
        if out:
            return out
        try:
            asset_of(ProductFamily(family), self._input(family), today)
        except DomainError as exc:
            return [exc.message if language == "zh" else exc.message_en]
        return []

    def to_input(self, family: str, today: date) -> AssetInput | None:
        """The asset for the draft, or None while any field is not valid yet."""
        if not all(self.check(f).ok for f in FIELDS[family]):
            return None
        try:
            data = self._input(family)
            asset_of(ProductFamily(family), data, today)
        except (DomainError, msgspec.ValidationError, ValueError):
            return None
        return data

    def _input(self, family: str) -> AssetInput:
        wire = {f.wire: self._wire_value(f) for f in FIELDS[family]}
        tag = KIND_OF_FAMILY[ProductFamily(family)]  # the union's tag names the asset's kind
        asset: AssetInput = msgspec.convert({"type": tag, **wire}, AssetInput)
        return asset

    def _wire_value(self, spec: AssetField) -> object:
        raw = str(getattr(self, spec.attribute)).strip()
        if spec.kind == SERIALS:
            return serials_of(raw)
        if spec.kind == USCC:
            return validate_uscc(raw).value
        if spec.kind == MONEY:
            return raw.replace(",", "")
        return raw
