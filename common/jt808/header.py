"""The message header, 2013 and 2019 layouts.

2013 (12 bytes, 16 with sub-package items)::

    WORD message id | WORD body properties | BCD[6] phone | WORD serial [| WORD total | WORD index]

2019 (17 bytes, 21 with sub-package items): bit 14 of the properties is set and a protocol version
BYTE precedes a BCD[10] phone number.

Body properties: bits 0-9 body length, 10-12 encryption (bit 10 = RSA), 13 sub-package,
14 version flag (2019), 15 reserved.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from common.jt808._wire import BodyReader, check_range
from common.jt808.bcd import decode_bcd, encode_bcd
from common.jt808.errors import ErrorCode, Jt808Error

MAX_BODY_LENGTH = 0x03FF  # 10 bits of body length
_LENGTH_MASK = 0x03FF
_ENCRYPTION_SHIFT = 10
_ENCRYPTION_MASK = 0x7
_SUBPACKAGE_BIT = 1 << 13
_VERSION_BIT = 1 << 14


class ProtocolVersion(Enum):
    """Which header layout a terminal speaks."""

    V2013 = 2013
    V2019 = 2019

    @property
    def phone_bytes(self) -> int:
        return 6 if self is ProtocolVersion.V2013 else 10


@dataclass(frozen=True, slots=True)
class SubPackage:
    """消息包封装项: this frame is package `index` (from 1) of `total`."""

    total: int
    index: int

    def __post_init__(self) -> None:
        check_range("sub-package total", self.total, 16)
        check_range("sub-package index", self.index, 16)
        if not 1 <= self.index <= self.total:
            raise ValueError(f"sub-package {self.index} of {self.total}")


@dataclass(frozen=True, slots=True)
class Header:
    """A decoded header. `phone` is always the full BCD width (12 or 20 digits, zero-padded)."""

    message_id: int
    phone: str
    serial: int
    version: ProtocolVersion = ProtocolVersion.V2013
    protocol_version: int = 1  # 2019 only: the version BYTE (1 for JT/T 808-2019); 0 in 2013
    encryption: int = 0  # bits 10-12 of the properties; 0 = plain
    subpackage: SubPackage | None = None

    def __post_init__(self) -> None:
        check_range("message id", self.message_id, 16)
        check_range("serial", self.serial, 16)
        check_range("encryption", self.encryption, 3)
        check_range("protocol version", self.protocol_version, 8)
        width = 2 * self.version.phone_bytes
        if not self.phone.isascii() or not self.phone.isdigit() or len(self.phone) > width:
            raise ValueError(f"phone {self.phone!r} is not at most {width} digits")
        object.__setattr__(self, "phone", self.phone.rjust(width, "0"))
        if self.version is ProtocolVersion.V2013:
            object.__setattr__(self, "protocol_version", 0)

    @property
    def length(self) -> int:
        """Bytes the header takes on the wire."""
        size = 12 if self.version is ProtocolVersion.V2013 else 17
        return size + (4 if self.subpackage else 0)


def encode_header(header: Header, body_length: int) -> bytes:
    if not 0 <= body_length <= MAX_BODY_LENGTH:
        raise ValueError(f"a body of {body_length} bytes needs sub-packages (max 1023)")
    properties = body_length | header.encryption << _ENCRYPTION_SHIFT
    if header.subpackage:
        properties |= _SUBPACKAGE_BIT
    out = bytearray(header.message_id.to_bytes(2, "big"))
    if header.version is ProtocolVersion.V2019:
        out += (properties | _VERSION_BIT).to_bytes(2, "big")
        out.append(header.protocol_version)
    else:
        out += properties.to_bytes(2, "big")
    out += encode_bcd(header.phone, header.version.phone_bytes)
    out += header.serial.to_bytes(2, "big")
    if header.subpackage:
        out += header.subpackage.total.to_bytes(2, "big")
        out += header.subpackage.index.to_bytes(2, "big")
    return bytes(out)


def decode_header(content: bytes) -> tuple[Header, bytes]:
    """Split unescaped, checked content (header + body) into the header and the body.

    Raises `truncated` / `bad_field` for an unreadable header; once the header is read, a body
    shorter than declared is `truncated`, a longer one `bad_length` (both carrying the header).
    """
    reader = BodyReader(content)
    message_id = reader.u16("message id")
    properties = reader.u16("body properties")
    if properties & _VERSION_BIT:
        version = ProtocolVersion.V2019
        protocol_version = reader.u8("protocol version")
    else:
        version, protocol_version = ProtocolVersion.V2013, 0
    phone = decode_bcd(reader.take(version.phone_bytes, "phone number"))
    serial = reader.u16("serial")
    subpackage = None
    if properties & _SUBPACKAGE_BIT:
        total, index = reader.u16("package total"), reader.u16("package index")
        if not 1 <= index <= total:
            raise Jt808Error(ErrorCode.BAD_FIELD, f"sub-package {index} of {total}")
        subpackage = SubPackage(total, index)
    header = Header(
        message_id=message_id,
        phone=phone,
        serial=serial,
        version=version,
        protocol_version=protocol_version,
        encryption=properties >> _ENCRYPTION_SHIFT & _ENCRYPTION_MASK,
        subpackage=subpackage,
    )
    declared = properties & _LENGTH_MASK
    if reader.remaining < declared:
        raise Jt808Error(
            ErrorCode.TRUNCATED,
            f"body declares {declared} bytes, {reader.remaining} arrived",
            header=header,
        )
    if reader.remaining > declared:
        raise Jt808Error(
            ErrorCode.BAD_LENGTH,
            f"body declares {declared} bytes, {reader.remaining} arrived",
            header=header,
        )
    return header, reader.rest()


def peek_header(content: bytes) -> Header | None:
    """The header if it can be read at all (whatever the body), else None."""
    try:
        return decode_header(content)[0]
    except Jt808Error as error:
        return error.header
