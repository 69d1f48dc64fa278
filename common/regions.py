"""Names of China's administrative divisions (GB/T 2260) from their codes, as python-stdnum's
table knows them (the one the resident ID check uses)."""

from __future__ import annotations

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
