"""Refresh tokens rotate atomically; presenting a rotated one again revokes the whole session."""

from __future__ import annotations

import pytest

from tests.backend.auth.concurrency import at_once


async def sign_in(client) -> dict:
    r = await client.post("/api/auth/login", json={"username": "staff", "password": "demo"})
    assert r.status_code == 200
    return r.json()


async def refresh(client, token: str):
    return await client.post("/api/auth/refresh", json={"refresh_token": token})


async def test_reusing_a_rotated_refresh_token_revokes_the_whole_session(client):
    first = await sign_in(client)
    second = (await refresh(client, first["refresh_token"])).json()
    reused = await refresh(client, first["refresh_token"])  # a stolen copy, say
    assert reused.status_code == 401 and reused.json()["code"] == "token_invalid"
    # the session is gone for everyone: the newest refresh token and its access token too
    assert (await refresh(client, second["refresh_token"])).status_code == 401
    me = await client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {second['access_token']}"}
    )
    assert me.status_code == 401 and me.json()["code"] == "token_expired"


async def test_reuse_revokes_only_that_session(client):
    mine, other = await sign_in(client), await sign_in(client)
    await refresh(client, mine["refresh_token"])
    await refresh(client, mine["refresh_token"])
    assert (await refresh(client, other["refresh_token"])).status_code == 200


async def test_an_unknown_refresh_token_is_401_and_revokes_nothing(client):
    mine = await sign_in(client)
    r = await refresh(client, "never-issued")
    assert r.status_code == 401 and r.json()["code"] == "token_invalid"
    assert (await refresh(client, mine["refresh_token"])).status_code == 200


@pytest.mark.postgres
async def test_ten_concurrent_refreshes_with_one_token_give_exactly_one_200(client, settings):
    token = (await sign_in(client))["refresh_token"]
    responses = await at_once(settings, 10, lambda c: refresh(c, token))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [401] * 9, [r.text for r in responses]
    assert {r.json()["code"] for r in responses if r.status_code == 401} == {"token_invalid"}
