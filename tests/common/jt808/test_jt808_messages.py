"""Each supported message decodes from a frame written by hand and encodes back to it."""

from __future__ import annotations

import pytest
from jt808_frames import (
    AUTH_2013,
    AUTH_2019,
    HEARTBEAT_2013,
    PLATFORM_RESPONSE_2013,
    REGISTER_2013,
    REGISTER_2019,
    REGISTER_RESPONSE_2013,
    TERMINAL_RESPONSE_2013,
    inner,
)

from common.jt808 import (
    ErrorCode,
    Heartbeat,
    Jt808Error,
    Message,
    PlatformGeneralResponse,
    PlatformResult,
    ProtocolVersion,
    RegisterResponse,
    RegisterResult,
    TerminalAuth,
    TerminalGeneralResponse,
    TerminalRegister,
    TerminalResult,
    decode_content,
    encode_frame,
    open_frame,
)

V2013, V2019 = ProtocolVersion.V2013, ProtocolVersion.V2019

CASES: list[tuple[str, bytes, Message, ProtocolVersion]] = [
    ("heartbeat", HEARTBEAT_2013, Heartbeat(), V2013),
    (
        "register 2013",
        REGISTER_2013,
        TerminalRegister(44, 0x0300, "70111", "JT808-T1", "T000001", 2, "京A12345"),
        V2013,
    ),
    (
        "register 2019 with a VIN",
        REGISTER_2019,
        TerminalRegister(44, 0x0300, "70111", "JT808-T1", "T000001", 0, "LSVAU2180N2183294"),
        V2019,
    ),
    ("auth 2013", AUTH_2013, TerminalAuth("AUTH1234"), V2013),
    ("auth 2019", AUTH_2019, TerminalAuth("AUTH1234", "861234567890123", "V1.0.2"), V2019),
    (
        "register response",
        REGISTER_RESPONSE_2013,
        RegisterResponse(2, RegisterResult.SUCCESS, "AUTH1234"),
        V2013,
    ),
    (
        "terminal general response",
        TERMINAL_RESPONSE_2013,
        TerminalGeneralResponse(1, 0x8100, TerminalResult.SUCCESS),
        V2013,
    ),
    (
        "platform general response",
        PLATFORM_RESPONSE_2013,
        PlatformGeneralResponse(7, 0x0200, PlatformResult.SUCCESS),
        V2013,
    ),
]


@pytest.mark.parametrize(
    ("frame", "message", "version"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_hand_written_frame_decodes_to_its_message_and_encodes_back(
    frame: bytes, message: Message, version: ProtocolVersion
) -> None:
    header, decoded = decode_content(open_frame(inner(frame)))
    assert decoded == message
    assert header.version is version
    assert encode_frame(message, phone=header.phone, serial=header.serial, version=version) == frame


def test_the_2019_register_widens_maker_model_and_terminal_id_and_carries_a_vin() -> None:
    _, message = decode_content(open_frame(inner(REGISTER_2019)))
    assert isinstance(message, TerminalRegister)
    assert message.vin == "LSVAU2180N2183294"
    body_2013 = message.encode(V2013)
    assert len(message.encode(V2019)) - len(body_2013) == (11 - 5) + (30 - 20) + (30 - 7)


def test_a_register_with_a_plate_has_no_vin() -> None:
    _, message = decode_content(open_frame(inner(REGISTER_2013)))
    assert isinstance(message, TerminalRegister)
    assert message.vin is None
    assert message.plate == "京A12345"


def test_fields_too_long_for_their_width_are_refused_when_encoding() -> None:
    register = TerminalRegister(44, 1, "701112", "M", "T", 1, "粤B1")  # maker id: 6 bytes > 5
    with pytest.raises(ValueError, match="maker id"):
        register.encode(V2013)
    assert len(register.encode(V2019)) == 2 + 2 + 11 + 30 + 30 + 1 + len("粤B1".encode("gbk"))


def test_a_2013_auth_cannot_carry_the_2019_imei() -> None:
    with pytest.raises(ValueError, match="2013"):
        TerminalAuth("A", imei="861234567890123").encode(V2013)


def test_a_failed_registration_carries_no_auth_code() -> None:
    refused = RegisterResponse(5, RegisterResult.NO_SUCH_TERMINAL)
    assert refused.encode(V2013) == bytes.fromhex("0005 04")
    with pytest.raises(ValueError):
        RegisterResponse(5, RegisterResult.NO_SUCH_TERMINAL, "X").encode(V2013)
    with pytest.raises(Jt808Error) as caught:
        RegisterResponse.decode(bytes.fromhex("0005 04 41"), V2013)
    assert caught.value.code is ErrorCode.BAD_LENGTH


def test_an_undefined_result_value_is_a_bad_field() -> None:
    with pytest.raises(Jt808Error) as caught:
        TerminalGeneralResponse.decode(bytes.fromhex("0001 0200 09"), V2013)
    assert caught.value.code is ErrorCode.BAD_FIELD


def test_a_2019_auth_shorter_than_its_imei_and_version_is_truncated() -> None:
    with pytest.raises(Jt808Error) as caught:
        TerminalAuth.decode(bytes.fromhex("02 4142 3836"), V2019)
    assert caught.value.code is ErrorCode.TRUNCATED
