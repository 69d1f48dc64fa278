"""Every error code, and how a gateway answers it: 0x8001 when the header is readable, else drop."""

from __future__ import annotations

import pytest
from jt808_frames import HEARTBEAT_2013, hexframe, inner

from common.jt808 import (
    ErrorCode,
    FrameReader,
    Header,
    Jt808Error,
    PlatformGeneralResponse,
    PlatformResult,
    ProtocolVersion,
    build_frame,
    decode_content,
    decode_message,
    encode_frame,
    reply_for,
)


def _first_error(stream: bytes) -> Jt808Error:
    """What a gateway meets: the reader's own errors, else those of decoding the frame."""
    (item,) = FrameReader(max_frame=200).feed(stream)
    if isinstance(item, Jt808Error):
        return item
    with pytest.raises(Jt808Error) as caught:
        decode_content(item)
    return caught.value


HEADER = Header(0x0200, "013912345678", 7)

CASES = [
    (  # the heartbeat with its check code 33 changed to 34
        "bad_check",
        HEARTBEAT_2013[:-2] + b"\x34\x7e",
        ErrorCode.BAD_CHECK,
        PlatformGeneralResponse(1, 0x0002, PlatformResult.MESSAGE_ERROR),
    ),
    (  # 7D 03 is no escape
        "bad_escape",
        hexframe("7e", "0002 0000 013912345678 0001", "7d03", "7e"),
        ErrorCode.BAD_ESCAPE,
        None,
    ),
    (  # a header of 5 bytes with a good check code: nobody to answer
        "truncated header",
        build_frame(bytes.fromhex("0200 0000 01")),
        ErrorCode.TRUNCATED,
        None,
    ),
    (  # a location report of 4 bytes: the header is fine, the body is cut
        "truncated body",
        build_frame(bytes.fromhex("0200 0004 013912345678 0007 00000000")),
        ErrorCode.TRUNCATED,
        PlatformGeneralResponse(7, 0x0200, PlatformResult.MESSAGE_ERROR),
    ),
    (
        "oversized",
        b"\x7e" + b"\x01" * 300 + b"\x7e",
        ErrorCode.OVERSIZED,
        None,
    ),
    (  # heartbeat declaring 0 bytes and sending 1
        "bad_length",
        build_frame(bytes.fromhex("0002 0000 013912345678 0005 00")),
        ErrorCode.BAD_LENGTH,
        PlatformGeneralResponse(5, 0x0002, PlatformResult.MESSAGE_ERROR),
    ),
    (  # location report whose time says month 13
        "bad_field",
        build_frame(
            bytes.fromhex("0200 001c 013912345678 0007")  # location report, 28 bytes
            + bytes(22)  # alarm, status, latitude, longitude, altitude, speed, direction
            + bytes.fromhex("241302083000")  # 2024-13-02
        ),
        ErrorCode.BAD_FIELD,
        PlatformGeneralResponse(7, 0x0200, PlatformResult.MESSAGE_ERROR),
    ),
    (  # 0x0900 data uplink (transparent), not decoded here
        "unknown_message",
        build_frame(bytes.fromhex("0900 0002 013912345678 000a f001")),
        ErrorCode.UNKNOWN_MESSAGE,
        PlatformGeneralResponse(10, 0x0900, PlatformResult.NOT_SUPPORTED),
    ),
    (  # a heartbeat with the RSA encryption bit 10 set
        "encrypted",
        build_frame(bytes.fromhex("0002 0400 013912345678 000b")),
        ErrorCode.ENCRYPTED,
        PlatformGeneralResponse(11, 0x0002, PlatformResult.NOT_SUPPORTED),
    ),
    (  # a corrupt terminal general response: a response is never answered
        "bad response",
        build_frame(bytes.fromhex("0001 0004 013912345678 000c 0001 8100")),
        ErrorCode.TRUNCATED,
        None,
    ),
]


@pytest.mark.parametrize(
    ("stream", "code", "reply"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_error_has_its_code_and_its_answer(
    stream: bytes, code: ErrorCode, reply: PlatformGeneralResponse | None
) -> None:
    error = _first_error(stream)
    assert error.code is code
    assert reply_for(error) == reply


def test_every_code_is_covered_above() -> None:
    assert {case[2] for case in CASES} == set(ErrorCode)


def test_the_reply_to_a_bad_check_goes_back_to_the_terminal_in_its_own_header_layout() -> None:
    frame_2019 = encode_frame(
        PlatformGeneralResponse(1, 2, PlatformResult.SUCCESS),  # any 2019 frame, then spoil it
        phone="13912345678",
        serial=3,
        version=ProtocolVersion.V2019,
    )
    spoiled = frame_2019[:-2] + bytes([frame_2019[-2] ^ 0x01]) + b"\x7e"
    (error,) = FrameReader().feed(spoiled)
    assert isinstance(error, Jt808Error)
    assert error.header is not None
    assert error.header.version is ProtocolVersion.V2019
    assert reply_for(error) is None  # 0x8001 is a platform message: not answered
    ask = Jt808Error(
        ErrorCode.BAD_CHECK, "x", header=Header(0x0200, "13912345678", 9, ProtocolVersion.V2019)
    )
    reply = reply_for(ask)
    assert reply == PlatformGeneralResponse(9, 0x0200, PlatformResult.MESSAGE_ERROR)
    assert ask.header is not None
    answer = encode_frame(reply, phone=ask.header.phone, serial=40, version=ask.header.version)
    header, message = decode_content(FrameReader().feed(answer)[0])  # type: ignore[arg-type]
    assert (header.phone, header.version, message) == (
        "00000000013912345678",
        ProtocolVersion.V2019,
        reply,
    )


def test_decode_message_refuses_a_lone_sub_package() -> None:
    from common.jt808 import SubPackage

    with pytest.raises(ValueError, match="reassemble"):
        decode_message(Header(0x0704, "1", 1, subpackage=SubPackage(2, 1)), b"")


def test_a_bad_frame_never_stops_the_reader() -> None:
    reader = FrameReader()
    got = reader.feed(CASES[0][1] + CASES[1][1] + HEARTBEAT_2013)
    assert [type(item) for item in got] == [Jt808Error, Jt808Error, bytes]
    assert got[2] == inner(HEARTBEAT_2013)[:-1]
