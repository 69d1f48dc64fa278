"""RFC 9457 problem details as they travel on the wire."""

from __future__ import annotations

import msgspec


class Problem(msgspec.Struct, omit_defaults=True):
    status: int
    code: str  # stable, snake_case; clients switch on this, never on text
    title: str  # Chinese message for people
    detail: str = ""  # English beside it
    type: str = "about:blank"
    fields: dict[str, str] = {}  # field path -> Chinese message
