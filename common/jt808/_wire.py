"""Bounds-checked big-endian reads (the protocol's byte order) and fixed-width text fields."""

from __future__ import annotations

from common.jt808.errors import ErrorCode, Jt808Error

TEXT_ENCODING = "gbk"  # STRING and BYTE[n] text fields are GBK


class BodyReader:
    """Reads a body front to back; running short is `truncated`, leftovers are `bad_length`."""

    __slots__ = ("_data", "_pos")

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    @property
    def remaining(self) -> int:
        return len(self._data) - self._pos

    def take(self, size: int, what: str) -> bytes:
        if size > self.remaining:
            raise Jt808Error(
                ErrorCode.TRUNCATED, f"{what}: needs {size} bytes, {self.remaining} left"
            )
        chunk = self._data[self._pos : self._pos + size]
        self._pos += size
        return chunk

    def u8(self, what: str) -> int:
        return self.take(1, what)[0]

    def u16(self, what: str) -> int:
        return int.from_bytes(self.take(2, what), "big")

    def u32(self, what: str) -> int:
        return int.from_bytes(self.take(4, what), "big")

    def rest(self) -> bytes:
        return self.take(self.remaining, "rest")

    def finish(self, what: str) -> None:
        if self.remaining:
            raise Jt808Error(ErrorCode.BAD_LENGTH, f"{what}: {self.remaining} bytes too many")


def decode_text(raw: bytes, what: str) -> str:
    """GBK text with the NUL padding / terminator removed; undecodable bytes are `bad_field`."""
    try:
        return raw.rstrip(b"\x00").decode(TEXT_ENCODING)
    except UnicodeDecodeError as exc:
        raise Jt808Error(ErrorCode.BAD_FIELD, f"{what} is not GBK text") from exc


def encode_text(text: str, what: str) -> bytes:
    try:
        raw = text.encode(TEXT_ENCODING)
    except UnicodeEncodeError as exc:
        raise ValueError(f"{what} {text!r} cannot be written in GBK") from exc
    if b"\x00" in raw:
        raise ValueError(f"{what} must not contain NUL")
    return raw


def encode_fixed(text: str, width: int, what: str) -> bytes:
    """BYTE[width]: the text NUL-padded at the end (as the standard says for short values)."""
    raw = encode_text(text, what)
    if len(raw) > width:
        raise ValueError(f"{what} {text!r} is longer than {width} bytes")
    return raw.ljust(width, b"\x00")


def check_range(what: str, value: int, bits: int) -> None:
    if not 0 <= value < 1 << bits:
        raise ValueError(f"{what} {value} does not fit {bits} bits")
