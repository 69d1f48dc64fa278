"""Fixes the rules must not believe: no GNSS fix, 0,0, inaccurate, too few satellites, from the
future, or a jump faster than the vehicle can drive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from common.monitoring.fix import Fix
from common.monitoring.plausibility import Implausible, judge

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
NOW = T0.timestamp() + 60
GOOD = Fix(at=T0, lat=39.91, lon=116.46, speed_kmh=60)


def test_a_good_fix_and_a_drive_are_believed() -> None:
    assert judge(GOOD, None, "heavy_truck", NOW) is None
    next_ = Fix(at=T0 + timedelta(minutes=1), lat=39.918, lon=116.46)  # ~900 m in a minute
    assert judge(next_, GOOD, "heavy_truck", NOW + 60) is None


def test_each_kind_of_bad_fix_says_why() -> None:
    cases = [
        (Fix(at=T0, lat=39.91, lon=116.46, positioned=False), Implausible.NOT_POSITIONED),
        (Fix(at=T0, lat=0.0, lon=0.0), Implausible.ZERO),
        (Fix(at=T0, lat=95.0, lon=116.0), Implausible.OUT_OF_RANGE),
        (Fix(at=T0, lat=39.91, lon=116.46, accuracy_m=900), Implausible.INACCURATE),
        (Fix(at=T0, lat=39.91, lon=116.46, satellites=2), Implausible.FEW_SATELLITES),
        (Fix(at=T0 + timedelta(hours=2), lat=39.91, lon=116.46), Implausible.FUTURE),
    ]
    for fix, why in cases:
        assert judge(fix, None, "passenger", NOW) is why, fix


def test_a_jump_faster_than_a_truck_drives_is_a_bad_fix() -> None:
    jump = Fix(at=T0 + timedelta(minutes=1), lat=40.10, lon=116.46)  # 21 km in a minute
    assert judge(jump, GOOD, "heavy_truck", NOW + 60) is Implausible.JUMP
    scatter = Fix(at=T0 + timedelta(seconds=1), lat=39.9115, lon=116.46)  # 170 m at once
    assert judge(scatter, GOOD, "heavy_truck", NOW) is None
