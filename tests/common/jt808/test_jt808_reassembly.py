"""Sub-packaged messages: reassembled in any order, bounded, expired by the caller's clock."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from common.jt808 import (
    BatchKind,
    ErrorCode,
    FrameReader,
    Header,
    Jt808Error,
    LocationBatch,
    LocationReport,
    Mileage,
    ProtocolVersion,
    Reassembler,
    SubPackage,
    decode_header,
    decode_message,
    encode_frames,
)

BATCH = LocationBatch(
    BatchKind.BLIND_AREA,
    tuple(
        LocationReport.at(
            Decimal("31.2304") + Decimal(i) / 1000,
            Decimal("121.4737"),
            time=datetime(2024, 12, 2, 1, i, tzinfo=UTC),
            speed_kmh=Decimal("42.5"),
            items=(Mileage(100_000 + i),),
        )
        for i in range(40)
    ),
)


def _packages(version: ProtocolVersion) -> list[tuple[Header, bytes]]:
    frames = encode_frames(
        BATCH, phone="13912345678", serial=0xFFFE, version=version, package_size=300
    )
    out = []
    for frame in frames:
        (content,) = FrameReader().feed(frame)
        assert isinstance(content, bytes)
        out.append(decode_header(content))
    return out


@pytest.mark.parametrize("version", list(ProtocolVersion))
def test_a_batch_split_into_packages_comes_back_whole_out_of_order(
    version: ProtocolVersion,
) -> None:
    packages = _packages(version)
    assert len(packages) == 5  # 40 x (2 + 34) + 3 = 1443 bytes in packages of 300
    assert [h.subpackage for h, _ in packages] == [SubPackage(5, i) for i in range(1, 6)]
    assert [h.serial for h, _ in packages] == [0xFFFE, 0xFFFF, 0, 1, 2]  # serials wrap
    assembler = Reassembler()
    order = [3, 0, 4, 2, 1]
    results = [assembler.add(*packages[i], now=float(n)) for n, i in enumerate(order)]
    assert results[:-1] == [None] * 4
    whole = results[-1]
    assert whole is not None
    header, body = whole
    assert header.subpackage is None
    assert header.serial == 0xFFFE
    assert decode_message(header, body) == BATCH


def test_a_repeated_package_replaces_its_copy() -> None:
    packages = _packages(ProtocolVersion.V2013)
    assembler = Reassembler()
    assembler.add(*packages[0], now=0)
    assembler.add(*packages[0], now=1)
    for package in packages[1:-1]:
        assert assembler.add(*package, now=2) is None
    whole = assembler.add(*packages[-1], now=3)
    assert whole is not None
    assert decode_message(*whole) == BATCH


def test_an_unfinished_message_expires_and_says_what_it_missed() -> None:
    packages = _packages(ProtocolVersion.V2013)
    assembler = Reassembler(max_age=30)
    assembler.add(*packages[0], now=100)
    assembler.add(*packages[2], now=110)
    assert assembler.expire(now=129.9) == []
    (dropped,) = assembler.expire(now=130)
    assert dropped.missing == (2, 4, 5)
    assert dropped.header.serial == 0xFFFE
    assert len(assembler) == 0
    assert assembler.add(*packages[1], now=131) is None  # starts afresh


def test_at_most_max_pending_messages_wait_the_oldest_goes_first() -> None:
    assembler = Reassembler(max_pending=2)
    for serial in (10, 20, 30):
        header = Header(0x0704, "1", serial, subpackage=SubPackage(2, 1))
        assert assembler.add(header, b"x", now=0) is None
    assert len(assembler) == 2
    second = Header(0x0704, "1", 11, subpackage=SubPackage(2, 2))
    assert assembler.add(second, b"y", now=0) is None  # serial 10's message was evicted
    third = Header(0x0704, "1", 31, subpackage=SubPackage(2, 2))
    assert assembler.add(third, b"y", now=0) == (Header(0x0704, "1", 30), b"xy")


def test_a_message_growing_past_the_bound_is_oversized_and_dropped() -> None:
    assembler = Reassembler(max_message_bytes=1400)  # the batch is 1443 bytes
    packages = _packages(ProtocolVersion.V2013)
    for package in packages[:4]:
        assembler.add(*package, now=0)
    with pytest.raises(Jt808Error) as caught:
        assembler.add(*packages[4], now=0)
    assert caught.value.code is ErrorCode.OVERSIZED
    assert caught.value.header == packages[4][0]
    assert len(assembler) == 0


def test_a_frame_without_sub_package_items_passes_straight_through() -> None:
    header = Header(0x0002, "1", 5)
    assert Reassembler().add(header, b"", now=0) == (header, b"")
