"""Message bodies other than positions: responses, heartbeat, register, auth.

Each message is a frozen dataclass with its `MESSAGE_ID`, `encode(version) -> body` and
`decode(body, version)`; the version matters where 2013 and 2019 lay the body out differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import ClassVar, Self, TypeVar

from common.jt808._wire import (
    BodyReader,
    check_range,
    decode_text,
    encode_fixed,
    encode_text,
)
from common.jt808.errors import ErrorCode, Jt808Error
from common.jt808.header import ProtocolVersion


class TerminalResult(IntEnum):
    """Result of a terminal general response 0x0001."""

    SUCCESS = 0
    FAILURE = 1
    MESSAGE_ERROR = 2
    NOT_SUPPORTED = 3


class PlatformResult(IntEnum):
    """Result of a platform general response 0x8001."""

    SUCCESS = 0
    FAILURE = 1
    MESSAGE_ERROR = 2
    NOT_SUPPORTED = 3
    ALARM_ACKNOWLEDGED = 4  # 报警处理确认


class RegisterResult(IntEnum):
    """Result of a register response 0x8100."""

    SUCCESS = 0
    VEHICLE_ALREADY_REGISTERED = 1
    NO_SUCH_VEHICLE = 2
    TERMINAL_ALREADY_REGISTERED = 3
    NO_SUCH_TERMINAL = 4


_E = TypeVar("_E", bound=IntEnum)


def _enum(kind: type[_E], value: int, what: str) -> _E:
    try:
        return kind(value)
    except ValueError as exc:
        raise Jt808Error(ErrorCode.BAD_FIELD, f"{what} {value} is not defined") from exc


@dataclass(frozen=True, slots=True)
class TerminalGeneralResponse:
    """终端通用应答 0x0001: the terminal's answer to a platform message."""

    MESSAGE_ID: ClassVar[int] = 0x0001
    reply_serial: int
    reply_message_id: int
    result: TerminalResult

    def encode(self, version: ProtocolVersion) -> bytes:
        return _general(self.reply_serial, self.reply_message_id, self.result)

    @classmethod
    def decode(cls, body: bytes, version: ProtocolVersion) -> Self:
        serial, message_id, result = _read_general(body)
        return cls(serial, message_id, _enum(TerminalResult, result, "result"))


@dataclass(frozen=True, slots=True)
class PlatformGeneralResponse:
    """平台通用应答 0x8001: the platform's answer to a terminal message."""

    MESSAGE_ID: ClassVar[int] = 0x8001
    reply_serial: int
    reply_message_id: int
    result: PlatformResult

    def encode(self, version: ProtocolVersion) -> bytes:
        return _general(self.reply_serial, self.reply_message_id, self.result)

    @classmethod
    def decode(cls, body: bytes, version: ProtocolVersion) -> Self:
        serial, message_id, result = _read_general(body)
        return cls(serial, message_id, _enum(PlatformResult, result, "result"))


def _general(serial: int, message_id: int, result: int) -> bytes:
    check_range("reply serial", serial, 16)
    check_range("reply message id", message_id, 16)
    return serial.to_bytes(2, "big") + message_id.to_bytes(2, "big") + bytes([result])


def _read_general(body: bytes) -> tuple[int, int, int]:
    reader = BodyReader(body)
    values = reader.u16("reply serial"), reader.u16("reply message id"), reader.u8("result")
    reader.finish("general response")
    return values


@dataclass(frozen=True, slots=True)
class Heartbeat:
    """终端心跳 0x0002: an empty body."""

    MESSAGE_ID: ClassVar[int] = 0x0002

    def encode(self, version: ProtocolVersion) -> bytes:
        return b""

    @classmethod
    def decode(cls, body: bytes, version: ProtocolVersion) -> Self:
        BodyReader(body).finish("heartbeat")
        return cls()


#: BYTE[n] widths of maker id, model and terminal id in 0x0100.
_REGISTER_WIDTHS = {ProtocolVersion.V2013: (5, 20, 7), ProtocolVersion.V2019: (11, 30, 30)}


@dataclass(frozen=True, slots=True)
class TerminalRegister:
    """终端注册 0x0100.

    `plate` is the plate number, or the VIN when `plate_colour` is 0 (a vehicle without plates).
    Plate colours follow JT/T 697.7 (1 blue, 2 yellow, 3 black, 4 white, 5 green, 9 other).
    """

    MESSAGE_ID: ClassVar[int] = 0x0100
    province: int
    city: int
    maker_id: str
    model: str
    terminal_id: str
    plate_colour: int
    plate: str

    @property
    def vin(self) -> str | None:
        return self.plate if self.plate_colour == 0 else None

    def encode(self, version: ProtocolVersion) -> bytes:
        check_range("province", self.province, 16)
        check_range("city", self.city, 16)
        check_range("plate colour", self.plate_colour, 8)
        maker, model, terminal = _REGISTER_WIDTHS[version]
        return b"".join(
            [
                self.province.to_bytes(2, "big"),
                self.city.to_bytes(2, "big"),
                encode_fixed(self.maker_id, maker, "maker id"),
                encode_fixed(self.model, model, "model"),
                encode_fixed(self.terminal_id, terminal, "terminal id"),
                bytes([self.plate_colour]),
                encode_text(self.plate, "plate"),
            ]
        )

    @classmethod
    def decode(cls, body: bytes, version: ProtocolVersion) -> Self:
        maker, model, terminal = _REGISTER_WIDTHS[version]
        reader = BodyReader(body)
        return cls(
            province=reader.u16("province"),
            city=reader.u16("city"),
            maker_id=decode_text(reader.take(maker, "maker id"), "maker id"),
            model=decode_text(reader.take(model, "model"), "model"),
            terminal_id=decode_text(reader.take(terminal, "terminal id"), "terminal id"),
            plate_colour=reader.u8("plate colour"),
            plate=decode_text(reader.rest(), "plate"),
        )


@dataclass(frozen=True, slots=True)
class RegisterResponse:
    """终端注册应答 0x8100: the auth code travels only with a success."""

    MESSAGE_ID: ClassVar[int] = 0x8100
    reply_serial: int
    result: RegisterResult
    auth_code: str = ""

    def encode(self, version: ProtocolVersion) -> bytes:
        check_range("reply serial", self.reply_serial, 16)
        if self.result is not RegisterResult.SUCCESS and self.auth_code:
            raise ValueError("an auth code goes only with a successful registration")
        head = self.reply_serial.to_bytes(2, "big") + bytes([self.result])
        return head + encode_text(self.auth_code, "auth code")

    @classmethod
    def decode(cls, body: bytes, version: ProtocolVersion) -> Self:
        reader = BodyReader(body)
        serial = reader.u16("reply serial")
        result = _enum(RegisterResult, reader.u8("result"), "register result")
        code = decode_text(reader.rest(), "auth code")
        if result is not RegisterResult.SUCCESS and code:
            raise Jt808Error(ErrorCode.BAD_LENGTH, "an auth code after a failed registration")
        return cls(serial, result, code)


@dataclass(frozen=True, slots=True)
class TerminalAuth:
    """终端鉴权 0x0102.

    2013: the body is the auth code. 2019: BYTE length + auth code + IMEI BYTE[15] + software
    version BYTE[20]; `imei` and `software_version` are empty in 2013.
    """

    MESSAGE_ID: ClassVar[int] = 0x0102
    auth_code: str
    imei: str = ""
    software_version: str = ""

    def encode(self, version: ProtocolVersion) -> bytes:
        code = encode_text(self.auth_code, "auth code")
        if version is ProtocolVersion.V2013:
            if self.imei or self.software_version:
                raise ValueError("a 2013 auth carries the auth code only")
            return code
        if len(code) > 0xFF:
            raise ValueError("the auth code is longer than 255 bytes")
        return b"".join(
            [
                bytes([len(code)]),
                code,
                encode_fixed(self.imei, 15, "IMEI"),
                encode_fixed(self.software_version, 20, "software version"),
            ]
        )

    @classmethod
    def decode(cls, body: bytes, version: ProtocolVersion) -> Self:
        if version is ProtocolVersion.V2013:
            return cls(decode_text(body, "auth code"))
        reader = BodyReader(body)
        code = reader.take(reader.u8("auth code length"), "auth code")
        imei = reader.take(15, "IMEI")
        software = reader.take(20, "software version")
        reader.finish("auth")
        return cls(
            decode_text(code, "auth code"),
            decode_text(imei, "IMEI"),
            decode_text(software, "software version"),
        )
