"""Money: `Decimal` yuan inside calculations, integer fen at rest, strings on the wire.

The house has exactly one rounding rule: half up, away from zero on a tie (四舍五入到分). It is
written once, in `div_half_up` (an exact rational in integer fen -> integer fen); `round_fen`
applies that same function to a `Decimal` in yuan. The schedule engine computes interest exactly as
integer fen x rational rate and rounds once with `div_half_up`, so 332.325 is 332.33, never 332.32.
Where a residue remains (the last instalment), the calling code says so. Display formatting is
kept apart in `format_cny`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from common.errors import DomainError

FEN = Decimal("0.01")
ZERO = Decimal("0.00")

# Plain decimal notation only: no exponent, no NaN/Infinity, no grouping, at most two decimals.
_MONEY_RE = re.compile(r"[+-]?\d{1,15}(?:\.\d{1,2})?", re.ASCII)  # ASCII digits only


def div_half_up(numerator: int, denominator: int) -> int:
    """THE rounding rule: numerator / denominator to the nearest integer, ties away from zero.

    Exact on integers (no precision to lose): used with amounts in fen, e.g. interest =
    div_half_up(balance_fen * rate_num, rate_den)."""
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    if numerator >= 0:
        return (2 * numerator + denominator) // (2 * denominator)
    return -((-2 * numerator + denominator) // (2 * denominator))


def round_fen(x: Decimal) -> Decimal:
    """The rounding rule applied to yuan: `div_half_up` to 0.01 yuan, exactly (no context)."""
    if not x.is_finite():
        raise ValueError(f"{x} is not a finite amount")
    numerator, denominator = x.as_integer_ratio()
    return from_fen(div_half_up(numerator * 100, denominator))


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
    """Integer fen -> yuan `Decimal` with two decimals (exact: only the exponent moves)."""
    return Decimal(n).scaleb(-2)


def yuan_text(fen: int) -> str:
    """The wire form of an amount: yuan with two decimals, "1234.50" (common.api's Money)."""
    return f"{from_fen(fen):.2f}"


def format_cny(d: Decimal) -> str:
    """Display form: "¥3,042.19", "-¥5.00". Rounds by `round_fen` first."""
    r = round_fen(d)
    sign = "-" if r < 0 else ""
    return f"{sign}¥{abs(r):,.2f}"
