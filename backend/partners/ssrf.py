"""Where a webhook may go 防SSRF: only to the public internet, over https.

An endpoint URL names a host; we resolve it ourselves and refuse it when any address it resolves
to is loopback, private, link-local, multicast, reserved, unspecified, shared (CGNAT), a cloud
metadata address (169.254.169.254, fd00:ec2::254), or an IPv6 form carrying such an IPv4 address
(mapped, 6to4, Teredo). The sender then connects to the address vetted here — never resolving the
name again, so a DNS rebind between the check and the connection cannot move it — while sending
the host's name as Host and TLS SNI (the certificate is checked against the name).

Demo mode (the sandbox providers, like the other sandbox routes) allows one exception: the
backend's own demo receiver, `<public_url>/api/demo/webhook-receiver/<name>`, over http and on
loopback. Nothing else on loopback, in the demo or not.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from backend.settings import Settings

RECEIVER_PATH = "/api/demo/webhook-receiver/"
METADATA = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT, RFC 6598
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
# (host, port) -> the addresses it resolves to, as text; raises OSError when it does not resolve
Resolver = Callable[[str, int], Awaitable[list[str]]]


async def system_resolver(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class Refused(Exception):
    """A URL or an address we will not send to; `code` is stable, `detail` says why."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


def demo_mode(settings: Settings) -> bool:
    """The demo and the tests run on the sandbox providers; a real deployment names its own."""
    return settings.providers == "sandbox"


def refused_class(ip: IP) -> str | None:
    """Why an address is not on the public internet (None: it is)."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            inner = refused_class(embedded)
            if inner is not None:
                return inner
    checks = (
        ("metadata", ip in METADATA),
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link_local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("shared", isinstance(ip, ipaddress.IPv4Address) and ip in SHARED),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("not_global", not ip.is_global),
    )
    return next((name for name, hit in checks if hit), None)


@dataclass(frozen=True)
class Parsed:
    scheme: str
    host: str  # lower-case, IDNA-encoded; an IPv6 address without brackets
    port: int
    target: str  # path and query
    literal: IP | None  # the host, when it is an address

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


@dataclass(frozen=True)
class Target:
    """A URL vetted for sending: connect to `ip`, name `parsed.host`."""

    parsed: Parsed
    ip: IP

    @property
    def connect_url(self) -> str:
        host = f"[{self.ip}]" if self.ip.version == 6 else str(self.ip)
        return f"{self.parsed.scheme}://{host}:{self.parsed.port}{self.parsed.target}"


def parse(url: str) -> Parsed:
    """The parts of an absolute http(s) URL; Refused('url_invalid') for anything else (user
    info, no host, a bad port, a host that is neither a DNS name nor an address)."""
    if len(url) > 2000 or any(c.isspace() or ord(c) < 0x20 for c in url):
        raise Refused("url_invalid", "not a URL")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Refused("url_invalid", "not a URL") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Refused("url_invalid", "the scheme must be https")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise Refused("url_invalid", "user information in the URL")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise Refused("url_invalid", "no host")
    literal: IP | None
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is None:
        try:
            host = host.encode("idna").decode("ascii").lower()
        except UnicodeError as exc:
            raise Refused("url_invalid", "the host is not a DNS name") from exc
        labels = host.split(".")
        # a dotted name whose last label has a letter: "2130706433", "0x7f.1", "127.1" are
        # addresses in disguise, "localhost" and "intranet" single-label names
        if (
            len(host) > 253
            or len(labels) < 2
            or not all(_LABEL.match(label) for label in labels)
            or not re.search(r"[a-z]", labels[-1])
        ):
            raise Refused("url_invalid", "the host is not a DNS name")
    elif isinstance(literal, ipaddress.IPv6Address) and literal.scope_id:
        raise Refused("url_invalid", "a scoped IPv6 address")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Parsed(scheme, host, port or (443 if scheme == "https" else 80), target, literal)


@dataclass(frozen=True)
class UrlPolicy:
    """What may be sent to. `own_receiver` is the demo receiver's origin in demo mode."""

    own_receiver: Parsed | None = None

    @classmethod
    def for_settings(cls, settings: Settings) -> UrlPolicy:
        if not demo_mode(settings):
            return cls()
        try:
            own = parse(settings.public_url.rstrip("/") + RECEIVER_PATH)
        except Refused:
            own = None
        return cls(own_receiver=own)

    def is_own_receiver(self, p: Parsed) -> bool:
        own = self.own_receiver
        return (
            own is not None
            and (p.scheme, p.host, p.port) == (own.scheme, own.host, own.port)
            and p.target.startswith(RECEIVER_PATH)
            and len(p.target) > len(RECEIVER_PATH)
        )

    def check(self, url: str) -> Parsed:
        """What can be told without resolving (an endpoint's URL when it is saved): the scheme,
        the shape, and an address literal's class. Raises Refused."""
        p = parse(url)
        own = self.is_own_receiver(p)
        if p.scheme != "https" and not own:
            raise Refused("url_invalid", "the scheme must be https")
        if p.literal is not None:
            self._vet_address(p.literal, own)
        return p

    async def vet(self, url: str, resolver: Resolver) -> Target:
        """The address to connect to; Refused('ssrf_refused' | 'url_invalid' | 'dns_failed')."""
        p = self.check(url)
        own = self.is_own_receiver(p)
        if p.literal is not None:
            return Target(p, p.literal)
        try:
            found = await resolver(p.host, p.port)
        except (OSError, UnicodeError) as exc:
            raise Refused("dns_failed", f"{p.host} does not resolve") from exc
        addresses: list[IP] = []
        for text in found:
            try:
                addresses.append(ipaddress.ip_address(text.split("%", 1)[0]))
            except ValueError as exc:
                raise Refused("dns_failed", f"{p.host} resolved to {text!r}") from exc
        if not addresses:
            raise Refused("dns_failed", f"{p.host} has no address")
        for ip in addresses:  # every one: a name with one bad address is refused as a whole
            self._vet_address(ip, own)
        return Target(p, addresses[0])

    @staticmethod
    def _vet_address(ip: IP, own_receiver: bool) -> None:
        reason = refused_class(ip)
        if reason is None or (own_receiver and reason == "loopback"):
            return
        raise Refused("ssrf_refused", f"{reason} address {ip}")
