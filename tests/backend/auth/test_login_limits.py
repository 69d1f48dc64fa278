"""Sign-in limits: per account and client address (5 / 15 min), per address across usernames
(20 / 15 min), per account from anywhere (50 / hour); atomic under concurrency; 429 with
Retry-After; no typed username stored."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import sqlalchemy as sa

from backend.app import create_app
from tests.backend.auth.concurrency import at_once

PROXY = "10.9.9.9"


@pytest.fixture
async def via_proxy(client, settings) -> AsyncIterator:
    """`login(username, password, address)` through a trusted proxy that names the client."""
    app = create_app(settings.with_(trusted_proxies=(PROXY,)))
    transport = httpx.ASGITransport(app=app, client=(PROXY, 40000))
    async with httpx.AsyncClient(transport=transport, base_url=settings.public_url) as c:

        async def login(username: str, password: str, address: str) -> httpx.Response:
            return await c.post(
                "/api/auth/login",
                json={"username": username, "password": password},
                headers={"X-Forwarded-For": f"{address}, {PROXY}"},
            )

        yield login
    await app.state.engine.dispose()


async def test_five_failures_lock_that_account_from_that_address_only(via_proxy):
    for _ in range(5):
        assert (await via_proxy("staff", "wrong", "203.0.113.7")).status_code == 401
    locked = await via_proxy("staff", "demo", "203.0.113.7")
    assert locked.status_code == 429 and locked.json()["code"] == "login_rate_limited"
    assert 0 < int(locked.headers["Retry-After"]) <= 15 * 60
    # the real user elsewhere is not locked out, nor is another account from that address
    assert (await via_proxy("staff", "demo", "198.51.100.20")).status_code == 200
    assert (await via_proxy("dealer", "demo", "203.0.113.7")).status_code == 200


async def test_one_address_cannot_try_usernames_without_limit(via_proxy):
    for i in range(20):
        assert (await via_proxy(f"guess{i}", "pw", "203.0.113.8")).status_code == 401
    r = await via_proxy("staff", "demo", "203.0.113.8")
    assert r.status_code == 429 and "Retry-After" in r.headers
    assert (await via_proxy("staff", "demo", "203.0.113.9")).status_code == 200


async def test_an_account_backs_off_across_addresses(client, settings):
    tight = settings.with_(login_max_per_account=7, trusted_proxies=(PROXY,))
    app = create_app(tight)
    transport = httpx.ASGITransport(app=app, client=(PROXY, 40000))
    async with httpx.AsyncClient(transport=transport, base_url=settings.public_url) as c:

        async def attempt(password: str, address: str) -> int:
            body = {"username": "staff", "password": password}
            r = await c.post("/api/auth/login", json=body, headers={"X-Forwarded-For": address})
            return r.status_code

        assert [await attempt("x", f"192.0.2.{i}") for i in range(7)] == [401] * 7
        assert await attempt("demo", "192.0.2.200") == 429
    await app.state.engine.dispose()


async def test_a_successful_sign_in_clears_that_address_count(client):
    for _ in range(4):
        await client.post("/api/auth/login", json={"username": "staff", "password": "x"})
    ok = await client.post("/api/auth/login", json={"username": "staff", "password": "demo"})
    assert ok.status_code == 200
    codes = [
        (
            await client.post("/api/auth/login", json={"username": "staff", "password": "x"})
        ).status_code
        for _ in range(5)
    ]
    assert codes == [401] * 5


async def test_forwarded_for_from_an_untrusted_peer_changes_nothing(client):
    for i in range(5):
        await client.post(
            "/api/auth/login",
            json={"username": "staff", "password": "x"},
            headers={"X-Forwarded-For": f"192.0.2.{i}"},
        )
    r = await client.post(
        "/api/auth/login",
        json={"username": "staff", "password": "demo"},
        headers={"X-Forwarded-For": "192.0.2.99"},
    )
    assert r.status_code == 429


async def test_typed_usernames_are_not_stored(client, settings):
    from backend.db.session import make_engine

    typed = "Someone.Typed-This 13812345678"
    await client.post("/api/auth/login", json={"username": typed, "password": "x"})
    engine = make_engine(settings.database_url)
    async with engine.connect() as conn:
        rows = (await conn.execute(sa.text("SELECT * FROM login_throttle"))).all()
    await engine.dispose()
    assert len(rows) == 3  # account+address, address, account
    dump = repr(rows).lower()
    assert typed.lower() not in dump and "someone" not in dump and "13812345678" not in dump
    assert "testclient" not in dump  # nor the address


async def test_a_successful_sign_in_sweeps_expired_counters(client, settings):
    from datetime import UTC, datetime, timedelta

    from backend.db.session import make_engine

    engine = make_engine(settings.database_url)
    long_ago = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=1)
    async with engine.begin() as conn:
        await conn.execute(
            sa.text(
                "INSERT INTO login_throttle (key, scope, attempts, window_ends)"
                " VALUES ('old', 'address', 3, :t)"
            ),
            {"t": long_ago},
        )
    ok = await client.post("/api/auth/login", json={"username": "staff", "password": "demo"})
    assert ok.status_code == 200
    async with engine.connect() as conn:
        keys = (await conn.execute(sa.text("SELECT key FROM login_throttle"))).scalars().all()
    await engine.dispose()
    assert "old" not in keys


@pytest.mark.postgres
async def test_twenty_concurrent_wrong_passwords_give_exactly_five_401(client, settings):
    body = {"username": "staff", "password": "wrong"}
    responses = await at_once(settings, 20, lambda c: c.post("/api/auth/login", json=body))
    codes = sorted(r.status_code for r in responses)
    assert codes == [401] * 5 + [429] * 15, codes


async def test_the_web_app_names_each_browser_so_one_cannot_lock_out_another(client, settings):
    """The Flet app calls the API from the server: its signed header names the browser."""
    from backend.http_security import client_attestation

    name = client_attestation(settings)

    async def login(password: str, headers: dict) -> int:
        body = {"username": "staff", "password": password}
        return (await client.post("/api/auth/login", json=body, headers=headers)).status_code

    for _ in range(5):
        assert await login("x", name("203.0.113.50")) == 401
    assert await login("demo", name("203.0.113.50")) == 429
    assert await login("demo", name("198.51.100.51")) == 200  # another browser, same server
    forged = {"X-AutoLease-Client": "198.51.100.52 " + "0" * 64}
    assert await login("x", forged) == 401  # a forged name is ignored: the peer counts
