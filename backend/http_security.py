"""The HTTP surface, hardened in one place.

- Who the client is: the peer address, unless the peer is one of `AUTOLEASE_TRUSTED_PROXIES`;
  only then are `X-Forwarded-For` and `X-Forwarded-Proto` believed (`X-Forwarded-Host` never: the
  links we hand out are built from `AUTOLEASE_PUBLIC_URL`). The Flet app at /app calls the API
  from the server on behalf of a browser: it names that browser's address in `X-AutoLease-Client`,
  signed with a key derived from the secret key, so no one else can choose their address.
- Request heads are bounded (`max_header_bytes`, 431); `serve` also bounds them in uvicorn (h11).
- Every response carries nosniff, `X-Frame-Options: DENY`, a Referrer-Policy, a
  Content-Security-Policy (`frame-ancestors 'none'`), and HSTS when served over TLS. HTML pages
  (the Flet app at /app, Swagger UI at /docs) get their inline scripts allowed by hash.
- CORS is off unless `AUTOLEASE_CORS_ORIGINS` names origins; `Access-Control-Allow-Origin: *`
  (which the Flet mount adds to everything under /app) is always taken out.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import re
from collections.abc import Callable
from typing import Any

import msgspec
from litestar.config.cors import CORSConfig
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.middleware.base import DefineMiddleware
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Message,
    Receive,
    Scope,
    Send,
)

from backend.settings import Settings
from common.api.problems import Problem

_NET = ipaddress.IPv4Network | ipaddress.IPv6Network

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# Flutter web: CanvasKit/skwasm compile WebAssembly, run workers (some from blob: URLs), inject
# <style> elements, load fonts and images as data:/blob:, and talk to /app/ws on this origin.
APP_CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline';"
    " img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self';"
    " worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self';"
    " frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
    " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self';"
    " form-action 'self'; frame-ancestors 'none'"
)
# The sandbox provider's hosted pay page: its own inline style, the app's CJK font, its form.
PAY_PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'; form-action 'self';"
    " base-uri 'none'; frame-ancestors 'none'"
)
# The demo's webhook receiver page: its own inline style and the app's CJK font, nothing else.
RECEIVER_PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'; form-action 'none';"
    " base-uri 'none'; frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"
_INLINE_SCRIPT = re.compile(rb"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.I | re.S)
_MAX_HTML = 2 * 1024 * 1024  # pages whose inline scripts we hash; bigger ones are passed through


def request_path(scope: Scope) -> str:
    """The path as requested: Litestar rewrites `scope["path"]` to the rest for a mounted app."""
    raw = scope.get("raw_path")
    return raw.decode("latin-1").split("?", 1)[0] if raw else scope.get("path", "")


def policy_for(path: str) -> str:
    if path == "/app" or path.startswith("/app/"):
        return APP_CSP
    if path == "/docs" or path.startswith("/docs/"):
        return DOCS_CSP
    if path.startswith("/api/sandbox/pay/"):
        return PAY_PAGE_CSP
    if path == "/demo/webhook-receiver":
        return RECEIVER_PAGE_CSP
    return API_CSP


def with_script_hashes(policy: str, html: bytes) -> str:
    """`policy` with the sha256 of every inline <script> of `html` added to script-src."""
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
            for body in _INLINE_SCRIPT.findall(html)
        }
    )
    if not hashes:
        return policy
    return policy.replace("script-src 'self'", "script-src 'self' " + " ".join(hashes), 1)


def parse_proxies(entries: tuple[str, ...]) -> list[_NET]:
    return [ipaddress.ip_network(e, strict=False) for e in entries]


def _trusted(host: str, proxies: list[_NET]) -> bool:
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(ip in net for net in proxies)


def client_from_forwarded(peer: str, forwarded_for: str, proxies: list[_NET]) -> str:
    """The client's address: the right-most X-Forwarded-For entry that is not a trusted proxy,
    when the peer itself is one; otherwise the peer."""
    if not _trusted(peer, proxies):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer  # a garbled chain: believe nothing in it
        if not _trusted(hop, proxies):
            return hop
    return hops[0] if hops else peer


CLIENT_HEADER = "x-autolease-client"


def _client_key(settings: Settings) -> bytes:
    return hmac.new(settings.secret_key.encode(), b"autolease-client-address", "sha256").digest()


def client_attestation(settings: Settings) -> Callable[[str], dict[str, str]]:
    """For the in-process Flet app: the header that names a browser's address to the API."""
    key = _client_key(settings)

    def headers_for(address: str) -> dict[str, str]:
        mac = hmac.new(key, address.encode(), "sha256").hexdigest()
        return {CLIENT_HEADER: f"{address} {mac}"}

    return headers_for


def attested_client(value: str, key: bytes) -> str | None:
    address, _, mac = value.strip().partition(" ")
    expected = hmac.new(key, address.encode(), "sha256").hexdigest()
    if not address or len(address) > 64 or not hmac.compare_digest(mac, expected):
        return None
    return address


def _headers(message: Message) -> MutableScopeHeaders:
    message.setdefault("headers", [])  # type: ignore[typeddict-item]
    return MutableScopeHeaders.from_message(message)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


class HardeningMiddleware:
    """Per request: bound the head, settle the client address and scheme, hash inline scripts."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.proxies = parse_proxies(settings.trusted_proxies)
        self.client_key = _client_key(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in (ScopeType.HTTP, ScopeType.WEBSOCKET):
            await self.app(scope, receive, send)
            return
        is_http = scope["type"] == ScopeType.HTTP
        head = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
        head += sum(len(k) + len(v) + 4 for k, v in scope.get("headers", ()))
        if head > self.settings.max_header_bytes and is_http:
            await _too_large_head(send)
            return
        client = scope.get("client")
        if client and self.proxies and _trusted(client[0], self.proxies):
            address = client_from_forwarded(
                client[0], _header(scope, b"x-forwarded-for"), self.proxies
            )
            scope["client"] = (address, client[1])
            proto = _header(scope, b"x-forwarded-proto").split(",")[0].strip().lower()
            if proto in ("http", "https"):
                secure = proto == "https"
                if is_http:
                    scope["scheme"] = "https" if secure else "http"
                else:
                    scope["scheme"] = "wss" if secure else "ws"
        attested = _header(scope, CLIENT_HEADER.encode())
        if attested and client:
            named = attested_client(attested, self.client_key)
            if named is not None:
                scope["client"] = (named, client[1])
        if is_http and scope.get("method") == "GET":
            send = _HtmlScriptHasher(send, policy_for(request_path(scope)))
        await self.app(scope, receive, send)


class _HtmlScriptHasher:
    """Holds back an HTML response until its body is complete, then sets its CSP with hashes."""

    def __init__(self, send: Send, policy: str) -> None:
        self.send = send
        self.policy = policy
        self.start: Message | None = None
        self.body = bytearray()

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            ctype = _headers(message).get("content-type", "")
            if ctype.startswith("text/html"):
                self.start = message
                return
        elif message["type"] == "http.response.body" and self.start is not None:
            self.body += message.get("body", b"")
            if message.get("more_body") and len(self.body) <= _MAX_HTML:
                return
            start, self.start = self.start, None
            headers = _headers(start)
            headers["content-security-policy"] = with_script_hashes(self.policy, bytes(self.body))
            await self.send(start)
            await self.send({**message, "body": bytes(self.body)})
            return
        await self.send(message)


async def _too_large_head(send: Send) -> None:
    problem = Problem(431, "headers_too_large", "请求头过大", "The request headers are too large")
    body = msgspec.json.encode(problem)
    headers: list[tuple[bytes, bytes]] = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
    ]
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": 431,
        "headers": headers,
    }
    end: HTTPResponseBodyEvent = {"type": "http.response.body", "body": body, "more_body": False}
    await send(start)
    await send(end)


def security_headers(settings: Settings) -> Any:
    """A before-send hook: runs for every response the app sends (404s and mounts included)."""
    public_https = settings.public_url.lower().startswith("https://")

    async def hook(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = _headers(message)
        if not settings.cors_origins or headers.get("access-control-allow-origin") == "*":
            headers.pop("access-control-allow-origin", None)
        headers["x-content-type-options"] = "nosniff"
        headers["x-frame-options"] = "DENY"
        headers["referrer-policy"] = "no-referrer"  # upload URLs carry a token in the query
        # A 304 keeps the cached page's policy (with the hashes of its scripts): a browser
        # would merge a CSP sent with the 304 into the cached response.
        if "content-security-policy" not in headers and message["status"] != 304:
            headers["content-security-policy"] = policy_for(request_path(scope))
        if request_path(scope).startswith("/api/auth/"):
            headers["cache-control"] = "no-store"  # tokens are never kept by a cache
        if public_https or scope.get("scheme") == "https":
            headers["strict-transport-security"] = HSTS

    return hook


def app_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for `Litestar(...)`: the middleware, the hook, and CORS if configured."""
    cors = (
        CORSConfig(allow_origins=list(settings.cors_origins), allow_credentials=False)
        if settings.cors_origins
        else None
    )
    return {
        "middleware": [DefineMiddleware(HardeningMiddleware, settings=settings)],
        "before_send": [security_headers(settings)],
        "cors_config": cors,
    }
