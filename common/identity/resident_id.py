"""居民身份证 resident ID numbers and 港澳台居民居住证 residence permits (GB 11643, 18 characters).

Mainland numbers go through python-stdnum's `cn.ric`, which also checks the region code against
its table of administrative divisions. Residence permits for Hong Kong, Macau and Taiwan residents
(issued since 2018) use the same layout and check digit with the fixed prefixes 810000, 820000 and
830000; stdnum rejects some of them, so we check those ourselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from common.identity._result import Check, failed

IdKind = Literal["resident", "hk_permit", "macau_permit", "tw_permit"]

_PERMIT_PREFIXES: dict[str, tuple[IdKind, str]] = {
    "810000": ("hk_permit", "香港"),
    "820000": ("macau_permit", "澳门"),
    "830000": ("tw_permit", "台湾"),
}
_SHAPE = re.compile(r"\d{17}[\dX]", re.ASCII)
_SEPARATORS = re.compile(r"[\s\-]+")
_EARLIEST_BIRTH = date(1900, 1, 1)


@dataclass(frozen=True, slots=True, kw_only=True)
class ResidentIdCheck(Check):
    kind: IdKind | None = None
    birth_date: date | None = None
    sex: Literal["M", "F"] | None = None
    region_code: str | None = None
    region_name: str | None = None


def _check_digit(number: str) -> str:
    return ric.calc_check_digit(number)


def _birth_date(number: str, as_of: date) -> date | None:
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    if born < _EARLIEST_BIRTH or born > as_of:
        return None
    return born


def age_on(born: date, on: date) -> int:
    """Full years of age on `on` (a birthday counts from its day)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _mainland_region(number: str) -> str | None:
    try:
        info = ric.get_birth_place(number)
    except ValidationError:
        return None
    return "".join(info.get(k, "") for k in ("province", "prefecture", "county")) or number[:6]


def validate_resident_id(raw: str, *, as_of: date) -> ResidentIdCheck:
    """Validate a resident ID or HK/Macau/Taiwan residence-permit number as of the business date
    `as_of` (the caller's: a birth date after it is invalid, so the date cannot be left out).

    Reasons: id_empty, id_length, id_format, id_checksum, id_birth_date (impossible date, before
    1900, or after `as_of`), id_region (unknown administrative division).
    """
    number = _SEPARATORS.sub("", raw).upper()
    if not number:
        return failed(ResidentIdCheck, number, "id_empty")
    if len(number) != 18:
        return failed(ResidentIdCheck, number, "id_length")
    if not _SHAPE.fullmatch(number):
        return failed(ResidentIdCheck, number, "id_format")
    if number[-1] != _check_digit(number):
        return failed(ResidentIdCheck, number, "id_checksum")
    born = _birth_date(number, as_of)
    if born is None:
        return failed(ResidentIdCheck, number, "id_birth_date")
    region_code = number[:6]
    kind: IdKind
    if region_code in _PERMIT_PREFIXES:
        kind, region_name = _PERMIT_PREFIXES[region_code]
    else:
        kind = "resident"
        found = _mainland_region(number)
        if found is None:
            return failed(ResidentIdCheck, number, "id_region")
        region_name = found
    return ResidentIdCheck(
        valid=True,
        value=number,
        kind=kind,
        birth_date=born,
        # The 17th digit (order code) is odd for men, even for women.
        sex="M" if int(number[16]) % 2 else "F",
        region_code=region_code,
        region_name=region_name,
    )
