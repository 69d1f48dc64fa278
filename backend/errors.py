"""Every error leaves as RFC 9457 problem details with a stable `code` (Chinese title, English
detail).

Mapped once, here. Bad input is a 4xx with a code; anything unexpected is logged and answered
with a bare 500 that leaks nothing.
"""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from common.api.problems import Problem
from common.errors import DomainError

log = logging.getLogger("autolease.errors")

_BY_STATUS: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "请求格式不正确", "The request is malformed"),
    401: ("unauthenticated", "请先登录", "Sign in first"),
    403: ("forbidden", "您没有权限执行此操作", "You are not allowed to do this"),
    404: ("not_found", "找不到该内容", "Not found"),
    405: ("method_not_allowed", "不支持该请求方法", "Method not allowed"),
    413: ("body_too_large", "上传内容过大", "The request body is too large"),
    415: ("unsupported_media_type", "不支持的内容类型", "Unsupported media type"),
    429: ("too_many_requests", "请求过于频繁，请稍后再试", "Too many requests"),
}


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> Response[bytes]:
    return Response(
        msgspec.json.encode(problem),
        status_code=problem.status,
        media_type="application/problem+json",
        headers=headers,
    )


def _domain(_: Request[Any, Any, Any], exc: DomainError) -> Response[bytes]:
    # An error that knows when to come back (e.g. otp_too_soon) says so in Retry-After.
    retry_after = getattr(exc, "retry_after_s", None)
    return problem_response(
        Problem(
            status=exc.status,
            code=exc.code,
            title=exc.message,
            detail=exc.message_en,
            fields=exc.fields,
        ),
        headers={"Retry-After": str(retry_after)} if isinstance(retry_after, int) else None,
    )


def _validation(_: Request[Any, Any, Any], exc: ValidationException) -> Response[bytes]:
    detail = str(exc.detail or "")
    extra = exc.extra if isinstance(exc.extra, list) else []
    fields = {
        str(e.get("key") or "body"): str(e.get("message", "")) for e in extra if isinstance(e, dict)
    }
    low = detail.lower() + " ".join(fields.values()).lower()
    if "malformed" in low or "json is malformed" in low or "invalid json" in low:
        code, title = "malformed_json", "请求内容不是有效的 JSON"
    elif "unknown field" in low or "object contains unknown field" in low:
        code, title = "unknown_field", "请求包含未知字段"
    else:
        code, title = "invalid_input", "输入不符合要求"
    return problem_response(Problem(400, code, title, detail=detail, fields=fields))


def _http(_: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    code, title, detail = _BY_STATUS.get(
        exc.status_code, (f"http_{exc.status_code}", "请求失败", "")
    )
    if exc.status_code == 400 and "json" in str(exc.detail).lower():
        code, title, detail = "malformed_json", "请求内容不是有效的 JSON", str(exc.detail)
    return problem_response(
        Problem(exc.status_code, code, title, detail=detail or str(exc.detail)),
        headers=exc.headers or None,
    )


def _too_large(_: Request[Any, Any, Any], exc: RequestEntityTooLarge) -> Response[bytes]:
    code, title, detail = _BY_STATUS[413]
    return problem_response(Problem(413, code, title, detail=detail))


def _stale(_: Request[Any, Any, Any], exc: StaleDataError) -> Response[bytes]:
    # Two writers raced on one versioned row; the loser's transaction was rolled back.
    return problem_response(
        Problem(409, "version_conflict", "数据已在别处修改，请刷新后再试",
                "The record was changed concurrently; reload and retry")
    )  # fmt: skip


def _integrity(request: Request[Any, Any, Any], exc: IntegrityError) -> Response[bytes]:
    # A unique constraint caught a concurrent duplicate that the service did not expect.
    log.warning("integrity conflict on %s %s: %s", request.method, request.url.path, exc.orig)
    return problem_response(
        Problem(
            409, "conflict", "请求与并发的修改冲突，请重试", "Conflicting concurrent change; retry"
        )
    )


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(
        Problem(500, "internal_error", "系统繁忙，请稍后再试", "Internal error")
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: _domain,
    ValidationException: _validation,
    RequestEntityTooLarge: _too_large,
    HTTPException: _http,
    StaleDataError: _stale,
    IntegrityError: _integrity,
    Exception: _unexpected,
}
