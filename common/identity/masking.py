"""Masking of personal data for responses and logs (脱敏): never show a whole ID, phone or name."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-]+")


def mask_id(number: str) -> str:
    """Keep the first 4 and last 4 characters: `110105199001011234` -> `1101**********1234`.

    Works for resident IDs, USCCs and anything else; short values are masked whole but for the
    last character, so the mask never reveals more than a third of the value.
    """
    value = _SEPARATORS.sub("", number)
    if len(value) >= 12:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    if len(value) <= 1:
        return "*" * len(value)
    return "*" * (len(value) - 1) + value[-1]


def mask_mobile(number: str) -> str:
    """`13812345678` -> `138****5678`; other lengths keep only the last 4 digits visible."""
    value = _SEPARATORS.sub("", number)
    if len(value) == 11:
        return value[:3] + "****" + value[-4:]
    if len(value) <= 4:
        return "*" * len(value)
    return "*" * (len(value) - 4) + value[-4:]


def mask_name(name: str) -> str:
    """Chinese names keep the surname: 张三 -> 张*, 欧阳娜娜 -> 欧**娜 (first and last kept from 3
    characters on). Latin names keep the first letter of each word: `Li Wei` -> `L* W**`."""
    value = name.strip()
    if not value:
        return ""
    if " " in value:
        return " ".join(w[0] + "*" * (len(w) - 1) for w in value.split())
    if len(value) == 1:
        return "*"
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
