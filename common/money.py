"""Money: `Decimal` yuan inside calculations, integer fen at rest, strings on the wire.

The house has exactly one rounding rule, `round_fen` (half up to the fen, 四舍五入到分). Every
amount that leaves a calculation passes through it; where a residue remains (the last instalment),
the calling code says so. Display formatting is kept apart in `format_cny`.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from common.errors import DomainError

FEN = Decimal("0.01")
ZERO = Decimal("0.00")

# Plain decimal notation only: no exponent, no NaN/Infinity, no grouping, at most two decimals.
_MONEY_RE = re.compile(r"[+-]?\d{1,15}(?:\.\d{1,2})?", re.ASCII)  # ASCII digits only


def round_fen(x: Decimal) -> Decimal:
    """THE rounding rule: half up (away from zero on a tie) to 0.01 yuan."""
    return x.quantize(FEN, rounding=ROUND_HALF_UP)


def parse_money(s: str, field: str = "amount") -> Decimal:
    """Parse a decimal string such as "100000" or "3042.19" into yuan at fen precision.

    Only strings are accepted (a float has already lost the fen). Raises `DomainError`
    `money_invalid` naming `field` for anything else, including more than two decimals.
    """
    if not isinstance(s, str) or not _MONEY_RE.fullmatch(s.strip()):
        raise DomainError(
            "money_invalid",
            "金额格式不正确，应为最多两位小数的数字",
            "amount must be a decimal string with at most two decimals",
            fields={field: "money_invalid"},
        )
    return Decimal(s.strip()).quantize(FEN)


def to_fen(d: Decimal) -> int:
    """Yuan at fen precision -> integer fen; refuses sub-fen amounts rather than round silently."""
    fen = d * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{d} is not a whole number of fen; round_fen it first")
    return int(fen)


def from_fen(n: int) -> Decimal:
    """Integer fen -> yuan `Decimal` with two decimals."""
    return (Decimal(n) / 100).quantize(FEN)


def format_cny(d: Decimal) -> str:
    """Display form: "¥3,042.19", "-¥5.00". Rounds by `round_fen` first."""
    r = round_fen(d)
    sign = "-" if r < 0 else ""
    return f"{sign}¥{abs(r):,.2f}"
