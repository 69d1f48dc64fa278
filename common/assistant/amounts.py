"""Amounts, shares and terms as people type them in a chat: "12万", "十二万", "120000", "3成",
"30%", "36期", "3年". Yuan come back as `Decimal` (never float); None when nothing is said."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_SCALE = {"万": Decimal(10_000), "w": Decimal(10_000), "千": Decimal(1000), "k": Decimal(1000)}
_NUMBER = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(万|w|千|k)?", re.IGNORECASE)
_CHINESE = re.compile(r"[零〇一二两三四五六七八九十百千万]+")
_PERCENT = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*[%％]|百分之([零一二两三四五六七八九十]+)")
_TENTHS = re.compile(r"([0-9一二两三四五六七八九])\s*成")
_MONTHS = re.compile(r"([0-9]+|[一二两三四五六七八九十]+)\s*(期|个月|月|年)")


def chinese_int(text: str) -> int | None:
    """一百二十 -> 120, 十二 -> 12, 三万五千 -> 35000; None for anything else."""
    if not text or any(c not in _DIGITS and c not in _UNITS and c != "万" for c in text):
        return None
    total, section, digit = 0, 0, None
    for c in text:
        if c in _DIGITS:
            digit = _DIGITS[c]
        elif c in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[c]
            digit = None
        else:  # 万
            total = (total + section + (digit or 0)) * 10_000
            section, digit = 0, None
    return total + section + (digit or 0)


def yuan(text: str) -> Decimal | None:
    """The first amount in ``text``, in yuan: "12.5万" 125000, "十二万" 120000, "8000元" 8000."""
    cleaned = text.replace(",", "").replace("，", "").replace(" ", "")
    found = _NUMBER.search(cleaned)
    if found:
        try:
            value = Decimal(found.group(1))
        except InvalidOperation:
            return None
        return value * _SCALE.get((found.group(2) or "").lower(), Decimal(1))
    words = _CHINESE.search(cleaned)
    if words is None:
        return None
    word = words.group(0)
    scale = Decimal(1)
    if word.endswith("万") and chinese_int(word) is None:  # 十二万 is read whole below
        word = word[:-1]
        scale = Decimal(10_000)
    number = chinese_int(word)
    return None if number is None else Decimal(number) * scale


def share(text: str) -> Decimal | None:
    """A share of the price, 0..1: "30%", "百分之三十", "3成"; "零首付"/"不付首付" is 0."""
    if "零首付" in text or "0首付" in text or "不付首付" in text or "没有首付" in text:
        return Decimal(0)
    found = _PERCENT.search(text)
    if found:
        value = (
            Decimal(found.group(1)) if found.group(1) else Decimal(chinese_int(found.group(2)) or 0)
        )
        return value / 100
    tenths = _TENTHS.search(text)
    if tenths:
        c = tenths.group(1)
        return Decimal(int(c) if c.isdigit() else _DIGITS[c]) / 10
    return None


def term_months(text: str) -> int | None:
    """ "36期" / "36个月" 36, "3年" / "三年" 36; a bare number: months from 6 up, else years."""
    found = _MONTHS.search(text)
    if found:
        raw, unit = found.groups()
        number = int(raw) if raw.isdigit() else chinese_int(raw)
        if number is None:
            return None
        return number * 12 if unit == "年" else number
    bare = re.fullmatch(r"\s*([0-9]{1,3})\s*", text)
    if bare:
        number = int(bare.group(1))
        return number if number >= 6 else number * 12
    return None
