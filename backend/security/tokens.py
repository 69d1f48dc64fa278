"""Signed tokens: access tokens (JWT, HS256) and short-lived upload URL tokens; refresh tokens.

Every signed token carries `exp`, `iat`, `sub` and `typ`, and the claims its purpose needs; a token
lacking any of them is refused like a forged one (401 `token_invalid`), never a 500.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import datetime, timedelta
from typing import Any

import jwt

from common.errors import Unauthorized

_ALG = "HS256"
# The string claims each kind of token must carry besides exp, iat and sub.
REQUIRED: dict[str, tuple[str, ...]] = {
    "access": ("sid", "role"),
    "upload": ("sid", "app", "kind", "jti"),
    "download": ("sid", "contract"),  # one contract's PDF, for a browser without the bearer
}


def expired_or_invalid(reason: str) -> Unauthorized:
    if reason == "expired":
        return Unauthorized("token_expired", "登录已过期，请重新登录", "The token has expired")
    return Unauthorized("token_invalid", "登录凭证无效，请重新登录", "The token is not valid")


def issue(secret: str, purpose: str, claims: dict[str, Any], now: datetime, ttl_s: int) -> str:
    payload = {**claims, "typ": purpose, "iat": now, "exp": now + timedelta(seconds=ttl_s)}
    return jwt.encode(payload, secret, algorithm=_ALG)


# Tokens already verified, by (secret, purpose, token): every request of a signed-in user
# presents the same access token, and checking its signature and claims again each time cost
# a tenth of a small request. Expiry is still checked on every use; a new secret misses.
_VERIFIED: dict[tuple[str, str, str], dict[str, Any]] = {}
_VERIFIED_MAX = 4096


def verify(secret: str, purpose: str, token: str) -> dict[str, Any]:
    key = (secret, purpose, token)
    claims = _VERIFIED.get(key)
    if claims is not None:
        if claims["exp"] <= time.time():
            del _VERIFIED[key]
            raise expired_or_invalid("expired")
        return dict(claims)
    claims = _verify(secret, purpose, token)
    if len(_VERIFIED) >= _VERIFIED_MAX:
        _VERIFIED.clear()
    _VERIFIED[key] = claims
    return dict(claims)


def _verify(secret: str, purpose: str, token: str) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token, secret, algorithms=[_ALG], options={"require": ["exp", "iat", "sub"]}
        )
    except jwt.ExpiredSignatureError as exc:
        raise expired_or_invalid("expired") from exc
    except jwt.PyJWTError as exc:
        raise expired_or_invalid("invalid") from exc
    if claims.get("typ") != purpose:
        raise expired_or_invalid("invalid")
    for name in ("sub", *REQUIRED.get(purpose, ())):
        value = claims.get(name)
        if not isinstance(value, str) or not value or len(value) > 64:
            raise expired_or_invalid("invalid")
    return claims


def new_jti() -> str:
    return secrets.token_hex(16)


def new_refresh_token() -> tuple[str, str]:
    """Returns (token for the client, sha256 kept in the database)."""
    token = secrets.token_urlsafe(32)
    return token, hashlib.sha256(token.encode()).hexdigest()


def refresh_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
