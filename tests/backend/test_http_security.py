"""The HTTP surface: security headers on every response, a CSP the app and the docs work under,
no wildcard CORS, X-Forwarded-* only from trusted proxies, bounded request heads."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from litestar.testing import AsyncTestClient

from backend.app import create_app
from backend.commands.serve import app_mounts
from backend.http_security import client_from_forwarded, parse_proxies

ROOT = Path(__file__).resolve().parents[2]


def assert_hardened(r: httpx.Response) -> None:
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert "access-control-allow-origin" not in r.headers


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/healthz"), ("GET", "/api/auth/me"), ("GET", "/api/nope"), ("GET", "/docs"),
     ("POST", "/api/auth/login"), ("OPTIONS", "/api/auth/login")],
)  # fmt: skip
async def test_every_response_carries_the_security_headers(client, method, path):
    r = await client.request(method, path, headers={"Origin": "https://evil.example"})
    assert_hardened(r)
    assert "strict-transport-security" not in r.headers  # plain http


async def test_api_answers_forbid_everything_but_json(client):
    csp = (await client.get("/healthz")).headers["content-security-policy"]
    assert csp.startswith("default-src 'none'")


def inline_script_hashes(html: str) -> set[str]:
    bodies = re.findall(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", html, re.S | re.I)
    return {
        "'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'"
        for b in bodies
    }


async def test_the_docs_run_their_inline_script_by_hash_only(client):
    r = await client.get("/docs")
    script_src = re.search(r"script-src ([^;]*)", r.headers["content-security-policy"]).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    hashes = inline_script_hashes(r.text)
    assert hashes and all(h in script_src for h in hashes)


@pytest.fixture
async def with_app(settings):
    settings = settings.with_(adaptive_job_interval_s=0)
    app = create_app(settings, mounts=app_mounts(settings))
    async with AsyncTestClient(app=app, base_url=settings.public_url) as c:
        yield c


async def test_the_flet_app_gets_its_policy_and_no_wildcard_cors(with_app):
    page = await with_app.get("/app/", headers={"Origin": "https://evil.example"})
    assert page.status_code == 200
    assert_hardened(page)
    csp = page.headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "'wasm-unsafe-eval'" in script_src and "'unsafe-inline'" not in script_src
    assert all(h in script_src for h in inline_script_hashes(page.text))
    assert "worker-src 'self' blob:" in csp and "connect-src 'self'" in csp
    asset = await with_app.get("/app/flutter_bootstrap.js")
    assert asset.status_code == 200 and "access-control-allow-origin" not in asset.headers
    assert asset.headers["content-security-policy"].startswith("default-src 'self'")


async def test_cors_is_off_unless_origins_are_configured(client, settings):
    pre = {"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"}
    r = await client.options("/api/auth/login", headers=pre)
    assert "access-control-allow-origin" not in r.headers
    app = create_app(settings.with_(cors_origins=("https://shop.example",)))
    async with AsyncTestClient(app=app, base_url=settings.public_url) as c:
        ok = await c.options("/api/auth/login", headers=pre)
        assert ok.headers["access-control-allow-origin"] == "https://shop.example"
        other = await c.options(
            "/api/auth/login", headers={**pre, "Origin": "https://evil.example"}
        )
        assert other.headers.get("access-control-allow-origin") != "https://evil.example"
        assert "*" not in other.headers.get("access-control-allow-origin", "")


async def test_hsts_only_over_tls(settings):
    app = create_app(settings.with_(public_url="https://lease.example.cn"))
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as c:
        r = await c.get("/healthz")
    assert r.headers["strict-transport-security"].startswith("max-age=")


async def test_forwarded_proto_counts_only_from_a_trusted_proxy(settings):
    app = create_app(settings.with_(trusted_proxies=("10.0.0.0/8",)))
    for peer, hsts in (("10.1.2.3", True), ("192.0.2.1", False)):
        transport = httpx.ASGITransport(app=app, client=(peer, 1234))
        async with httpx.AsyncClient(transport=transport, base_url=settings.public_url) as c:
            r = await c.get("/healthz", headers={"X-Forwarded-Proto": "https"})
        assert ("strict-transport-security" in r.headers) is hsts, peer
    await app.state.engine.dispose()


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("192.0.2.1", "203.0.113.5", "192.0.2.1"),  # the peer is no proxy: header ignored
        ("10.0.0.2", "203.0.113.5", "203.0.113.5"),
        ("10.0.0.2", "1.1.1.1, 203.0.113.5, 10.0.0.3", "203.0.113.5"),  # spoofed left part
        ("10.0.0.2", "", "10.0.0.2"),
        ("10.0.0.2", "garbage, 203.0.113.5", "203.0.113.5"),
        ("10.0.0.2", "203.0.113.5, garbage", "10.0.0.2"),
        ("testclient", "203.0.113.5", "testclient"),
    ],
)
def test_the_client_address_is_the_first_untrusted_hop(peer, forwarded, client):
    assert client_from_forwarded(peer, forwarded, parse_proxies(("10.0.0.0/8",))) == client


async def test_an_oversized_request_head_is_431(client):
    r = await client.get("/healthz", headers={"X-Big": "a" * 20_000})
    assert r.status_code == 431 and r.json()["code"] == "headers_too_large"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_bounds_request_heads_in_the_server(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOLEASE_")}
    env.update(
        AUTOLEASE_DATA_DIR=str(tmp_path),
        AUTOLEASE_SECRET_KEY="k" * 40,
        AUTOLEASE_PII_KEY=base64.b64encode(b"p" * 32).decode(),
        AUTOLEASE_AUDIT_SIGNING_KEY=base64.b64encode(b"a" * 32).decode(),
        AUTOLEASE_ADAPTIVE_JOB_INTERVAL_S="0",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend.cli", "serve", "--no-app", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(
                b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 2_000_000 + b"\r\n\r\n"
            )
            answer = s.recv(64)
        assert answer.startswith((b"HTTP/1.1 400", b"HTTP/1.1 431")), answer
        ok = httpx.get(f"{base}/healthz", timeout=5)
        assert ok.status_code == 200 and "server" not in ok.headers
    finally:
        proc.terminate()
        proc.wait(timeout=20)


async def test_a_304_does_not_replace_the_cached_pages_policy(with_app):
    first = await with_app.get("/app/")
    again = await with_app.get("/app/", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert "content-security-policy" not in again.headers
    assert again.headers["x-content-type-options"] == "nosniff"


async def test_token_answers_are_never_cached(client):
    r = await client.post("/api/auth/login", json={"username": "staff", "password": "demo"})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
