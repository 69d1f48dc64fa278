"""Idempotency-Key handling (after Stripe): the first answer to a key is stored in the same
transaction as the effect and replayed for a retry with the same body; the same key with a
different body is a 409. "The same body" is the same JSON value: whitespace and key order do not
matter (bodies are compared in canonical form). A concurrent duplicate loses on the unique
constraint and replays."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from litestar import Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.principal import Principal
from backend.db.models import IdempotencyRecord
from common.errors import Conflict, DomainError

_REUSED = Conflict(
    "idempotency_key_reused",
    "该请求编号已用于不同的内容",
    "This Idempotency-Key was already used with a different request",
)


def _check_key(key: str) -> str:
    if not 1 <= len(key) <= 200 or not key.isprintable():
        raise DomainError(
            "idempotency_key_invalid",
            "请求编号无效",
            "Idempotency-Key must be 1-200 printable characters",
            status=400,
        )
    return key


def request_digest(body: bytes) -> str:
    """SHA-256 of the body's canonical JSON (keys sorted, no whitespace); of the raw bytes when
    the body is not JSON (the JSON routes have refused those already, see backend/bodies.py)."""
    try:
        canonical = msgspec.json.encode(msgspec.json.decode(body), order="sorted")
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        canonical = body
    return hashlib.sha256(canonical).hexdigest()


async def _replay(
    db: AsyncSession, principal: Principal, key: str, scope: str, digest: str
) -> Response[bytes] | None:
    rec = await db.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == principal.user_id, IdempotencyRecord.key == key
        )
    )
    if rec is None:
        return None
    if rec.scope != scope or rec.request_hash != digest:
        raise _REUSED
    return Response(
        rec.response_body,
        status_code=rec.status_code,
        media_type="application/json",
        headers={"Idempotent-Replayed": "true"},
    )


async def run_idempotent(
    db: AsyncSession,
    principal: Principal,
    key: str | None,
    scope: str,
    request_body: bytes,
    effect: Callable[[], Awaitable[tuple[int, Any]]],
) -> Response[bytes]:
    """`effect` makes its changes without committing and returns (status, Struct); we commit."""
    digest = request_digest(request_body)
    if key is not None:
        replay = await _replay(db, principal, _check_key(key), scope, digest)
        if replay is not None:
            return replay
    status, payload = await effect()
    body = msgspec.json.encode(payload)
    if key is not None:
        db.add(
            IdempotencyRecord(
                user_id=principal.user_id,
                key=key,
                scope=scope,
                request_hash=digest,
                status_code=status,
                response_body=body,
            )
        )
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        replay = await _replay(db, principal, key or "", scope, digest) if key else None
        if replay is None:
            raise
        return replay
    return Response(body, status_code=status, media_type="application/json")
