"""Typed JT/T 808 decoding errors with stable codes.

A gateway never lets one of these close the connection: it answers the terminal per the protocol
(`codec.reply_for`) or drops the frame. `header` is set whenever the frame's header could be read,
because only then can a platform general response 0x8001 be addressed to the terminal.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from common.jt808.header import Header


class ErrorCode(StrEnum):
    """Stable machine codes (never renamed once published)."""

    BAD_ESCAPE = "bad_escape"  # 0x7D followed by anything but 0x01 / 0x02
    BAD_CHECK = "bad_check"  # the XOR check code does not match
    TRUNCATED = "truncated"  # fewer bytes than the header or the body layout needs
    OVERSIZED = "oversized"  # a frame or a reassembled message beyond the bound
    BAD_LENGTH = "bad_length"  # more bytes than the declared length / the layout
    BAD_FIELD = "bad_field"  # a value the layout forbids (BCD digit > 9, impossible date, ...)
    UNKNOWN_MESSAGE = "unknown_message"  # a message id this codec does not decode
    ENCRYPTED = "encrypted"  # the body is encrypted (RSA bit); not supported


class Jt808Error(Exception):
    """A frame or message that cannot be decoded; `code` says why."""

    def __init__(self, code: ErrorCode, detail: str, *, header: Header | None = None) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.header = header

    def with_header(self, header: Header) -> Jt808Error:
        """The same error, now knowing whom to answer."""
        return Jt808Error(self.code, self.detail, header=header)
