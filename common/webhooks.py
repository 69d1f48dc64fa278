"""Signed webhooks 推送签名: what a partner's server needs to check a delivery, and nothing else.

A delivery carries the header ``AutoLease-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]``
(the shape Stripe uses): each ``v1`` is HMAC-SHA256, keyed with an endpoint secret (the whole
``whsec_...`` string, UTF-8), over ``"<t>." + body`` (the raw body bytes as sent). While a secret
is being rotated, the old secret's signature comes as a second ``v1``, so a receiver that still
holds only the old secret keeps verifying until it expires. A receiver accepts when the timestamp
is within ``tolerance`` seconds of its clock and any ``v1`` matches any secret it holds; compare in
constant time. Pure: no clock (``now`` is given), no I/O. docs/webhooks.md shows it in use.

Also here, because both sides of the wire agree on them: which event types a subscription
matches, and the retry schedule with its jitter.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence

SIGNATURE_HEADER = "AutoLease-Signature"
EVENT_ID_HEADER = "AutoLease-Event-Id"
EVENT_TYPE_HEADER = "AutoLease-Event-Type"
DEFAULT_TOLERANCE_S = 300
MAX_HEADER = 1024  # a header longer than this is refused before it is parsed

# alert.opened, alert.acknowledged, contract.partner_attached ...: dotted lower-case words.
_WORD = r"[a-z][a-z0-9_]{0,29}"
EVENT_TYPE = re.compile(rf"^({_WORD}\.){{1,3}}{_WORD}$(?!\n)")
# a subscription: an event type, or a family (`alert.*`)
SUBSCRIPTION = re.compile(rf"^({_WORD}\.){{1,3}}(\*|{_WORD})$(?!\n)")

# Seconds to wait after the 1st, 2nd, ... failed attempt; after the last, the delivery gives up.
RETRY_SCHEDULE_S: tuple[int, ...] = (30, 120, 600, 3600, 6 * 3600)
JITTER = 0.1  # each wait is stretched or shrunk by up to 10 %, so retries do not arrive in waves


class SignatureError(ValueError):
    """Why a delivery does not verify; `reason` is stable: ``header_malformed``,
    ``timestamp_outside_tolerance``, ``no_matching_signature``, ``no_secret``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sign(secret: str, t: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``"<t>." + body`` under ``secret``."""
    message = str(int(t)).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secrets: Sequence[str], t: int, body: bytes) -> str:
    """``t=<t>,v1=<sig>`` with one ``v1`` per secret, the current one first."""
    if not secrets:
        raise SignatureError("no_secret")
    return ",".join([f"t={int(t)}", *(f"v1={sign(s, t, body)}" for s in secrets)])


def parse(header: str) -> tuple[int, list[str]]:
    """(timestamp, v1 signatures) of a header; SignatureError('header_malformed') otherwise.
    Unknown schemes (``v0=...``) are skipped, as a future scheme must not break old receivers."""
    if not header or len(header) > MAX_HEADER:
        raise SignatureError("header_malformed")
    t: int | None = None
    v1: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            raise SignatureError("header_malformed")
        if key == "t":
            if t is not None or not value.isascii() or not value.isdigit() or len(value) > 12:
                raise SignatureError("header_malformed")
            t = int(value)
        elif key == "v1":
            if len(value) != 64 or not all(c in "0123456789abcdef" for c in value):
                raise SignatureError("header_malformed")
            v1.append(value)
    if t is None or not v1:
        raise SignatureError("header_malformed")
    return t, v1


def verify(
    header: str,
    secrets: Iterable[str],
    body: bytes,
    now: float,
    tolerance: float = DEFAULT_TOLERANCE_S,
) -> int:
    """Checks a delivery; returns its timestamp. ``now`` is the receiver's clock (unix seconds),
    ``secrets`` every secret the receiver currently accepts. Raises SignatureError."""
    t, signatures = parse(header)
    if abs(now - t) > tolerance:
        raise SignatureError("timestamp_outside_tolerance")
    held = [s for s in secrets if s]
    if not held:
        raise SignatureError("no_secret")
    matched = False
    for secret in held:
        expected = sign(secret, t, body)
        for candidate in signatures:  # every comparison made: no early exit on a match
            matched |= hmac.compare_digest(expected, candidate)
    if not matched:
        raise SignatureError("no_matching_signature")
    return t


def subscribed(subscriptions: Iterable[str], event_type: str) -> bool:
    """Whether an endpoint subscribed to ``subscriptions`` gets ``event_type``: an exact type, or
    a family ``alert.*`` (every type below ``alert.``)."""
    for s in subscriptions:
        if s == event_type or (s.endswith(".*") and event_type.startswith(s[:-1])):
            return True
    return False


def retry_delay_s(failed_attempts: int, unit: float) -> float | None:
    """Seconds until the next attempt after ``failed_attempts`` failures, jittered by ``unit``
    (a number in [0, 1): 0.5 is the plain schedule); None when the schedule is spent (give up)."""
    if failed_attempts < 1:
        raise ValueError("failed_attempts starts at 1")
    if failed_attempts > len(RETRY_SCHEDULE_S):
        return None
    if not 0.0 <= unit < 1.0:
        raise ValueError("unit must be in [0, 1)")
    base = RETRY_SCHEDULE_S[failed_attempts - 1]
    return base * (1.0 + JITTER * (2.0 * unit - 1.0))


MAX_ATTEMPTS = len(RETRY_SCHEDULE_S) + 1
