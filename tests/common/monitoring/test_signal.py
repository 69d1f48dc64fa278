"""Silence beyond the SLA is judged: traffic in a congestion zone, a tunnel, parked, or a vehicle
disappearing — with the reasons a monitor reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from common.monitoring.fix import Fix, Tamper
from common.monitoring.signal import Sla, Verdict, Zone, ZoneKind, judge

NOON = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)  # 12:00 Shanghai
THIRD_RING = Zone(name="北京东三环", kind=ZoneKind.CONGESTION, lat=39.91, lon=116.46,
                  radius_m=2000, hours=((7, 10), (11, 20)))  # fmt: skip
TUNNEL = Zone(name="秦岭终南山隧道", kind=ZoneKind.TUNNEL, lat=33.87, lon=108.97, radius_m=9000)
ZONES = [THIRD_RING, TUNNEL]


def at(fix_time: datetime, **kw: object) -> Fix:
    return Fix(at=fix_time, **{"lat": 39.911, "lon": 116.461, "speed_kmh": 8.0, **kw})  # type: ignore[arg-type]


def test_the_sla_is_longer_for_a_parked_vehicle() -> None:
    sla = Sla(moving_s=30, parked_s=300, grace=3)
    assert sla.silent_after_s(at(NOON, speed_kmh=60)) == 90
    assert sla.silent_after_s(at(NOON, speed_kmh=0, ignition=False)) == 900


def test_slow_in_a_congestion_zone_at_its_hours_is_traffic() -> None:
    j = judge(at(NOON), NOON + timedelta(minutes=12), ZONES)
    assert j.verdict is Verdict.TRAFFIC and "北京东三环" in j.reasons[0]
    assert not j.worrying
    night = NOON.replace(hour=18)  # 02:00 Shanghai: no rush hour to explain it
    assert judge(at(night), night + timedelta(minutes=12), ZONES).worrying


def test_a_tunnel_and_a_parked_vehicle() -> None:
    j = judge(at(NOON, lat=33.90, lon=108.98, speed_kmh=70), NOON + timedelta(minutes=8), ZONES)
    assert j.verdict is Verdict.TUNNEL
    parked = at(NOON, lat=30.0, lon=120.0, speed_kmh=0, ignition=False)
    assert judge(parked, NOON + timedelta(hours=1), ZONES).verdict is Verdict.PARKED


def test_moving_fast_at_night_far_from_any_zone_or_after_a_power_cut_is_worrying() -> None:
    night = datetime(2026, 12, 1, 18, 30, tzinfo=UTC)  # 02:30 Shanghai
    j = judge(at(night, lat=30.0, lon=120.0, speed_kmh=95), night + timedelta(minutes=20), ZONES)
    assert j.verdict is Verdict.DISAPPEARANCE and j.worrying
    assert any("深夜" in r for r in j.reasons)
    cut = at(NOON, tamper=(Tamper.POWER_CUT,))
    j = judge(cut, NOON + timedelta(minutes=3), ZONES)
    assert j.verdict is Verdict.DISAPPEARANCE and "主电源掉电" in j.reasons[0]
