"""Sign-in, tokens, revocation, rate limiting, deny-by-default."""

from __future__ import annotations

import pytest

from tests.backend.helpers import login


async def test_login_returns_tokens_and_who_i_am(client):
    r = await client.post("/api/auth/login", json={"username": "staff", "password": "demo"})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and body["access_token"] and body["refresh_token"]
    assert body["user"]["role"] == "staff"
    me = await client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200 and me.json()["username"] == "staff"


@pytest.mark.parametrize(("username", "password"), [("staff", "wrong"), ("nobody", "demo")])
async def test_wrong_credentials_are_one_answer(client, username, password):
    r = await client.post("/api/auth/login", json={"username": username, "password": password})
    assert r.status_code == 401
    assert r.json()["code"] == "login_failed"
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_too_many_failures_lock_the_username(client):
    for _ in range(5):
        await client.post("/api/auth/login", json={"username": "staff", "password": "nope"})
    r = await client.post("/api/auth/login", json={"username": "staff", "password": "demo"})
    assert r.status_code == 429 and r.json()["code"] == "login_rate_limited"
    other = await client.post("/api/auth/login", json={"username": "dealer", "password": "demo"})
    assert other.status_code == 200


async def test_refresh_rotates_and_old_refresh_token_stops_working(client):
    first = (
        await client.post("/api/auth/login", json={"username": "staff", "password": "demo"})
    ).json()
    r = await client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 200
    again = await client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert again.status_code == 401 and again.json()["code"] == "token_invalid"


async def test_logout_revokes_the_access_token(client):
    headers = await login(client, "staff")
    assert (await client.post("/api/auth/logout", headers=headers)).status_code == 204
    r = await client.get("/api/auth/me", headers=headers)
    assert r.status_code == 401 and r.json()["code"] == "token_expired"


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "unauthenticated"),
        ({"Authorization": "Bearer not.a.jwt"}, "token_invalid"),
        ({"Authorization": "Basic abc"}, "unauthenticated"),
    ],
)
async def test_protected_routes_need_a_valid_token(client, headers, code):
    r = await client.get("/api/auth/me", headers=headers)
    assert r.status_code == 401 and r.json()["code"] == code


async def test_forged_token_is_refused(client):
    import jwt

    forged = jwt.encode(
        {"sub": "x", "sid": "y", "typ": "access", "exp": 4102444800}, "guess", "HS256"
    )
    r = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "malformed_json"),
        (b'{"username":"a","password":"b","x":1}', "unknown_field"),
        (b'{"username":1,"password":"b"}', "invalid_input"),
        (b'{"username":"","password":"b"}', "invalid_input"),
    ],
)
async def test_bad_login_bodies_get_400_with_a_code(client, body, code):
    r = await client.post(
        "/api/auth/login", content=body, headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 400, r.text
    assert r.json()["code"] == code


async def test_unknown_route_is_a_problem_404(client):
    r = await client.get("/api/nope")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


async def test_an_expired_access_token_is_refused_with_its_own_code(client, settings):
    from datetime import UTC, datetime, timedelta

    from backend.security import tokens

    claims = {"sub": "u", "sid": "s", "role": "staff"}
    old = tokens.issue(
        settings.secret_key, "access", claims, datetime.now(UTC) - timedelta(hours=1), 60
    )
    r = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {old}"})
    assert r.status_code == 401 and r.json()["code"] == "token_expired"


async def test_an_upload_token_is_not_an_access_token(client, settings):
    from datetime import UTC, datetime

    from backend.security import tokens

    upload = tokens.issue(
        settings.secret_key, "upload", {"sub": "u", "sid": "s"}, datetime.now(UTC), 60
    )
    r = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {upload}"})
    assert r.status_code == 401 and r.json()["code"] == "token_invalid"
