"""A position fix 定位点, whichever road it came by (JT/T 808, MQTT, HTTP), in WGS-84."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import msgspec


class Road(StrEnum):
    JT808 = "jt808"
    MQTT = "mqtt"
    HTTP = "http"


class Tamper(StrEnum):
    """What a terminal's alarm flags say was done to it (JT/T 808 alarm bits 8, 5, 6)."""

    POWER_CUT = "power_cut"  # 主电源掉电
    ANTENNA_CUT = "antenna_cut"  # GNSS 天线未接或被剪断
    ANTENNA_SHORT = "antenna_short"  # GNSS 天线短路


class Fix(msgspec.Struct, frozen=True, kw_only=True):
    """One report. `at` is the fix time (aware); degrees WGS-84 (JT/T 808 reports WGS-84;
    GCJ-02 only for display); `accuracy_m` where the road gives one (HTTP, MQTT), else None."""

    at: datetime
    lat: float
    lon: float
    speed_kmh: float = 0.0
    heading: int = 0  # 0-359, 0 = north
    altitude_m: int = 0
    accuracy_m: float | None = None
    satellites: int | None = None
    ignition: bool | None = None  # ACC
    positioned: bool = True  # the terminal's own "GNSS fix valid" (JT/T 808 status bit 1)
    tamper: tuple[Tamper, ...] = ()
    mileage_km: float | None = None
