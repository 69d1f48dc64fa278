"""Whole messages: frame content <-> (header, message), sub-packaging, and error replies.

A gateway's loop::

    for item in reader.feed(chunk):                      # FrameReader
        try:
            if isinstance(item, Jt808Error):
                raise item
            header, body = decode_header(item)
            whole = reassembler.add(header, body, now)   # sub-packages
            if whole is not None:
                message = decode_message(*whole)
        except Jt808Error as error:
            reply = reply_for(error)                     # 0x8001, or None: drop the frame
"""

from __future__ import annotations

from collections.abc import Callable

from common.jt808.errors import ErrorCode, Jt808Error
from common.jt808.framing import build_frame
from common.jt808.header import (
    MAX_BODY_LENGTH,
    Header,
    ProtocolVersion,
    SubPackage,
    decode_header,
    encode_header,
)
from common.jt808.location import LocationBatch, LocationReport
from common.jt808.messages import (
    Heartbeat,
    PlatformGeneralResponse,
    PlatformResult,
    RegisterResponse,
    TerminalAuth,
    TerminalGeneralResponse,
    TerminalRegister,
)

Message = (
    TerminalGeneralResponse
    | Heartbeat
    | TerminalRegister
    | RegisterResponse
    | TerminalAuth
    | PlatformGeneralResponse
    | LocationReport
    | LocationBatch
)

_DECODERS: dict[int, Callable[[bytes, ProtocolVersion], Message]] = {
    kind.MESSAGE_ID: kind.decode
    for kind in (
        TerminalGeneralResponse,
        Heartbeat,
        TerminalRegister,
        RegisterResponse,
        TerminalAuth,
        PlatformGeneralResponse,
        LocationReport,
        LocationBatch,
    )
}

SUPPORTED_MESSAGE_IDS = frozenset(_DECODERS)


def decode_message(header: Header, body: bytes) -> Message:
    """The message a (whole, reassembled) body holds; errors carry the header."""
    if header.subpackage is not None and header.subpackage.total > 1:
        raise ValueError("reassemble the sub-packages first (Reassembler)")
    try:
        if header.encryption:
            raise Jt808Error(ErrorCode.ENCRYPTED, f"encryption bits {header.encryption:03b}")
        decoder = _DECODERS.get(header.message_id)
        if decoder is None:
            raise Jt808Error(ErrorCode.UNKNOWN_MESSAGE, f"message id {header.message_id:#06x}")
        return decoder(body, header.version)
    except Jt808Error as error:
        raise error.with_header(header) from error


def decode_content(content: bytes) -> tuple[Header, Message]:
    """Header + message from one frame's content (not sub-packaged)."""
    header, body = decode_header(content)
    return header, decode_message(header, body)


def encode_frames(
    message: Message,
    *,
    phone: str,
    serial: int,
    version: ProtocolVersion = ProtocolVersion.V2013,
    protocol_version: int = 1,
    package_size: int = MAX_BODY_LENGTH,
) -> list[bytes]:
    """The frames that carry `message`: one, or sub-packages of `package_size` bytes with
    consecutive serials from `serial` when the body is longer."""
    body = message.encode(version)
    if not 1 <= package_size <= MAX_BODY_LENGTH:
        raise ValueError(f"package size {package_size} is not 1-{MAX_BODY_LENGTH}")
    base = Header(message.MESSAGE_ID, phone, serial, version, protocol_version)
    if len(body) <= package_size:
        return [build_frame(encode_header(base, len(body)) + body)]
    chunks = [body[at : at + package_size] for at in range(0, len(body), package_size)]
    frames = []
    for index, chunk in enumerate(chunks, start=1):
        header = Header(
            message.MESSAGE_ID,
            base.phone,
            (serial + index - 1) & 0xFFFF,
            version,
            protocol_version,
            subpackage=SubPackage(len(chunks), index),
        )
        frames.append(build_frame(encode_header(header, len(chunk)) + chunk))
    return frames


def encode_frame(
    message: Message,
    *,
    phone: str,
    serial: int,
    version: ProtocolVersion = ProtocolVersion.V2013,
    protocol_version: int = 1,
) -> bytes:
    """The one frame that carries `message` (ValueError if the body needs sub-packages)."""
    body = message.encode(version)
    header = Header(message.MESSAGE_ID, phone, serial, version, protocol_version)
    return build_frame(encode_header(header, len(body)) + body)


#: How the platform answers each error when it can read the header; the rest are dropped.
_REPLY_RESULT = {
    ErrorCode.BAD_CHECK: PlatformResult.MESSAGE_ERROR,
    ErrorCode.TRUNCATED: PlatformResult.MESSAGE_ERROR,
    ErrorCode.BAD_LENGTH: PlatformResult.MESSAGE_ERROR,
    ErrorCode.BAD_FIELD: PlatformResult.MESSAGE_ERROR,
    ErrorCode.UNKNOWN_MESSAGE: PlatformResult.NOT_SUPPORTED,
    ErrorCode.ENCRYPTED: PlatformResult.NOT_SUPPORTED,
}


def reply_for(error: Jt808Error) -> PlatformGeneralResponse | None:
    """The 0x8001 to send for a bad frame, or None: drop it (no readable header, a broken escape,
    an oversized frame), or the terminal's own 0x0001 and platform-side ids (nothing answers
    those). Send it with `encode_frame(reply, phone=error.header.phone,
    version=error.header.version, serial=<the platform's next serial>)`."""
    header = error.header
    result = _REPLY_RESULT.get(error.code)
    if header is None or result is None or not _expects_reply(header.message_id):
        return None
    return PlatformGeneralResponse(header.serial, header.message_id, result)


def _expects_reply(message_id: int) -> bool:
    """Terminal messages expect an answer, except the terminal's own general response; platform
    messages (ids 0x8000 and up) are never answered by the platform."""
    return message_id != TerminalGeneralResponse.MESSAGE_ID and not message_id & 0x8000
