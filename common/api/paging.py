"""Keyset paging 分页: a list read a page at a time in one stable order, each page naming where
the next one starts.

A cursor is the sort key of a page's last row (URL-safe base64 of a JSON array), opaque to the
caller. The next page starts strictly after it, so rows added or removed meanwhile never make a
row appear twice or one that still matches go missing — unlike an offset, which shifts. It is
not signed: it only says where to resume, and the query it resumes is still scoped by owner.
"""

from __future__ import annotations

import base64
import binascii
import json

from common.errors import DomainError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
CURSOR = 200  # characters on the wire: a date and an id encode to about 60


def cursor_invalid() -> DomainError:
    return DomainError("cursor_invalid", "分页位置无效，请从第一页重新加载",
                       "cursor is not one this list gave", status=400,
                       fields={"cursor": "cursor_invalid"})  # fmt: skip


def encode_cursor(key: tuple[str, ...]) -> str:
    raw = json.dumps(list(key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> tuple[str, ...]:
    """The key `encode_cursor` wrote, of `arity` strings; 400 cursor_invalid for anything else."""
    if not cursor or len(cursor) > CURSOR or not cursor.isascii():
        raise cursor_invalid()
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        raise cursor_invalid() from None
    if not (isinstance(key, list) and len(key) == arity and all(isinstance(k, str) for k in key)):
        raise cursor_invalid()
    return tuple(key)
