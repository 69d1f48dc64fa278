"""Checks of what the clerk types, each with its reason in Chinese and English (shown on the
field as it is typed; the server applies the same limits)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from common.api import limits


@dataclass
class FieldCheck:
    ok: bool
    message: str = ""  # Chinese reason when not ok
    message_en: str = ""

    def text(self, language: str) -> str:
        return self.message if language == "zh" else (self.message_en or self.message)


OK = FieldCheck(True)


def from_check(valid: bool, message: str, message_en: str) -> FieldCheck:
    return OK if valid else FieldCheck(False, message, message_en)


def check_name(raw: str) -> FieldCheck:
    name = raw.strip()
    if not name:
        return FieldCheck(False, "请填写姓名或企业名称", "The name is missing")
    if len(name) > limits.CUSTOMER_NAME or len(name.encode()) > limits.CUSTOMER_NAME_BYTES:
        return FieldCheck(False, "名称过长", "The name is too long")  # the server's own limits
    if limits.has_control(name):
        return FieldCheck(False, "名称含有无效字符", "The name holds a control character")
    return OK


def check_amount(raw: str, *, required: bool = False) -> FieldCheck:
    text = raw.strip().replace(",", "")
    if not text:
        return FieldCheck(False, "必填", "Required") if required else OK
    if not text.isascii():  # the server takes ASCII digits only (no full-width ０-９)
        return FieldCheck(False, "请输入有效金额", "Enter a valid amount")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return FieldCheck(False, "请输入有效金额", "Enter a valid amount")
    if not value.is_finite() or value < 0 or value.as_tuple().exponent < -2:  # type: ignore[operator]
        return FieldCheck(False, "请输入有效金额", "Enter a valid amount")
    return OK


def check_region(raw: str, *, required: bool = False) -> FieldCheck:
    """A GB/T 2260 region code: six ASCII digits (a customer's may be left out: the shop's is
    theirs; an equipment site's may not)."""
    text = raw.strip()
    if (not text and not required) or (len(text) == 6 and text.isascii() and text.isdigit()):
        return OK
    return FieldCheck(False, "地区代码应为6位数字", "A region code has 6 digits")
