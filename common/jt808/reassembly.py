"""Reassembly of sub-packaged messages (分包).

The packages of one message share phone, message id and total, and carry consecutive serials
(package `index` has serial ``first + index - 1``), so a message is keyed by those and its first
serial. Memory is bounded: at most `max_pending` messages in progress (the oldest is dropped for
a new one), at most `max_message_bytes` each, and a message not completed `max_age` seconds after
its first package is dropped. The caller passes the clock (`now`, e.g. `time.monotonic()`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from common.jt808.errors import ErrorCode, Jt808Error
from common.jt808.header import Header

_Key = tuple[str, int, int, int]


@dataclass(frozen=True, slots=True)
class Incomplete:
    """A message dropped before all its packages came (for a 0x8003 retransmission request)."""

    header: Header  # of the first package (subpackage index 1), serial = the first serial
    missing: tuple[int, ...]  # package indexes never received


@dataclass(slots=True)
class _Pending:
    started: float
    total: int
    parts: dict[int, bytes] = field(default_factory=dict)
    size: int = 0


class Reassembler:
    def __init__(
        self, *, max_pending: int = 16, max_message_bytes: int = 64 * 1024, max_age: float = 60.0
    ) -> None:
        if max_pending < 1 or max_message_bytes < 1 or max_age <= 0:
            raise ValueError("the bounds must be positive")
        self.max_pending = max_pending
        self.max_message_bytes = max_message_bytes
        self.max_age = max_age
        self._pending: dict[_Key, _Pending] = {}
        self._headers: dict[_Key, Header] = {}

    def __len__(self) -> int:
        return len(self._pending)

    def add(self, header: Header, body: bytes, now: float) -> tuple[Header, bytes] | None:
        """One package in; the whole message (header without sub-package items) once complete.

        A repeated package replaces the earlier copy. A message growing past the bound is dropped
        and reported as `oversized`. Expired messages are dropped here too, silently: call
        `expire(now)` first (e.g. on every read) to learn what they were missing.
        """
        package = header.subpackage
        if package is None:
            return header, body
        self.expire(now)
        first_serial = (header.serial - package.index + 1) & 0xFFFF
        key = (header.phone, header.message_id, package.total, first_serial)
        pending = self._pending.get(key)
        if pending is None:
            if len(self._pending) >= self.max_pending:
                self._drop(next(iter(self._pending)))
            pending = self._pending[key] = _Pending(started=now, total=package.total)
            self._headers[key] = replace(header, serial=first_serial, subpackage=None)
        pending.size += len(body) - len(pending.parts.get(package.index, b""))
        pending.parts[package.index] = body
        if pending.size > self.max_message_bytes:
            self._drop(key)
            raise Jt808Error(
                ErrorCode.OVERSIZED,
                f"sub-packaged message beyond {self.max_message_bytes} bytes",
                header=header,
            )
        if len(pending.parts) < pending.total:
            return None
        whole = self._headers[key]
        self._drop(key)
        return whole, b"".join(pending.parts[i] for i in range(1, pending.total + 1))

    def expire(self, now: float) -> list[Incomplete]:
        """Drop the messages older than `max_age`; say what each was missing."""
        dropped: list[Incomplete] = []
        for key, pending in list(self._pending.items()):
            if now - pending.started >= self.max_age:
                dropped.append(self._incomplete(key, pending))
                self._drop(key)
        return dropped

    def _incomplete(self, key: _Key, pending: _Pending) -> Incomplete:
        missing = tuple(i for i in range(1, pending.total + 1) if i not in pending.parts)
        return Incomplete(self._headers[key], missing)

    def _drop(self, key: _Key) -> None:
        del self._pending[key]
        del self._headers[key]
