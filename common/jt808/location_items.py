"""Additional items of a location report (位置附加信息项): BYTE id | BYTE length | value.

Known items with their standard length decode to typed values; any other item (or a known id
with a length the standard does not give it) is kept as `RawItem`, so nothing is lost and the
report encodes back to the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from common.jt808._wire import BodyReader, check_range


@dataclass(frozen=True, slots=True)
class Mileage:
    """0x01 里程, DWORD, 1/10 km (the odometer)."""

    ITEM_ID: ClassVar[int] = 0x01
    SIZE: ClassVar[int] = 4
    tenths_km: int

    @property
    def value(self) -> int:
        return self.tenths_km


@dataclass(frozen=True, slots=True)
class FuelLevel:
    """0x02 油量, WORD, 1/10 L."""

    ITEM_ID: ClassVar[int] = 0x02
    SIZE: ClassVar[int] = 2
    tenths_litre: int

    @property
    def value(self) -> int:
        return self.tenths_litre


@dataclass(frozen=True, slots=True)
class RecorderSpeed:
    """0x03 行驶记录功能获取的速度, WORD, 1/10 km/h."""

    ITEM_ID: ClassVar[int] = 0x03
    SIZE: ClassVar[int] = 2
    tenths_kmh: int

    @property
    def value(self) -> int:
        return self.tenths_kmh


@dataclass(frozen=True, slots=True)
class ExtendedSignals:
    """0x25 扩展车辆信号状态位, DWORD (bit 0 low beam, 1 high beam, 2/3 turn signals, 4 brake,
    5 reverse, 6 fog lamp, 7 clearance lamp, 8 horn, 9 air conditioner, 10 neutral, 11 retarder,
    12 ABS, 13 heater, 14 clutch)."""

    ITEM_ID: ClassVar[int] = 0x25
    SIZE: ClassVar[int] = 4
    bits: int

    @property
    def value(self) -> int:
        return self.bits


@dataclass(frozen=True, slots=True)
class IoStatus:
    """0x2A IO 状态位, WORD (bit 0 deep sleep, bit 1 sleep)."""

    ITEM_ID: ClassVar[int] = 0x2A
    SIZE: ClassVar[int] = 2
    bits: int

    @property
    def value(self) -> int:
        return self.bits


@dataclass(frozen=True, slots=True)
class SignalStrength:
    """0x30 无线通信网络信号强度, BYTE."""

    ITEM_ID: ClassVar[int] = 0x30
    SIZE: ClassVar[int] = 1
    value: int


@dataclass(frozen=True, slots=True)
class SatelliteCount:
    """0x31 GNSS 定位卫星数, BYTE."""

    ITEM_ID: ClassVar[int] = 0x31
    SIZE: ClassVar[int] = 1
    count: int

    @property
    def value(self) -> int:
        return self.count


@dataclass(frozen=True, slots=True)
class RawItem:
    """Any other item, value bytes as sent (a known id only with a length it does not have)."""

    item_id: int
    data: bytes

    def __post_init__(self) -> None:
        known = _KNOWN.get(self.item_id)
        if known is not None and known[0] == len(self.data):
            raise ValueError(f"item {self.item_id:#04x} of {len(self.data)} bytes is typed")


KnownItem = (
    Mileage
    | FuelLevel
    | RecorderSpeed
    | ExtendedSignals
    | IoStatus
    | SignalStrength
    | SatelliteCount
)
AdditionalItem = KnownItem | RawItem

_KNOWN: dict[int, tuple[int, Callable[[int], KnownItem]]] = {
    kind.ITEM_ID: (kind.SIZE, kind)
    for kind in (
        Mileage,
        FuelLevel,
        RecorderSpeed,
        ExtendedSignals,
        IoStatus,
        SignalStrength,
        SatelliteCount,
    )
}

_T = TypeVar("_T")


def find_item(items: tuple[AdditionalItem, ...], kind: type[_T]) -> _T | None:
    for item in items:
        if isinstance(item, kind):
            return item
    return None


def decode_items(data: bytes) -> tuple[AdditionalItem, ...]:
    reader = BodyReader(data)
    items: list[AdditionalItem] = []
    while reader.remaining:
        item_id = reader.u8("item id")
        value = reader.take(reader.u8("item length"), f"item {item_id:#04x}")
        known = _KNOWN.get(item_id)
        if known is not None and known[0] == len(value):
            items.append(known[1](int.from_bytes(value, "big")))
        else:
            items.append(RawItem(item_id, value))
    return tuple(items)


def encode_items(items: tuple[AdditionalItem, ...]) -> bytes:
    out = bytearray()
    for item in items:
        if isinstance(item, RawItem):
            check_range("item id", item.item_id, 8)
            if len(item.data) > 0xFF:
                raise ValueError(f"item {item.item_id:#04x} is longer than 255 bytes")
            out += bytes([item.item_id, len(item.data)]) + item.data
        else:
            check_range(f"item {item.ITEM_ID:#04x}", item.value, 8 * item.SIZE)
            out += bytes([item.ITEM_ID, item.SIZE]) + item.value.to_bytes(item.SIZE, "big")
    return bytes(out)
