"""Mainland China mobile numbers (手机号): 11 digits, 1 then 3-9, optional +86 / 0086 prefix."""

from __future__ import annotations

import re

from common.identity._result import Check, failed

_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
_SEPARATORS = re.compile(r"[\s\-()]+")
_COUNTRY_PREFIX = re.compile(r"^(?:\+86|0086|86)(?=\d{11}$)", re.ASCII)


def normalise_mobile(raw: str) -> str:
    return _COUNTRY_PREFIX.sub("", _SEPARATORS.sub("", raw))


def validate_mobile(raw: str) -> Check:
    """Validate a mainland mobile number; `value` is the bare 11 digits. Reasons: mobile_empty,
    mobile_format."""
    number = normalise_mobile(raw)
    if not number:
        return failed(Check, number, "mobile_empty")
    if not _MOBILE.fullmatch(number):
        return failed(Check, number, "mobile_format")
    return Check(valid=True, value=number)
