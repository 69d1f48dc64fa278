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
            for name in str(info.get("county", "")).split(","):  # "[1983-1989]旧名,[1990-]新名"
                if not name or _ENDED.match(name):
                    continue
                name = _SINCE.sub("", name)
                if name not in ("市辖区", "县"):
                    out.extend((a, f"{low}{child}", low) for a in _aliases(name))
    return tuple(out)


def place_code(text: str) -> str | None:
    """The division a person names ("深圳" 440300, "北京朝阳" 110105, "深圳南山" 440305, "广东"
    440000): within a province or city also named, the deepest named; then the longest name,
    a city before a district of the same name. None when no division is named."""
    pool = [(a, code) for a, code, _prov in _places() if a in text]
    for level, width in (("0000", 2), ("00", 4)):
        parents = {(code[:width], a) for a, code in pool if code.endswith(level)}
        deeper = [(a, code) for a, code in pool if not code.endswith(level)
                  and any(code[:width] == p and a not in name for p, name in parents)]  # fmt: skip
        pool = deeper or pool
    if not pool:
        return None
    pool.sort(key=lambda f: (-len(f[0]), not f[1].endswith("00"), f[1]))
    return pool[0][1]
