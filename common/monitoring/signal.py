"""Signal loss 信号丢失 told apart from traffic: when a terminal has been silent beyond its
reporting SLA, judge from the last believed fix — its speed and ignition, whether it lay in a
known congestion zone or tunnel (a table monitors edit), the terminal's power and antenna alarms,
and the time of day — whether it is likely traffic, a tunnel, a parked garage, or a vehicle
disappearing; and say why."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

import msgspec

from common.business_day import BUSINESS_TZ
from common.monitoring.fix import Fix, Tamper
from common.monitoring.plausibility import distance_m


class Sla(msgspec.Struct, frozen=True, kw_only=True):
    """How often a terminal reports: every `moving_s` while moving, `parked_s` parked; silence
    beyond `grace` times that is a loss."""

    moving_s: int = 30
    parked_s: int = 300
    grace: float = 3.0

    def silent_after_s(self, last: Fix) -> float:
        moving = last.speed_kmh >= 5 or bool(last.ignition)
        return (self.moving_s if moving else self.parked_s) * self.grace


class ZoneKind(StrEnum):
    CONGESTION = "congestion"  # 拥堵路段: e.g. 北京三环 at rush hour
    TUNNEL = "tunnel"
    GARAGE = "garage"  # 地下停车场


class Zone(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    kind: ZoneKind
    lat: float
    lon: float
    radius_m: float
    hours: tuple[tuple[int, int], ...] = ()  # Shanghai hours it applies [from, to); () = always


class Verdict(StrEnum):
    TRAFFIC = "likely_traffic"
    TUNNEL = "likely_tunnel"
    PARKED = "likely_parked"
    DISAPPEARANCE = "likely_disappearance"


class Judgement(msgspec.Struct, frozen=True, kw_only=True):
    verdict: Verdict
    reasons: tuple[str, ...]  # in Chinese, for the monitor

    @property
    def worrying(self) -> bool:
        return self.verdict is Verdict.DISAPPEARANCE


NIGHT = (0, 5)  # Shanghai hours when a moving vehicle going silent is most suspicious


def _applies(zone: Zone, hour: int) -> bool:
    return not zone.hours or any(a <= hour < b for a, b in zone.hours)


def judge(last: Fix, now: datetime, zones: Sequence[Zone]) -> Judgement:
    """Why the terminal whose last believed fix is `last` went silent (as far as can be told)."""
    local = last.at.astimezone(BUSINESS_TZ)
    minutes = (now - last.at).total_seconds() / 60
    if last.tamper:
        names = {Tamper.POWER_CUT: "主电源掉电", Tamper.ANTENNA_CUT: "GNSS天线被剪断",
                 Tamper.ANTENNA_SHORT: "GNSS天线短路"}  # fmt: skip
        cut = "、".join(names[t] for t in last.tamper)
        alarmed = (f"失联前终端报警：{cut}", f"已失联{minutes:.0f}分钟")
        return Judgement(verdict=Verdict.DISAPPEARANCE, reasons=alarmed)
    near = [z for z in zones if _applies(z, local.hour)
            and distance_m(z.lat, z.lon, last.lat, last.lon) <= z.radius_m]  # fmt: skip
    for kind, verdict, text in (
        (ZoneKind.TUNNEL, Verdict.TUNNEL, "最后位置在隧道 {name} 附近"),
        (ZoneKind.GARAGE, Verdict.PARKED, "最后位置在地下停车场 {name}"),
    ):
        zone = next((z for z in near if z.kind is kind), None)
        if zone is not None:
            return Judgement(verdict=verdict, reasons=(text.format(name=zone.name),
                                                        f"已失联{minutes:.0f}分钟"))  # fmt: skip
    congestion = next((z for z in near if z.kind is ZoneKind.CONGESTION), None)
    if congestion is not None and last.speed_kmh < 20:
        return Judgement(verdict=Verdict.TRAFFIC, reasons=(
            f"最后位置在拥堵路段 {congestion.name}，车速 {last.speed_kmh:.0f} km/h",
            f"已失联{minutes:.0f}分钟"))  # fmt: skip
    if last.speed_kmh < 5 and last.ignition is not True:
        return Judgement(verdict=Verdict.PARKED, reasons=(
            "失联前已停车熄火", f"已失联{minutes:.0f}分钟"))  # fmt: skip
    reasons = [f"失联前行驶中，车速 {last.speed_kmh:.0f} km/h，不在已知拥堵路段或隧道"]
    if NIGHT[0] <= local.hour < NIGHT[1]:
        reasons.append(f"失联时间为深夜 {local:%H:%M}")
    reasons.append(f"已失联{minutes:.0f}分钟")
    return Judgement(verdict=Verdict.DISAPPEARANCE, reasons=tuple(reasons))
