"""车架号 VIN: normalisation, ISO 3779 check digit, model year, and the acceptance policy.

Policy: a China-built vehicle (WMI starting `L`) must carry a correct check digit — GB 16735
makes it mandatory, and a mismatch there means a misread or a forged plate. Imports are accepted
with a `check_digit_mismatch` warning, because several non-North-American makers never used
position 9 as a check digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from common.identity._result import Check, failed
from common.identity.wmi import country_for, maker_for

_TRANSLITERATION = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_VIN_CHARS = re.compile(r"[A-HJ-NPR-Z0-9]{17}")
_SEPARATORS = re.compile(r"[\s\-_.*]+")
# Model-year codes repeat every 30 years: A=1980/2010 ... Y=2000/2030, 1=2001/2031 ... 9=2009/2039.
_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"


@dataclass(frozen=True, slots=True, kw_only=True)
class VinFacts:
    """What a VIN tells about the vehicle."""

    vin: str
    wmi: str
    maker: str | None
    country: str | None
    model_year: int | None
    check_digit_valid: bool
    warnings: tuple[str, ...] = ()

    @property
    def china_built(self) -> bool:
        return self.vin.startswith("L")


@dataclass(frozen=True, slots=True, kw_only=True)
class VinCheck(Check):
    facts: VinFacts | None = None


def normalise_vin(raw: str) -> str:
    """Upper-case, drop separators, and drop the `I` that Code 39 VIN labels put in front."""
    vin = _SEPARATORS.sub("", raw).upper()
    if len(vin) == 18 and vin.startswith("I"):
        vin = vin[1:]
    return vin


def check_digit(vin: str) -> str:
    """ISO 3779 / GB 16735 check digit of a 17-character VIN ('0'-'9' or 'X')."""
    total = sum(_TRANSLITERATION[c] * w for c, w in zip(vin, _WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def model_year(code: str, *, as_of: date) -> int | None:
    """Model year from VIN position 10: the latest year of the 30-year cycle not after next year
    as of `as_of` (model years run a year ahead of the calendar). The code alone cannot say the
    year (Y is 2000 and 2030): the caller passes its business date, never the wall clock here.
    """
    if code not in _YEAR_CODES:
        return None
    offset = _YEAR_CODES.index(code)
    limit = as_of.year + 1
    year = 1980 + offset
    while year + 30 <= limit:
        year += 30
    return year


def decode_vin(vin: str, *, as_of: date | None = None) -> VinFacts:
    """Facts from a well-formed 17-character VIN (call `validate_vin` first for raw input).

    The model year needs the date: without `as_of` it is None (and no warning is given)."""
    vin = normalise_vin(vin)
    if not _VIN_CHARS.fullmatch(vin):
        raise ValueError(f"not a well-formed VIN: {vin!r}")
    digit_ok = check_digit(vin) == vin[8]
    year = model_year(vin[9], as_of=as_of) if as_of is not None else None
    warnings: list[str] = []
    if not digit_ok:
        warnings.append("check_digit_mismatch")
    if year is None and as_of is not None:
        warnings.append("model_year_unknown")
    wmi = vin[:3]
    maker = maker_for(wmi)
    if maker is None:
        warnings.append("maker_unknown")
    return VinFacts(
        vin=vin,
        wmi=wmi,
        maker=maker,
        country=country_for(vin),
        model_year=year,
        check_digit_valid=digit_ok,
        warnings=tuple(warnings),
    )


def check_digit_required(vin: str) -> bool:
    """Our policy: the check digit is mandatory for China-built vehicles only."""
    return vin.startswith("L")


def validate_vin(raw: str, *, as_of: date | None = None) -> VinCheck:
    """Validate a VIN as typed or scanned; reasons: vin_empty, vin_length, vin_illegal_char,
    vin_check_digit. Validity does not depend on the date; the decoded model year does (see
    `decode_vin`)."""
    vin = normalise_vin(raw)
    if not vin:
        return failed(VinCheck, vin, "vin_empty")
    if len(vin) != 17:
        return failed(VinCheck, vin, "vin_length")
    if not _VIN_CHARS.fullmatch(vin):
        return failed(VinCheck, vin, "vin_illegal_char")
    facts = decode_vin(vin, as_of=as_of)
    if not facts.check_digit_valid and check_digit_required(vin):
        bad = failed(VinCheck, vin, "vin_check_digit")
        return VinCheck(
            valid=False,
            value=vin,
            reason=bad.reason,
            message=bad.message,
            message_en=bad.message_en,
            facts=facts,
        )
    return VinCheck(valid=True, value=vin, facts=facts, warnings=facts.warnings)
