"""The simulator's route walker and scenarios: a fix every interval along the route at the speed;
a deviation drifts ~1 km off, holds, comes back, never faster sideways than a truck drives; a
single bad fix is 100 km away and alone; signal loss stops mid-route while driving; tamper sets
the power-cut alarm once; fast replays never date a fix ahead of its sending. A 0x0200 made
from a fix reads back as the same fix."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from common.jt808 import LocationReport, Status, decode_content, encode_frame, open_frame
from common.monitoring import simulator
from common.monitoring.fix import Fix, Tamper
from common.monitoring.from_jt808 import fix_of, report_of
from common.monitoring.geo import Corridor
from common.monitoring.plausibility import distance_m, judge
from common.monitoring.simulator import Scenario

ROUTES = Path(__file__).resolve().parents[3] / "assets" / "monitoring" / "routes"
ROUTE_FILE = ROUTES / "beijing-tianjin.geojson"
ROUTE = simulator.load_route(json.loads(ROUTE_FILE.read_text(encoding="utf-8")))
START = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)


def test_the_shipped_route_is_beijing_to_tianjin():
    assert 30 <= len(ROUTE) <= 40
    assert ROUTE[0] == pytest.approx((116.46, 39.88), abs=0.05)  # 北京东南四环
    assert ROUTE[-1] == pytest.approx((117.20, 39.2), abs=0.1)  # 天津
    assert 90_000 < simulator.length_m(ROUTE) < 130_000


def test_routes_are_read_from_geojson_or_a_plain_list():
    line = {"type": "LineString", "coordinates": [[116.4, 39.9], [116.5, 39.8]]}
    assert simulator.load_route(line) == [(116.4, 39.9), (116.5, 39.8)]
    assert simulator.load_route({"type": "Feature", "geometry": line}) == simulator.load_route(
        {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": line}]}
    )
    assert simulator.load_route([[116.4, 39.9], [116.5, 39.8]]) == [(116.4, 39.9), (116.5, 39.8)]
    for bad in ([[116.4, 39.9]], [[200, 39.9], [116.5, 39.8]], [["a", 1], [1, 2]],
                {"type": "Point", "coordinates": [1, 2]}, "x"):  # fmt: skip
        with pytest.raises(simulator.RouteError):
            simulator.load_route(bad)


def test_the_walk_samples_a_fix_every_interval_at_the_speed():
    steps = simulator.walk(ROUTE, 90.0, 30.0)
    gaps = [distance_m(a.lat, a.lon, b.lat, b.lon) for a, b in pairwise(steps)]
    assert all(abs(g - 750) < 25 for g in gaps[:-1])  # 90 km/h for 30 s, a little less at bends
    assert [s.offset_s for s in steps[:3]] == [0.0, 30.0, 60.0]
    assert (steps[0].lon, steps[0].lat) == ROUTE[0]
    assert (steps[-1].lon, steps[-1].lat) == pytest.approx(ROUTE[-1])
    corridor = Corridor(ROUTE, 50)
    assert all(corridor.inside([s.lon for s in steps], [s.lat for s in steps]))
    assert 100 < steps[5].heading < 170  # south-east, toward Tianjin
    assert steps[-1].mileage_km > steps[0].mileage_km + 90


def _believed(steps: list[simulator.Step]) -> list[tuple[int, Fix, str | None]]:
    """Each fix and the plausibility verdict the pipeline would give it (heavy truck)."""
    out, last = [], None
    for k, step in enumerate(steps):
        f = simulator.fix(step, START)
        why = judge(f, last, "heavy_truck", START.timestamp() + 10**6)
        out.append((k, f, None if why is None else why.value))
        last = f if why is None else last
    return out


def test_a_deviation_drifts_a_kilometre_off_for_several_fixes_and_returns():
    steps = simulator.plan(ROUTE, Scenario.DEVIATION, speed_kmh=80, interval_s=30)
    corridor = Corridor(ROUTE, 500)
    judged = _believed(steps)
    assert all(why is None for _k, _f, why in judged)  # no fix of the excursion looks like a jump
    inside = corridor.inside([f.lon for _k, f, _w in judged], [f.lat for _k, f, _w in judged])
    outside = [k for k, ok in enumerate(inside) if not ok]
    assert len(outside) >= 6 and outside == list(range(outside[0], outside[-1] + 1))  # one run
    far = max(corridor.distance_m(f.lon, f.lat) for _k, f, _w in judged)
    assert 900 < far < 1100
    assert all(inside[outside[-1] + 1 :])  # back on the route to the end
    assert steps[-1].speed_kmh == 0 and steps[-1].ignition is False  # parked on arrival


def test_a_single_bad_fix_is_one_fix_a_hundred_kilometres_away():
    steps = simulator.plan(ROUTE, Scenario.SINGLE_BAD_FIX)
    normal = simulator.walk(ROUTE, 80, 30)
    moved = [k for k, (a, b) in enumerate(zip(steps, normal, strict=True)) if a != b]
    assert moved == [int(len(steps) * simulator.BAD_FIX_AT), len(steps) - 1]  # and parked
    k = moved[0]
    assert distance_m(steps[k].lat, steps[k].lon, normal[k].lat, normal[k].lon) == pytest.approx(
        100_000, rel=0.01
    )
    assert [why for _k, _f, why in _believed(steps) if why] == ["jump"]


def test_signal_loss_stops_reporting_mid_route_while_driving():
    steps = simulator.plan(ROUTE, Scenario.SIGNAL_LOSS)
    full = simulator.walk(ROUTE, 80, 30)
    assert steps == full[: len(steps)] and 0.5 < len(steps) / len(full) < 0.7
    assert steps[-1].speed_kmh == 80 and steps[-1].ignition


def test_tamper_sets_the_power_cut_alarm_on_one_report():
    steps = simulator.plan(ROUTE, Scenario.TAMPER)
    assert [s.tamper for s in steps if s.tamper] == [(Tamper.POWER_CUT,)]


def test_a_fast_replay_keeps_real_spacing_and_never_dates_a_fix_ahead():
    steps = simulator.plan(ROUTE, Scenario.TAMPER)
    now = START + timedelta(hours=2)
    start = simulator.start_for(now, steps, 1000.0)
    for step in steps:
        sent_at = now + timedelta(seconds=step.offset_s / 1000)
        assert simulator.fix(step, start).at <= sent_at
    assert simulator.start_for(now, steps, 1.0) == now  # real time: from now on
    first, second = (simulator.fix(s, start) for s in steps[:2])
    assert (second.at - first.at).total_seconds() == pytest.approx(30, abs=1)
    with pytest.raises(ValueError, match="at least 1"):
        simulator.start_for(now, steps, 0.5)


def test_a_route_too_short_for_a_scenario_is_refused():
    with pytest.raises(simulator.RouteError, match="too short"):
        simulator.plan([(116.4, 39.9), (116.41, 39.9)], Scenario.DEVIATION)


def test_a_fix_goes_through_jt808_and_back_unchanged():
    f = Fix(at=START, lat=39.123456, lon=116.654321, speed_kmh=81.3, heading=135, altitude_m=-12,
            satellites=11, ignition=True, tamper=(Tamper.POWER_CUT, Tamper.ANTENNA_SHORT),
            mileage_km=12_345.6)  # fmt: skip
    frame = encode_frame(report_of(f), phone="013912345678", serial=7)
    _header, report = decode_content(open_frame(frame[1:-1]))
    assert isinstance(report, LocationReport)
    assert report.status & Status.ACC_ON and report.positioned
    assert fix_of(report, START + timedelta(minutes=1)) == f


def test_a_report_without_a_time_keeps_its_alarms_but_no_position():
    f = Fix(at=START, lat=39.9, lon=116.4, tamper=(Tamper.ANTENNA_CUT,))
    timeless = LocationReport(**{**_fields(report_of(f)), "time": None})
    got = fix_of(timeless, START + timedelta(minutes=3))
    assert got.at == START + timedelta(minutes=3) and not got.positioned
    assert got.tamper == (Tamper.ANTENNA_CUT,)


def _fields(report: LocationReport) -> dict[str, object]:
    return {name: getattr(report, name) for name in report.__slots__}
