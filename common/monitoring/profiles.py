"""Monitoring profiles per contract type: the vehicle class (for plausibility), the reporting SLA
(for signal loss) and the corridor hysteresis. A contract's plan names one."""

from __future__ import annotations

from enum import StrEnum

import msgspec

from common.monitoring.hysteresis import Hysteresis
from common.monitoring.signal import Sla


class ProfileName(StrEnum):
    PASSENGER = "passenger"  # 乘用车
    LIGHT_TRUCK = "light_truck"  # 轻卡
    HEAVY_TRUCK = "heavy_truck"  # 重卡 (JT/T 808 mandatory)
    COLD_CHAIN = "cold_chain"  # 冷链车: a fixed weekday route


class Profile(msgspec.Struct, frozen=True, kw_only=True):
    name: ProfileName
    label: str
    vehicle_class: str
    sla: Sla
    corridor: Hysteresis
    region: Hysteresis


PROFILES: dict[ProfileName, Profile] = {
    p.name: p
    for p in (
        Profile(name=ProfileName.PASSENGER, label="乘用车", vehicle_class="passenger",
                sla=Sla(moving_s=60, parked_s=1800), corridor=Hysteresis(open_fixes=5,
                open_minutes=10, close_fixes=3), region=Hysteresis(open_fixes=3, open_minutes=15,
                close_fixes=2)),
        Profile(name=ProfileName.LIGHT_TRUCK, label="轻卡", vehicle_class="light_truck",
                sla=Sla(moving_s=30, parked_s=600), corridor=Hysteresis(open_fixes=4,
                open_minutes=8, close_fixes=2), region=Hysteresis(open_fixes=3, open_minutes=10,
                close_fixes=2)),
        Profile(name=ProfileName.HEAVY_TRUCK, label="重卡", vehicle_class="heavy_truck",
                sla=Sla(moving_s=30, parked_s=300), corridor=Hysteresis(open_fixes=3,
                open_minutes=5, close_fixes=2), region=Hysteresis(open_fixes=3, open_minutes=10,
                close_fixes=2)),
        Profile(name=ProfileName.COLD_CHAIN, label="冷链车", vehicle_class="cold_chain",
                sla=Sla(moving_s=30, parked_s=300), corridor=Hysteresis(open_fixes=3,
                open_minutes=5, close_fixes=2), region=Hysteresis(open_fixes=3, open_minutes=10,
                close_fixes=2)),
    )
}  # fmt: skip
