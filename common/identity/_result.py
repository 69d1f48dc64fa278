"""The shape every identity check returns, and the one way to turn a failed check into an error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from common.errors import DomainError


@dataclass(frozen=True, slots=True, kw_only=True)
class Check:
    """Outcome of validating one identifier.

    `value` is the normalised form (upper case, separators removed) whether or not it is valid;
    `reason` is a stable snake_case code when invalid, else None; `warnings` are codes that do not
    make the number invalid (e.g. an import VIN whose check digit does not match).
    """

    valid: bool
    value: str
    reason: str | None = None
    message: str = ""
    message_en: str = ""
    warnings: tuple[str, ...] = ()

    def raise_if_invalid(self, field: str) -> None:
        """Raise a DomainError (422) naming `field` when the check failed."""
        if not self.valid:
            raise DomainError(
                self.reason or "invalid",
                self.message,
                self.message_en,
                fields={field: self.reason or "invalid"},
            )


C = TypeVar("C", bound=Check)

REASONS: dict[str, tuple[str, str]] = {
    "vin_empty": ("请填写车架号", "The VIN is missing"),
    "vin_length": ("车架号应为17位", "A VIN has 17 characters"),
    "vin_illegal_char": (
        "车架号只能包含数字和字母（不含I、O、Q）",
        "A VIN contains only digits and letters other than I, O and Q",
    ),
    "vin_check_digit": (
        "车架号校验位不正确，请核对",
        "The VIN check digit (9th character) does not match",
    ),
    "id_empty": ("请填写证件号码", "The ID number is missing"),
    "id_length": ("身份证号码应为18位", "A resident ID number has 18 characters"),
    "id_format": (
        "身份证号码前17位应为数字，最后一位为数字或X",
        "An ID number is 17 digits followed by a digit or X",
    ),
    "id_checksum": ("身份证号码校验位不正确", "The ID number check digit does not match"),
    "id_birth_date": ("身份证号码中的出生日期无效", "The birth date in the ID number is invalid"),
    "id_region": ("身份证号码中的地区代码无效", "The region code in the ID number is unknown"),
    "uscc_empty": ("请填写统一社会信用代码", "The unified social credit code is missing"),
    "uscc_length": ("统一社会信用代码应为18位", "A unified social credit code has 18 characters"),
    "uscc_format": (
        "统一社会信用代码含有无效字符",
        "The unified social credit code contains invalid characters",
    ),
    "uscc_authority": (
        "统一社会信用代码的登记管理部门代码无效",
        "The registration authority code (1st character) is unknown",
    ),
    "uscc_checksum": (
        "统一社会信用代码校验位不正确",
        "The unified social credit code check character does not match",
    ),
    "mobile_empty": ("请填写手机号码", "The mobile number is missing"),
    "mobile_format": (
        "手机号码应为以1开头的11位数字",
        "A mainland mobile number has 11 digits starting with 13-19",
    ),
}


def failed(cls: type[C], value: str, reason: str) -> C:
    """A failed check of type `cls` with the stock messages for `reason`."""
    zh, en = REASONS[reason]
    return cls(valid=False, value=value, reason=reason, message=zh, message_en=en)
