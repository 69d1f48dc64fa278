"""Names of China's administrative divisions (GB/T 2260) from their codes, as python-stdnum's
table knows them (the one the resident ID check uses)."""

from __future__ import annotations

import re
from functools import cache

from stdnum import numdb


@cache
def province_name(code: str) -> str | None:
    """The province-level division of a 2- to 6-digit code (`"44"`, `"440300"` → 广东省)."""
    if len(code) < 2 or not code[:2].isdigit():
        return None
    for _part, props in numdb.get("cn/loc").info(code[:2] + "0000"):
        if "province" in props:
            return str(props["province"])
    return None


_ENDED = re.compile(r"^\[\d*-\d+\]")  # a division abolished in that year
_SINCE = re.compile(r"^\[\d+-\]")
_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "特别行政区",
             "地区", "省", "市", "区", "县", "盟")  # fmt: skip


def _aliases(name: str) -> list[str]:
    names = [name]
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            names.append(name[: -len(suffix)])
            break
    return names


@cache
def _places() -> tuple[tuple[str, str, str], ...]:
    """(alias, 6-digit code, province code) of every division in use, provinces included."""
    out: list[tuple[str, str, str]] = []
    for _length, low, _high, props, children in numdb.get("cn/loc").prefixes:
        province = str(props.get("province", ""))
        out.extend((a, f"{low}0000", low) for a in _aliases(province) if province)
        for _l, child, _h, info, _c in children:
            county = str(info.get("county", ""))
            if not county or _ENDED.match(county) or county in ("市辖区", "县"):
                continue
            county = _SINCE.sub("", county)
            out.extend((a, f"{low}{child}", low) for a in _aliases(county))
    return tuple(out)


def place_code(text: str) -> str | None:
    """The division a person names ("深圳" 440300, "北京朝阳" 110105, "广东" 440000): the
    longest name found, within a province also named; a city before a district of the same
    name. None when no division is named."""
    found = [(a, code, prov) for a, code, prov in _places() if a in text]
    if not found:
        return None
    provinces = {prov for a, code, prov in found if code.endswith("0000")}
    within = [f for f in found if f[2] in provinces and not f[1].endswith("0000")]
    pool = within or found
    pool.sort(key=lambda f: (-len(f[0]), not f[1].endswith("00"), f[1]))
    return pool[0][1]
