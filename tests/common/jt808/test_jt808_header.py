"""Headers: 2013 and 2019 layouts, the body properties, sub-package items."""

from __future__ import annotations

import pytest
from jt808_frames import hexframe

from common.jt808 import (
    ErrorCode,
    Header,
    Jt808Error,
    ProtocolVersion,
    SubPackage,
    decode_header,
    encode_header,
)


def test_a_2013_header_is_12_bytes_with_a_6_byte_bcd_phone() -> None:
    raw = hexframe(
        "0200",  # message id
        "0003",  # properties: length 3, 2013
        "013912345678",  # BCD[6] phone
        "00ff",  # serial 255
        "aabbcc",  # body
    )
    header, body = decode_header(raw)
    assert header == Header(0x0200, "013912345678", 255)
    assert header.version is ProtocolVersion.V2013
    assert header.length == 12
    assert body == bytes.fromhex("aabbcc")
    assert encode_header(header, 3) + body == raw


def test_a_2019_header_sets_bit_14_and_carries_a_version_byte_and_a_10_byte_phone() -> None:
    raw = hexframe(
        "0002",  # heartbeat
        "4000",  # properties: bit 14 (2019), length 0
        "01",  # protocol version 1
        "00000000013912345678",  # BCD[10] phone
        "0010",  # serial 16
    )
    header, body = decode_header(raw)
    assert header == Header(0x0002, "13912345678", 16, ProtocolVersion.V2019, 1)
    assert header.phone == "00000000013912345678"
    assert header.length == 17
    assert body == b""
    assert encode_header(header, 0) == raw


def test_sub_package_items_follow_the_serial_when_bit_13_is_set() -> None:
    raw = hexframe(
        "0704",  # batch
        "6002",  # properties: bit 14 (2019), bit 13 (sub-package), length 2
        "01",  # version
        "00000000013912345678",  # phone
        "0021",  # serial
        "0003",  # total 3 packages
        "0002",  # this is package 2
        "abcd",  # body
    )
    header, body = decode_header(raw)
    assert header.subpackage == SubPackage(total=3, index=2)
    assert header.length == 21
    assert encode_header(header, 2) + body == raw


def test_encryption_bits_10_to_12_are_read() -> None:
    header, _ = decode_header(bytes.fromhex("0002 0400 013912345678 0001"))
    assert header.encryption == 0b001  # RSA


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("0002 0000 0139123456", ErrorCode.TRUNCATED),  # the phone cut short
        ("0002 2000 013912345678 0001 0003", ErrorCode.TRUNCATED),  # no package index
        ("0002 0000 01391234567a 0001", ErrorCode.BAD_FIELD),  # a BCD nibble of 10
        ("0002 2000 013912345678 0001 0002 0003", ErrorCode.BAD_FIELD),  # package 3 of 2
        ("0002 2000 013912345678 0001 0002 0000", ErrorCode.BAD_FIELD),  # package 0
    ],
)
def test_an_unreadable_header_has_no_header_to_answer(raw: str, code: ErrorCode) -> None:
    with pytest.raises(Jt808Error) as caught:
        decode_header(bytes.fromhex(raw))
    assert caught.value.code is code
    assert caught.value.header is None


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("0200 0005 013912345678 0001 aabb", ErrorCode.TRUNCATED),  # 5 declared, 2 sent
        ("0002 0000 013912345678 0001 aa", ErrorCode.BAD_LENGTH),  # 0 declared, 1 sent
    ],
)
def test_a_body_that_disagrees_with_its_declared_length_keeps_the_header(
    raw: str, code: ErrorCode
) -> None:
    with pytest.raises(Jt808Error) as caught:
        decode_header(bytes.fromhex(raw))
    assert caught.value.code is code
    assert caught.value.header == Header(int(raw[:4], 16), "013912345678", 1)


def test_header_values_that_do_not_fit_are_refused() -> None:
    with pytest.raises(ValueError, match="phone"):
        Header(2, "1234567890123", 1)  # 13 digits in a 2013 header
    with pytest.raises(ValueError, match="phone"):
        Header(2, "1391234567x", 1)
    with pytest.raises(ValueError, match="serial"):
        Header(2, "1", 0x10000)
    with pytest.raises(ValueError, match="sub-packages"):
        encode_header(Header(2, "1", 1), 1024)
    with pytest.raises(ValueError):
        SubPackage(2, 3)
