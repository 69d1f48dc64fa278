"""One POST of one delivery, SSRF-safe (backend/partners/ssrf.py) and bounded in time and size.

The request goes to the vetted address with the endpoint's host as Host and SNI; redirects are
not followed (a 3xx is `redirect_refused`); proxies from the environment are ignored (they would
resolve the name again); connect, read and total time are limited, and at most
`max_response_bytes` of the answer is read. A fresh client per send: a pooled connection is keyed
by address, and must never carry one host's request to another host on the same address.
Outcomes carry a stable `error_code`: ssrf_refused, url_invalid, dns_failed, connect_failed,
tls_failed, timeout, redirect_refused, http_error, send_failed.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from dataclasses import dataclass

import httpx

from backend import tls
from backend.partners.ssrf import Refused, Resolver, UrlPolicy

USER_AGENT = "AutoLease-Webhooks/1"


@dataclass(frozen=True)
class SendLimits:
    connect_s: float = 3.0
    read_s: float = 10.0
    total_s: float = 15.0  # resolving, connecting, sending and reading together
    max_response_bytes: int = 16 * 1024


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error_code: str | None
    error: str | None
    duration_ms: int
    response_excerpt: bytes = b""

    @property
    def delivered(self) -> bool:
        return self.error_code is None and self.status_code is not None


def _failure(code: str, detail: str, started: float, status: int | None = None) -> Outcome:
    ms = int((time.monotonic() - started) * 1000)
    return Outcome(status, code, detail[:300], ms)


async def post(
    policy: UrlPolicy,
    resolver: Resolver,
    url: str,
    headers: dict[str, str],
    body: bytes,
    limits: SendLimits = SendLimits(),
    *,
    verify: ssl.SSLContext | bool = True,
) -> Outcome:
    started = time.monotonic()
    try:
        async with asyncio.timeout(limits.total_s):
            return await _post(policy, resolver, url, headers, body, limits, verify, started)
    except TimeoutError:
        return _failure("timeout", f"no complete answer within {limits.total_s:g} s", started)


async def _post(
    policy: UrlPolicy,
    resolver: Resolver,
    url: str,
    headers: dict[str, str],
    body: bytes,
    limits: SendLimits,
    verify: ssl.SSLContext | bool,
    started: float,
) -> Outcome:
    try:
        target = await policy.vet(url, resolver)
    except Refused as exc:
        return _failure(exc.code, exc.detail, started)
    p = target.parsed
    sent = {
        **headers,
        "Host": p.host_header,
        "User-Agent": USER_AGENT,
        "Content-Type": "application/json",
    }
    extensions = {"sni_hostname": p.host} if p.scheme == "https" and p.literal is None else {}
    timeout = httpx.Timeout(limits.read_s, connect=limits.connect_s, pool=limits.connect_s)
    client = httpx.AsyncClient(
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
        verify=tls.client_context() if verify is True else verify,
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=0),
    )
    try:
        async with client:
            request = client.build_request(
                "POST", target.connect_url, headers=sent, content=body, extensions=extensions
            )
            response = await client.send(request, stream=True)
            try:
                excerpt = bytearray()
                async for chunk in response.aiter_raw():
                    excerpt += chunk
                    if len(excerpt) >= limits.max_response_bytes:
                        break  # enough: the rest is never read
            finally:
                await response.aclose()
    except httpx.TimeoutException as exc:
        return _failure("timeout", f"{type(exc).__name__} after the limit", started)
    except httpx.ConnectError as exc:
        code = "tls_failed" if isinstance(exc.__cause__, ssl.SSLError) else "connect_failed"
        if "CERTIFICATE" in str(exc).upper() or "SSL" in str(exc).upper():
            code = "tls_failed"
        return _failure(code, f"{target.ip}:{p.port}: {exc}", started)
    except httpx.HTTPError as exc:
        return _failure("send_failed", f"{type(exc).__name__}: {exc}", started)
    status = response.status_code
    data = bytes(excerpt[: limits.max_response_bytes])
    ms = int((time.monotonic() - started) * 1000)
    if 200 <= status < 300:
        return Outcome(status, None, None, ms, data)
    if 300 <= status < 400:
        where = response.headers.get("location", "")[:200]
        return Outcome(status, "redirect_refused", f"redirects are not followed: {where}", ms, data)
    return Outcome(status, "http_error", f"HTTP {status}", ms, data)
