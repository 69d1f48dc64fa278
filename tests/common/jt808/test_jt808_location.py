"""Location report 0x0200 and batch 0x0704: flags, hemispheres, units, BCD time, items."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from jt808_frames import LOCATION_2013, SOUTH_WEST_2013, hexframe, inner

from common.jt808 import (
    TAMPER_ALARMS,
    Alarm,
    BatchKind,
    ErrorCode,
    FuelLevel,
    IoStatus,
    Jt808Error,
    LoadStatus,
    LocationBatch,
    LocationReport,
    Mileage,
    ProtocolVersion,
    RawItem,
    SatelliteCount,
    SignalStrength,
    Status,
    decode_content,
    encode_frame,
    open_frame,
)
from common.jt808.bcd import decode_time, encode_time


def _report(frame: bytes) -> LocationReport:
    _, message = decode_content(open_frame(inner(frame)))
    assert isinstance(message, LocationReport)
    return message


def test_a_location_report_reads_flags_position_units_time_and_items() -> None:
    report = _report(LOCATION_2013)
    assert report.alarm == Alarm.EMERGENCY | Alarm.MAIN_POWER_CUT
    assert report.alarm & TAMPER_ALARMS == Alarm.MAIN_POWER_CUT
    assert report.status == Status.ACC_ON | Status.POSITIONED
    assert report.positioned
    assert (report.latitude, report.longitude) == (Decimal("39.908692"), Decimal("116.397477"))
    assert report.altitude_m == 44
    assert report.speed_kmh == Decimal("60.0")
    assert report.direction == 90
    assert report.time == datetime(2024, 12, 2, 0, 30, tzinfo=UTC)
    assert report.items == (Mileage(4000), SignalStrength(31), SatelliteCount(12))
    assert report.mileage_km == Decimal("400.0")
    assert (report.signal_strength, report.satellites, report.fuel_litres) == (31, 12, None)


def test_south_and_west_bits_make_the_coordinates_negative() -> None:
    report = _report(SOUTH_WEST_2013)
    assert report.latitude == Decimal("-34.603722")
    assert report.longitude == Decimal("-58.381592")
    assert report.direction == 270
    assert report.items == ()
    again = LocationReport.at(
        Decimal("-34.603722"), Decimal("-58.381592"), time=report.time, altitude_m=25, direction=270
    )
    assert again == report
    assert encode_frame(again, phone="13912345678", serial=8) == SOUTH_WEST_2013


@pytest.mark.parametrize(
    ("bcd", "utc"),
    [
        ("241202083000", datetime(2024, 12, 2, 0, 30, tzinfo=UTC)),
        ("241202000000", datetime(2024, 12, 1, 16, 0, tzinfo=UTC)),  # the day before in UTC
        ("250101075959", datetime(2024, 12, 31, 23, 59, 59, tzinfo=UTC)),  # and the year before
        ("000101080000", datetime(2000, 1, 1, 0, 0, tzinfo=UTC)),
    ],
)
def test_bcd_time_is_utc_plus_8_and_comes_back_in_utc(bcd: str, utc: datetime) -> None:
    assert decode_time(bytes.fromhex(bcd)) == utc
    assert encode_time(utc) == bytes.fromhex(bcd)
    assert encode_time(utc.astimezone(timezone(timedelta(hours=-5)))) == bytes.fromhex(bcd)


def test_an_all_zero_time_means_no_fix_yet_and_the_alarms_still_arrive() -> None:
    body = bytes.fromhex("00000100 00000000 00000000 00000000 0000 0000 0000 000000000000")
    report = LocationReport.decode(body)
    assert report.time is None
    assert report.alarm == Alarm.MAIN_POWER_CUT
    assert report.encode() == body


@pytest.mark.parametrize("bcd", ["241302083000", "240230083000", "2412020a3000", "241202246000"])
def test_an_impossible_or_non_bcd_time_is_a_bad_field(bcd: str) -> None:
    with pytest.raises(Jt808Error) as caught:
        decode_time(bytes.fromhex(bcd))
    assert caught.value.code is ErrorCode.BAD_FIELD


def test_a_naive_time_cannot_be_encoded() -> None:
    with pytest.raises(ValueError, match="aware"):
        encode_time(datetime(2024, 12, 2, 8, 30))


def test_load_status_is_the_two_bit_field_8_9() -> None:
    full = LocationReport.at(
        Decimal(30), Decimal(120), time=None, status=Status.LOAD_LOW | Status.LOAD_HIGH
    )
    assert full.load_status is LoadStatus.FULL
    assert LocationReport.at(Decimal(30), Decimal(120), time=None).load_status is LoadStatus.EMPTY


def test_a_negative_altitude_below_sea_level_round_trips() -> None:
    turpan = LocationReport.at(Decimal("42.9"), Decimal("89.2"), time=None, altitude_m=-154)
    body = turpan.encode()
    assert body[16:18] == bytes.fromhex("ff66")  # -154 as a two's complement WORD
    assert LocationReport.decode(body).altitude_m == -154


def test_unknown_items_and_known_ids_of_the_wrong_length_are_kept_raw() -> None:
    base = LocationReport.at(Decimal(30), Decimal(120), time=None).encode()
    items = hexframe(
        "02 02 01f4",  # 0x02 fuel 500 = 50.0 L
        "2a 02 0003",  # 0x2A IO status: deep sleep + sleep
        "e1 03 aabbcc",  # 0xE1 a maker's item
        "01 02 0001",  # 0x01 mileage with 2 bytes instead of 4
    )
    report = LocationReport.decode(base + items)
    assert report.items == (
        FuelLevel(500),
        IoStatus(3),
        RawItem(0xE1, bytes.fromhex("aabbcc")),
        RawItem(0x01, bytes.fromhex("0001")),
    )
    assert report.fuel_litres == Decimal("50.0")
    assert report.mileage_km is None
    assert report.encode() == base + items


def test_a_raw_item_cannot_stand_in_for_a_typed_one() -> None:
    with pytest.raises(ValueError, match="typed"):
        RawItem(0x01, bytes(4))


@pytest.mark.parametrize(
    "tail",
    ["01", "01 04 0000"],  # an id without its length; a value shorter than its length
)
def test_an_item_cut_short_is_truncated(tail: str) -> None:
    base = LocationReport.at(Decimal(30), Decimal(120), time=None).encode()
    with pytest.raises(Jt808Error) as caught:
        LocationReport.decode(base + bytes.fromhex(tail))
    assert caught.value.code is ErrorCode.TRUNCATED


def test_a_body_shorter_than_the_fixed_part_is_truncated() -> None:
    with pytest.raises(Jt808Error) as caught:
        LocationReport.decode(bytes(27))
    assert caught.value.code is ErrorCode.TRUNCATED


BATCH_BODY = hexframe(
    "0002",  # 2 reports
    "01",  # type 1: blind-area supplement (盲区补报)
    "001c",  # report 1: 28 bytes
    "00000000 00000002 0260f554 06f015a5 002c 0000 0000 241202083000",
    "001f",  # report 2: 31 bytes
    "00000000 00000002 0260f554 06f015a5 002c 0064 00b4 241202083010",
    "30 01 14",  # its item 0x30: signal strength 20
)


def test_a_batch_holds_length_prefixed_location_bodies() -> None:
    batch = LocationBatch.decode(BATCH_BODY)
    assert batch.kind is BatchKind.BLIND_AREA
    first, second = batch.reports
    assert first.time == datetime(2024, 12, 2, 0, 30, tzinfo=UTC)
    assert second.time == datetime(2024, 12, 2, 0, 30, 10, tzinfo=UTC)
    assert (second.speed_kmh, second.direction, second.signal_strength) == (Decimal(10), 180, 20)
    assert batch.encode() == BATCH_BODY


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (BATCH_BODY[:-1], ErrorCode.TRUNCATED),  # the last report shorter than its length
        (b"\x00\x03" + BATCH_BODY[2:], ErrorCode.TRUNCATED),  # 3 announced, 2 present
        (b"\x00\x01" + BATCH_BODY[2:], ErrorCode.BAD_LENGTH),  # 1 announced, 2 present
        (BATCH_BODY[:2] + b"\x02" + BATCH_BODY[3:], ErrorCode.BAD_FIELD),  # type 2 is undefined
    ],
)
def test_a_batch_that_does_not_add_up_is_refused(body: bytes, code: ErrorCode) -> None:
    with pytest.raises(Jt808Error) as caught:
        LocationBatch.decode(body, ProtocolVersion.V2013)
    assert caught.value.code is code


def test_building_from_degrees_rounds_to_the_wire_units_half_up() -> None:
    report = LocationReport.at(
        Decimal("31.2304005"), Decimal("-121.4737004"), time=None, speed_kmh=Decimal("42.25")
    )
    assert (report.latitude_e6, report.longitude_e6) == (31230401, 121473700)
    assert report.status & Status.WEST
    assert report.speed_tenths_kmh == 423
