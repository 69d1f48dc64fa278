"""Every signed token carries exp, iat, sub and the claims of its kind; missing any, it is a 401
`token_invalid` (never a 500), whether it is sent as a bearer token or in an upload URL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from tests.backend.helpers import login
from tests.backend.intake.test_applications_api import create, jpeg


def signed(secret: str, claims: dict, drop: str) -> str:
    now = datetime.now(UTC)
    payload = {"iat": now, "exp": now + timedelta(minutes=5), **claims}
    payload.pop(drop)
    return jwt.encode(payload, secret, algorithm="HS256")


async def session_of(client) -> tuple[str, str]:
    r = await client.post("/api/auth/login", json={"username": "staff", "password": "demo"})
    claims = jwt.decode(r.json()["access_token"], options={"verify_signature": False})
    return claims["sub"], claims["sid"]


@pytest.mark.parametrize("missing", ["exp", "iat", "sub", "sid", "role", "typ"])
async def test_an_access_token_missing_a_claim_is_401(client, settings, missing):
    sub, sid = await session_of(client)
    claims = {"sub": sub, "sid": sid, "role": "staff", "typ": "access"}
    token = signed(settings.secret_key, claims, missing)
    r = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401 and r.json()["code"] == "token_invalid", r.text


@pytest.mark.parametrize("missing", ["exp", "iat", "sub", "sid", "app", "kind", "jti", "typ"])
async def test_an_upload_token_missing_a_claim_is_401(client, settings, missing):
    staff = await login(client, "staff")
    draft = (await create(client, staff)).json()["id"]
    sub, sid = await session_of(client)
    claims = {
        "sub": sub, "sid": sid, "app": draft, "kind": "id_front", "jti": "a" * 32, "typ": "upload",
    }  # fmt: skip
    token = signed(settings.secret_key, claims, missing)
    r = await client.put(
        f"/api/applications/{draft}/photos/id_front?token={token}",
        content=jpeg(),
        headers={"Content-Type": "image/jpeg"},
    )
    assert r.status_code == 401 and r.json()["code"] == "token_invalid", r.text


@pytest.mark.parametrize("bad", [{"sub": 7}, {"sid": ["x"]}, {"role": None}, {"sid": "s" * 65}])
async def test_claims_of_the_wrong_shape_are_401(client, settings, bad):
    sub, sid = await session_of(client)
    claims = {"sub": sub, "sid": sid, "role": "staff", "typ": "access", "x": 1, **bad}
    token = signed(settings.secret_key, claims, "x")
    r = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401 and r.json()["code"] == "token_invalid", r.text


async def test_an_expired_upload_token_is_401_token_expired(client, settings):
    from backend.security import tokens

    staff = await login(client, "staff")
    draft = (await create(client, staff)).json()["id"]
    sub, sid = await session_of(client)
    claims = {"sub": sub, "sid": sid, "app": draft, "kind": "id_front", "jti": tokens.new_jti()}
    old = tokens.issue(
        settings.secret_key, "upload", claims, datetime.now(UTC) - timedelta(hours=1), 60
    )
    r = await client.put(
        f"/api/applications/{draft}/photos/id_front?token={old}",
        content=jpeg(),
        headers={"Content-Type": "image/jpeg"},
    )
    assert r.status_code == 401 and r.json()["code"] == "token_expired"


def test_a_token_verified_before_is_refused_once_it_expires(monkeypatch):
    from backend.security import tokens
    from common.errors import Unauthorized

    now, secret = datetime.now(UTC), "s" * 48
    token = tokens.issue(secret, "access", {"sub": "u1", "sid": "s1", "role": "staff"}, now, 60)
    assert tokens.verify(secret, "access", token)["sub"] == "u1"
    assert tokens.verify(secret, "access", token)["sid"] == "s1"  # the second time from memory
    with pytest.raises(Unauthorized) as other_secret:
        tokens.verify("t" * 48, "access", token)
    assert other_secret.value.code == "token_invalid"
    with pytest.raises(Unauthorized) as other_purpose:
        tokens.verify(secret, "upload", token)
    assert other_purpose.value.code == "token_invalid"
    monkeypatch.setattr(tokens.time, "time", lambda: now.timestamp() + 61)
    with pytest.raises(Unauthorized) as expired:
        tokens.verify(secret, "access", token)
    assert expired.value.code == "token_expired"
