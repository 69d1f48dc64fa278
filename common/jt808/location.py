"""Location report 0x0200 and batch location upload 0x0704.

0x0200 body: DWORD alarm | DWORD status | DWORD latitude | DWORD longitude | WORD altitude |
WORD speed | WORD direction | BCD[6] time, then additional items (BYTE id, BYTE length, value).
Latitude and longitude are unsigned 1e-6 degrees; the hemisphere is in status bits 2 and 3.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import IntEnum, IntFlag
from typing import ClassVar, Self

from common.jt808._wire import BodyReader, check_range
from common.jt808.bcd import decode_time, encode_time
from common.jt808.errors import ErrorCode, Jt808Error
from common.jt808.header import ProtocolVersion
from common.jt808.location_items import (
    AdditionalItem,
    FuelLevel,
    Mileage,
    SatelliteCount,
    SignalStrength,
    decode_items,
    encode_items,
    find_item,
)

_MICRO = Decimal("0.000001")
_TENTH = Decimal("0.1")


class Alarm(IntFlag):
    """报警标志 (DWORD). Bits 15-17 are reserved in 2013 and defined by 2019; bit 31 is the
    reverse (2013 illegal door opening, reserved in 2019)."""

    EMERGENCY = 1 << 0  # 紧急报警
    OVERSPEED = 1 << 1  # 超速报警
    FATIGUE_DRIVING = 1 << 2  # 疲劳驾驶
    DANGER_WARNING = 1 << 3  # 危险预警
    GNSS_MODULE_FAULT = 1 << 4  # GNSS 模块故障
    GNSS_ANTENNA_DISCONNECTED = 1 << 5  # GNSS 天线未接或被剪断
    GNSS_ANTENNA_SHORT_CIRCUIT = 1 << 6  # GNSS 天线短路
    MAIN_POWER_UNDERVOLTAGE = 1 << 7  # 终端主电源欠压
    MAIN_POWER_CUT = 1 << 8  # 终端主电源掉电
    LCD_FAULT = 1 << 9  # LCD 或显示器故障
    TTS_FAULT = 1 << 10  # TTS 模块故障
    CAMERA_FAULT = 1 << 11  # 摄像头故障
    IC_CARD_FAULT = 1 << 12  # 道路运输证 IC 卡模块故障
    OVERSPEED_WARNING = 1 << 13  # 超速预警
    FATIGUE_WARNING = 1 << 14  # 疲劳驾驶预警
    ILLEGAL_DRIVING = 1 << 15  # 违规行驶 (2019)
    TYRE_PRESSURE_WARNING = 1 << 16  # 胎压预警 (2019)
    RIGHT_BLIND_SPOT = 1 << 17  # 右转盲区异常 (2019)
    DAILY_DRIVING_OVERTIME = 1 << 18  # 当天累计驾驶超时
    OVERTIME_PARKING = 1 << 19  # 超时停车
    AREA_IN_OUT = 1 << 20  # 进出区域
    ROUTE_IN_OUT = 1 << 21  # 进出路线
    ROUTE_TIME = 1 << 22  # 路段行驶时间不足/过长
    ROUTE_DEVIATION = 1 << 23  # 路线偏离
    VSS_FAULT = 1 << 24  # 车辆 VSS 故障
    FUEL_ABNORMAL = 1 << 25  # 车辆油量异常
    STOLEN = 1 << 26  # 车辆被盗 (通过车辆防盗器)
    ILLEGAL_IGNITION = 1 << 27  # 车辆非法点火
    ILLEGAL_DISPLACEMENT = 1 << 28  # 车辆非法位移
    COLLISION = 1 << 29  # 碰撞预警 (2013) / 碰撞侧翻 (2019)
    ROLLOVER = 1 << 30  # 侧翻预警
    ILLEGAL_DOOR_OPEN = 1 << 31  # 非法开门 (2013)


#: No alarm bit set.
NO_ALARM = Alarm(0)

#: The alarms that mean someone is working on the terminal or its power (tamper, 拆机).
TAMPER_ALARMS = (
    Alarm.GNSS_ANTENNA_DISCONNECTED
    | Alarm.GNSS_ANTENNA_SHORT_CIRCUIT
    | Alarm.MAIN_POWER_CUT
    | Alarm.MAIN_POWER_UNDERVOLTAGE
)


class Status(IntFlag):
    """状态 (DWORD). Bits 8-9 are the load status (see `LoadStatus`)."""

    ACC_ON = 1 << 0
    POSITIONED = 1 << 1  # 定位
    SOUTH = 1 << 2  # 南纬 (else north)
    WEST = 1 << 3  # 西经 (else east)
    OUT_OF_SERVICE = 1 << 4  # 停运 (else 运营 operating)
    COORDINATES_ENCRYPTED = 1 << 5  # 经纬度已经保密插件加密
    FORWARD_COLLISION_WARNING = 1 << 6  # 紧急刹车系统前撞预警 (2019)
    LANE_DEPARTURE_WARNING = 1 << 7  # 车道偏移预警 (2019)
    LOAD_LOW = 1 << 8
    LOAD_HIGH = 1 << 9
    OIL_CIRCUIT_CUT = 1 << 10  # 车辆油路断开
    ELECTRIC_CIRCUIT_CUT = 1 << 11  # 车辆电路断开
    DOORS_LOCKED = 1 << 12  # 车门加锁
    DOOR_1_OPEN = 1 << 13  # 前门
    DOOR_2_OPEN = 1 << 14  # 中门
    DOOR_3_OPEN = 1 << 15  # 后门
    DOOR_4_OPEN = 1 << 16  # 驾驶席门
    DOOR_5_OPEN = 1 << 17  # 自定义
    GPS = 1 << 18  # 使用 GPS 定位
    BEIDOU = 1 << 19  # 使用北斗定位
    GLONASS = 1 << 20
    GALILEO = 1 << 21
    MOVING = 1 << 22  # 车辆处于行驶状态 (2019)


class LoadStatus(IntEnum):
    """Status bits 8-9: 空车 / 半载 / 保留 / 满载."""

    EMPTY = 0
    HALF = 1
    RESERVED = 2
    FULL = 3


@dataclass(frozen=True, slots=True)
class LocationReport:
    """位置信息汇报 0x0200, fields as on the wire; the properties read them in units.

    `time` is the fix time in UTC (the wire's UTC+8 converted), None when the terminal sent all
    zeros (no fix yet; the alarms still count). `altitude_m` is read as a signed WORD: terminals
    below sea level (吐鲁番 -154 m) send it in two's complement.
    """

    MESSAGE_ID: ClassVar[int] = 0x0200
    alarm: Alarm
    status: Status
    latitude_e6: int  # unsigned; SOUTH in `status` makes it negative
    longitude_e6: int  # unsigned; WEST in `status` makes it negative
    altitude_m: int
    speed_tenths_kmh: int
    direction: int  # degrees clockwise from north, 0-359
    time: datetime | None
    items: tuple[AdditionalItem, ...] = ()

    @classmethod
    def at(
        cls,
        latitude: Decimal,
        longitude: Decimal,
        *,
        time: datetime | None,
        alarm: Alarm = NO_ALARM,
        status: Status = Status.POSITIONED,
        altitude_m: int = 0,
        speed_kmh: Decimal = Decimal(0),
        direction: int = 0,
        items: tuple[AdditionalItem, ...] = (),
    ) -> Self:
        """A report from signed degrees and km/h (the hemisphere bits are set from the signs);
        finer values than the wire's 1e-6 degree and 0.1 km/h are rounded half up."""
        status &= ~(Status.SOUTH | Status.WEST)
        if latitude < 0:
            status |= Status.SOUTH
        if longitude < 0:
            status |= Status.WEST
        return cls(
            alarm=alarm,
            status=status,
            latitude_e6=_units(abs(latitude), _MICRO),
            longitude_e6=_units(abs(longitude), _MICRO),
            altitude_m=altitude_m,
            speed_tenths_kmh=_units(speed_kmh, _TENTH),
            direction=direction,
            time=time,
            items=items,
        )

    @property
    def latitude(self) -> Decimal:
        """Signed degrees (WGS-84), south negative."""
        value = self.latitude_e6 * _MICRO
        return -value if self.status & Status.SOUTH else value

    @property
    def longitude(self) -> Decimal:
        """Signed degrees (WGS-84), west negative."""
        value = self.longitude_e6 * _MICRO
        return -value if self.status & Status.WEST else value

    @property
    def speed_kmh(self) -> Decimal:
        return self.speed_tenths_kmh * _TENTH

    @property
    def positioned(self) -> bool:
        return bool(self.status & Status.POSITIONED)

    @property
    def load_status(self) -> LoadStatus:
        return LoadStatus(self.status >> 8 & 0b11)

    @property
    def mileage_km(self) -> Decimal | None:
        item = find_item(self.items, Mileage)
        return None if item is None else item.tenths_km * _TENTH

    @property
    def fuel_litres(self) -> Decimal | None:
        item = find_item(self.items, FuelLevel)
        return None if item is None else item.tenths_litre * _TENTH

    @property
    def satellites(self) -> int | None:
        item = find_item(self.items, SatelliteCount)
        return None if item is None else item.count

    @property
    def signal_strength(self) -> int | None:
        item = find_item(self.items, SignalStrength)
        return None if item is None else item.value

    def encode(self, version: ProtocolVersion = ProtocolVersion.V2013) -> bytes:
        check_range("alarm", self.alarm, 32)
        check_range("status", self.status, 32)
        check_range("latitude", self.latitude_e6, 32)
        check_range("longitude", self.longitude_e6, 32)
        check_range("speed", self.speed_tenths_kmh, 16)
        check_range("direction", self.direction, 16)
        if not -0x8000 <= self.altitude_m <= 0x7FFF:
            raise ValueError(f"altitude {self.altitude_m} does not fit a WORD")
        return b"".join(
            [
                int(self.alarm).to_bytes(4, "big"),
                int(self.status).to_bytes(4, "big"),
                self.latitude_e6.to_bytes(4, "big"),
                self.longitude_e6.to_bytes(4, "big"),
                self.altitude_m.to_bytes(2, "big", signed=True),
                self.speed_tenths_kmh.to_bytes(2, "big"),
                self.direction.to_bytes(2, "big"),
                encode_time(self.time),
                encode_items(self.items),
            ]
        )

    @classmethod
    def decode(cls, body: bytes, version: ProtocolVersion = ProtocolVersion.V2013) -> Self:
        reader = BodyReader(body)
        return cls(
            alarm=Alarm(reader.u32("alarm")),
            status=Status(reader.u32("status")),
            latitude_e6=reader.u32("latitude"),
            longitude_e6=reader.u32("longitude"),
            altitude_m=int.from_bytes(reader.take(2, "altitude"), "big", signed=True),
            speed_tenths_kmh=reader.u16("speed"),
            direction=reader.u16("direction"),
            time=decode_time(reader.take(6, "time")),
            items=decode_items(reader.rest()),
        )


def _units(value: Decimal, unit: Decimal) -> int:
    return int((value / unit).to_integral_value(rounding=ROUND_HALF_UP))


class BatchKind(IntEnum):
    """0x0704 位置数据类型."""

    NORMAL = 0  # 正常位置批量汇报
    BLIND_AREA = 1  # 盲区补报 (stored while out of coverage)


@dataclass(frozen=True, slots=True)
class LocationBatch:
    """定位数据批量上传 0x0704: WORD count | BYTE kind | count x (WORD length, 0x0200 body)."""

    MESSAGE_ID: ClassVar[int] = 0x0704
    kind: BatchKind
    reports: tuple[LocationReport, ...]

    def encode(self, version: ProtocolVersion = ProtocolVersion.V2013) -> bytes:
        check_range("report count", len(self.reports), 16)
        out = bytearray(len(self.reports).to_bytes(2, "big"))
        out.append(self.kind)
        for report in self.reports:
            body = report.encode(version)
            out += len(body).to_bytes(2, "big") + body
        return bytes(out)

    @classmethod
    def decode(cls, body: bytes, version: ProtocolVersion = ProtocolVersion.V2013) -> Self:
        reader = BodyReader(body)
        count = reader.u16("report count")
        raw_kind = reader.u8("batch kind")
        try:
            kind = BatchKind(raw_kind)
        except ValueError as exc:
            raise Jt808Error(ErrorCode.BAD_FIELD, f"batch kind {raw_kind}") from exc
        reports = tuple(
            LocationReport.decode(reader.take(reader.u16("report length"), "report"), version)
            for _ in range(count)
        )
        reader.finish("batch")
        return cls(kind, reports)
