"""统一社会信用代码 Unified Social Credit Code (GB 32100-2015), 18 characters.

python-stdnum's `cn.uscc` computes the check character but insists the first eight characters are
digits; the first character is the registration authority and may be a letter (A for the central
military commission's establishment office, N for agriculture, Y for others). We check the layout
ourselves and use stdnum for the check character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.cn import uscc as stdnum_uscc

from common.identity._result import Check, failed

# Registration authorities (登记管理部门) per GB 32100-2015: 1 机构编制, 2 外交, 3 司法行政, 4 文化,
# 5 民政, 6 旅游, 7 宗教, 8 工会, 9 市场监管 (工商), A 中央军委改革和编制办公室, N 农业, Y 其他.
AUTHORITIES: dict[str, str] = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "市场监督管理",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_SHAPE = re.compile(rf"[{_ALPHABET}]\d{{7}}[{_ALPHABET}]{{10}}", re.ASCII)
_SEPARATORS = re.compile(r"[\s\-]+")


@dataclass(frozen=True, slots=True, kw_only=True)
class UsccCheck(Check):
    authority: str | None = None
    entity_type: str | None = None
    region_code: str | None = None


def validate_uscc(raw: str) -> UsccCheck:
    """Validate a USCC; reasons: uscc_empty, uscc_length, uscc_format, uscc_authority,
    uscc_checksum."""
    code = _SEPARATORS.sub("", raw).upper()
    if not code:
        return failed(UsccCheck, code, "uscc_empty")
    if len(code) != 18:
        return failed(UsccCheck, code, "uscc_length")
    if not _SHAPE.fullmatch(code):
        return failed(UsccCheck, code, "uscc_format")
    if code[0] not in AUTHORITIES:
        return failed(UsccCheck, code, "uscc_authority")
    if code[-1] != stdnum_uscc.calc_check_digit(code[:17]):
        return failed(UsccCheck, code, "uscc_checksum")
    return UsccCheck(
        valid=True,
        value=code,
        authority=AUTHORITIES[code[0]],
        entity_type=code[1],
        region_code=code[2:8],
    )
