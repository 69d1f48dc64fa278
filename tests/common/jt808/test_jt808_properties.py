"""Properties: whatever is encoded comes back; whatever bytes arrive, the reader stays bounded."""

from __future__ import annotations

from functools import reduce
from operator import xor

from hypothesis import given, settings
from hypothesis import strategies as st
from jt808_strategies import messages, uint

from common.jt808 import (
    FrameReader,
    Jt808Error,
    Message,
    ProtocolVersion,
    Reassembler,
    decode_header,
    decode_message,
    encode_frames,
    escape,
    unescape,
    xor_check,
)

versions = st.sampled_from(ProtocolVersion)
phones = st.text("0123456789", min_size=1, max_size=12)


@given(st.binary(max_size=2000))
def test_unescape_undoes_escape_and_the_result_has_no_flag(data: bytes) -> None:
    escaped = escape(data)
    assert 0x7E not in escaped
    assert unescape(escaped) == data


@given(st.binary(max_size=2000))
def test_the_fast_check_code_equals_the_plain_xor(data: bytes) -> None:
    assert xor_check(data) == reduce(xor, data, 0)


@settings(max_examples=300)
@given(st.data(), versions, phones, uint(16))
def test_encode_escape_frame_then_read_and_decode_gives_the_message_back(
    data: st.DataObject, version: ProtocolVersion, phone: str, serial: int
) -> None:
    message: Message = data.draw(messages(version))
    frames = encode_frames(message, phone=phone, serial=serial, version=version, package_size=200)
    stream = b"".join(frames)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=5)))
    reader = FrameReader()
    contents: list[bytes | Jt808Error] = []
    for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        contents += reader.feed(stream[start:end])
    assembler = Reassembler(max_message_bytes=1 << 20)
    whole = None
    for content in contents:
        assert isinstance(content, bytes)
        whole = assembler.add(*decode_header(content), now=0.0)
    assert whole is not None
    header, body = whole
    assert (header.message_id, header.serial, header.version) == (
        message.MESSAGE_ID,
        serial,
        version,
    )
    assert header.phone.lstrip("0") == phone.lstrip("0")
    assert decode_message(header, body) == message
    assert len(assembler) == 0


@settings(max_examples=300)
@given(st.lists(st.binary(max_size=300), max_size=12), st.integers(2, 400))
def test_any_bytes_fed_in_any_chunks_yield_only_frames_or_typed_errors_within_the_bound(
    chunks: list[bytes], bound: int
) -> None:
    reader = FrameReader(max_frame=bound)
    for chunk in chunks:
        for item in reader.feed(chunk):
            assert isinstance(item, bytes | Jt808Error)
            if isinstance(item, bytes):
                assert len(item) <= bound
        assert reader.buffered <= bound


@given(st.lists(st.binary(max_size=60).map(lambda b: b.replace(b"\x7e", b"")), max_size=8))
def test_flag_free_garbage_before_between_and_after_frames_loses_no_frame(
    garbage: list[bytes],
) -> None:
    from jt808_frames import HEARTBEAT_2013, LOCATION_2013

    good = [HEARTBEAT_2013, LOCATION_2013] * 2
    stream = b"".join(g + f for g, f in zip(garbage, good, strict=False)) + b"".join(
        good[len(garbage) :]
    )
    stream += b"".join(garbage[len(good) :])
    got = FrameReader().feed(stream)
    contents = [f[1:-2] for f in good]
    # garbage between two flags comes out as an error or as junk content; the frames all arrive
    assert [item for item in got if isinstance(item, bytes) and item in contents] == contents
