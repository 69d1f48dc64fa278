"""Framing: 0x7E flags, escaping, the XOR check code, and a streaming `FrameReader`.

On the wire a frame is ``7E | escape(header + body + check) | 7E`` where ``check`` is the XOR of
every header and body byte, and escaping turns 0x7E into 7D 02 and 0x7D into 7D 01.
"""

from __future__ import annotations

from common.jt808.errors import ErrorCode, Jt808Error
from common.jt808.header import MAX_BODY_LENGTH, peek_header

FLAG = 0x7E
ESCAPE = 0x7D
_FLAG_BYTE = b"\x7e"
_ESCAPE_BYTE = b"\x7d"

#: The longest legal content: a 2019 header with sub-package items (21) + body (1023) + check (1).
MAX_CONTENT = 21 + MAX_BODY_LENGTH + 1
#: Escaping at most doubles it.
MAX_ESCAPED = 2 * MAX_CONTENT


def xor_check(data: bytes) -> int:
    """The XOR of all bytes (folding the big integer in halves: fast for a frame's size)."""
    value = int.from_bytes(data, "little")
    width = len(data)
    while width > 1:
        half = (width + 1) // 2
        value = (value >> (8 * half)) ^ (value & ((1 << (8 * half)) - 1))
        width = half
    return value


def escape(data: bytes) -> bytes:
    return data.replace(_ESCAPE_BYTE, b"\x7d\x01").replace(_FLAG_BYTE, b"\x7d\x02")


def unescape(data: bytes) -> bytes:
    """The inverse of `escape`; 0x7D before anything but 01 / 02 (or at the end) is `bad_escape`."""
    if ESCAPE not in data:
        return data
    out = bytearray()
    start = 0
    while (at := data.find(ESCAPE, start)) != -1:
        out += data[start:at]
        follower = data[at + 1] if at + 1 < len(data) else None
        if follower == 0x01:
            out.append(ESCAPE)
        elif follower == 0x02:
            out.append(FLAG)
        else:
            raise Jt808Error(ErrorCode.BAD_ESCAPE, f"7D followed by {follower!r} at {at}")
        start = at + 2
    out += data[start:]
    return bytes(out)


def build_frame(content: bytes) -> bytes:
    """Header + body -> the bytes to send: check code appended, escaped, flagged."""
    return _FLAG_BYTE + escape(content + bytes([xor_check(content)])) + _FLAG_BYTE


def open_frame(escaped: bytes) -> bytes:
    """The bytes between two flags -> header + body, the check code verified and removed.

    A bad check carries the header when it can still be read, so the gateway can answer 0x8001.
    """
    content = unescape(escaped)
    if len(content) < 2:
        raise Jt808Error(ErrorCode.TRUNCATED, f"{len(content)} bytes between flags")
    data, check = content[:-1], content[-1]
    computed = xor_check(data)
    if computed != check:
        raise Jt808Error(
            ErrorCode.BAD_CHECK,
            f"check code {check:02x}, computed {computed:02x}",
            header=peek_header(data),
        )
    return data


class FrameReader:
    """Feed it bytes as they arrive; it hands back each frame's header + body, or a typed error.

    Every 0x7E ends the frame being read (if any bytes were read) and starts the next, so after
    garbage or a lost byte the reader is back in step at the next flag. Bytes before the first flag
    are discarded. The buffer never holds more than `max_frame` bytes: a longer frame is reported
    once as `oversized` and skipped up to the next flag. Errors are returned, never raised, so one
    bad frame never costs the frames around it or the connection.
    """

    __slots__ = ("_buffer", "_in_frame", "_skipping", "discarded", "max_frame")

    def __init__(self, max_frame: int = MAX_ESCAPED) -> None:
        if max_frame < 2:
            raise ValueError("max_frame must allow at least a check code and one byte")
        self.max_frame = max_frame
        self._buffer = bytearray()
        self._in_frame = False
        self._skipping = False
        self.discarded = 0  # bytes dropped outside frames or in oversized ones

    @property
    def buffered(self) -> int:
        return len(self._buffer)

    def feed(self, data: bytes) -> list[bytes | Jt808Error]:
        results: list[bytes | Jt808Error] = []
        start = 0
        while start < len(data):
            at = data.find(FLAG, start)
            end = len(data) if at == -1 else at
            self._take(data[start:end], results)
            if at == -1:
                break
            self._close(results)
            start = at + 1
        return results

    def _take(self, chunk: bytes, results: list[bytes | Jt808Error]) -> None:
        if not chunk:
            return
        if not self._in_frame or self._skipping:
            self.discarded += len(chunk)
            return
        if len(self._buffer) + len(chunk) > self.max_frame:
            self.discarded += len(self._buffer) + len(chunk)
            self._buffer.clear()
            self._skipping = True
            results.append(
                Jt808Error(ErrorCode.OVERSIZED, f"frame longer than {self.max_frame} bytes")
            )
            return
        self._buffer += chunk

    def _close(self, results: list[bytes | Jt808Error]) -> None:
        """A flag: finish the frame in hand (if any) and start the next."""
        if self._buffer:
            try:
                results.append(open_frame(bytes(self._buffer)))
            except Jt808Error as error:
                results.append(error)
            self._buffer.clear()
        self._in_frame = True
        self._skipping = False
