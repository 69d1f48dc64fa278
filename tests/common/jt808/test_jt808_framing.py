"""Framing: escaping, the check code, and the streaming reader's resynchronisation and bound."""

from __future__ import annotations

import pytest
from jt808_frames import HEARTBEAT_2013, LOCATION_2013, hexframe, inner

from common.jt808 import (
    ErrorCode,
    FrameReader,
    Heartbeat,
    Jt808Error,
    build_frame,
    decode_header,
    encode_frame,
    escape,
    open_frame,
    unescape,
    xor_check,
)


def test_flag_and_escape_bytes_are_escaped_as_the_standard_says() -> None:
    assert escape(bytes.fromhex("30 7e 08 7d 55")) == bytes.fromhex("30 7d02 08 7d01 55")
    assert unescape(bytes.fromhex("30 7d02 08 7d01 55")) == bytes.fromhex("30 7e 08 7d 55")
    assert escape(bytes.fromhex("7d02")) == bytes.fromhex("7d01 02")  # not mistaken for a flag


@pytest.mark.parametrize("escaped", ["30 7d 03", "30 7d 00", "30 7d", "7d 7e"])
def test_7d_before_anything_but_01_or_02_is_a_bad_escape(escaped: str) -> None:
    with pytest.raises(Jt808Error) as caught:
        unescape(bytes.fromhex(escaped))
    assert caught.value.code is ErrorCode.BAD_ESCAPE


def test_the_check_code_is_the_xor_of_header_and_body() -> None:
    assert xor_check(b"") == 0
    assert xor_check(bytes.fromhex("01 02 04 08")) == 0x0F
    assert xor_check(bytes.fromhex("ff ff")) == 0
    assert xor_check(inner(HEARTBEAT_2013)[:-1]) == 0x33


def test_a_check_code_of_7e_is_escaped_too() -> None:
    # message id 0x0002, properties 0, phone 000000000000, serial 0x007c: XOR = 0x7e
    content = bytes.fromhex("0002 0000 000000000000 007c")
    assert xor_check(content) == 0x7E
    frame = build_frame(content)
    assert frame == hexframe("7e", "0002 0000 000000000000 007c", "7d02", "7e")
    assert open_frame(inner(frame)) == content


def test_the_reader_returns_frames_split_across_any_chunks() -> None:
    stream = HEARTBEAT_2013 + LOCATION_2013
    reader = FrameReader()
    got: list[bytes | Jt808Error] = []
    for at in range(len(stream)):
        got += reader.feed(stream[at : at + 1])
    assert got == [open_frame(inner(HEARTBEAT_2013)), open_frame(inner(LOCATION_2013))]
    assert reader.buffered == 0


def test_garbage_before_and_between_frames_costs_no_frame() -> None:
    reader = FrameReader()
    got = reader.feed(b"\x00junk" + HEARTBEAT_2013 + b"noise" + LOCATION_2013)
    frames = [item for item in got if isinstance(item, bytes)]
    errors = [item for item in got if isinstance(item, Jt808Error)]
    assert frames == [open_frame(inner(HEARTBEAT_2013)), open_frame(inner(LOCATION_2013))]
    assert reader.discarded == 5  # the bytes before the first flag
    assert len(errors) == 1  # "noise" sat between two flags: reported, not raised
    assert errors[0].code is ErrorCode.BAD_CHECK
    assert errors[0].header is None


def test_a_frame_cut_by_a_lost_flag_resynchronises_on_the_next_flag() -> None:
    cut = HEARTBEAT_2013[:8]  # the terminal restarted mid-frame: no closing flag
    got = FrameReader().feed(cut + LOCATION_2013)
    assert isinstance(got[0], Jt808Error)
    assert got[1:] == [open_frame(inner(LOCATION_2013))]


def test_an_oversized_frame_is_reported_once_skipped_and_the_buffer_stays_bounded() -> None:
    reader = FrameReader(max_frame=64)
    got = reader.feed(b"\x7e" + b"\x01" * 50)
    assert got == []
    got = reader.feed(b"\x01" * 500)
    assert [e.code for e in got if isinstance(e, Jt808Error)] == [ErrorCode.OVERSIZED]
    assert reader.buffered == 0
    assert reader.feed(b"\x01" * 500) == []  # still skipping: no second report
    got = reader.feed(HEARTBEAT_2013)
    assert got == [open_frame(inner(HEARTBEAT_2013))]


def test_the_default_bound_admits_the_largest_legal_frame_fully_escaped() -> None:
    content = bytes.fromhex("0200 43ff 01 00000000013912345678 0001 0002 0001") + b"\x7e" * 1023
    frame = build_frame(content)
    assert FrameReader().feed(frame) == [content]


def test_an_empty_pair_of_flags_is_nothing() -> None:
    assert FrameReader().feed(b"\x7e\x7e\x7e\x7e") == []


def test_a_frame_of_one_byte_is_truncated() -> None:
    got = FrameReader().feed(bytes.fromhex("7e 01 7e"))
    assert len(got) == 1
    assert isinstance(got[0], Jt808Error)
    assert got[0].code is ErrorCode.TRUNCATED


def test_encode_frame_builds_what_a_terminal_sends() -> None:
    assert encode_frame(Heartbeat(), phone="13912345678", serial=1) == HEARTBEAT_2013
    header, body = decode_header(open_frame(inner(HEARTBEAT_2013)))
    assert (header.phone, header.serial, body) == ("013912345678", 1, b"")
