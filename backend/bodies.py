"""Requests are read once, here, before any handler sees them 请求体检查.

A route whose handler takes ``data`` takes JSON: another content type is 415
``unsupported_media_type``; a body that is not UTF-8 or is nested deeper than `JSON_MAX_DEPTH` is
400 ``invalid_json``; a syntax error stays 400 ``malformed_json`` (its published code). Path and
query values holding a control character (NUL included) are 400 ``invalid_input`` on every
route: no identifier we issue contains one, and PostgreSQL refuses NUL in text.

The body decoded here is the one Litestar hands to the handler (``request.json()`` caches it), so
nothing is decoded twice. Routes that take raw bytes (photos, VIN scans) have no ``data`` and
check their own content type.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import SerializationException

from common.api.limits import has_control
from common.errors import DomainError

# Far above any body we take (a rule set's logic is bounded at 32 levels, common.rules.bounds),
# so a rule set nested a few hundred deep is still decoded and answered with the path of the
# problem; far below the ~1,000 levels where msgspec runs out of stack.
JSON_MAX_DEPTH = 256
_JSON_TYPES = ("application/json",)

UNSUPPORTED = DomainError(
    "unsupported_media_type",
    "请求内容类型应为 application/json",
    "Send the body as application/json",
    status=415,
)


def _invalid_json(detail: str) -> DomainError:
    return DomainError("invalid_json", "请求内容不是有效的 JSON", detail, status=400)


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media in _JSON_TYPES or (media.startswith("application/") and media.endswith("+json"))


def _deeper_than(value: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return False


def _check_url(request: Request[Any, Any, Any]) -> None:
    values = [v for v in request.path_params.values() if isinstance(v, str)]
    values += [f"{k}{v}" for k, v in request.query_params.multi_items()]
    if any(has_control(v) for v in values):
        raise DomainError(
            "invalid_input",
            "请求地址含有无效字符",
            "The path or query holds a control character",
            status=400,
        )


async def check_request(request: Request[Any, Any, Any]) -> None:
    """App-wide ``before_request`` hook (runs after the guards, before parameters are parsed)."""
    _check_url(request)
    if request.route_handler.parsed_data_field is None:
        return  # no JSON body on this route
    body = await request.body()  # request_max_body_size applies (413)
    if not body:
        return  # a missing body is the handler's validation error (400)
    if not _is_json(request.headers.get("content-type", "")):
        raise UNSUPPORTED
    try:
        value = await request.json()
    except UnicodeDecodeError:
        raise _invalid_json("The body is not UTF-8") from None
    except RecursionError:
        raise _invalid_json(f"JSON nested deeper than {JSON_MAX_DEPTH}") from None
    except SerializationException as exc:
        raise DomainError(
            "malformed_json", "请求内容不是有效的 JSON", str(exc), status=400
        ) from None
    # Every opening bracket can nest one level: only a body with many is walked at all.
    if body.count(b"[") + body.count(b"{") > JSON_MAX_DEPTH and _deeper_than(value, JSON_MAX_DEPTH):
        raise _invalid_json(f"JSON nested deeper than {JSON_MAX_DEPTH}")
