"""The terminal simulator's pure part 终端模拟器: a route walked at a speed, a fix every interval,
and the scenario's events on top. The drivers (`backend/commands/simulate_terminal.py`) send the
steps over JT/T 808, MQTT or HTTP; here there is no clock and no I/O.

A plan is a list of `Step`s, each `offset_s` seconds after the first; `fix(step, start)` makes
the `Fix` a terminal would report. Scenarios (one event each, placed along the route):

- ``deviation``: the vehicle drifts off the route (no faster sideways than it drives), stays
  about `DEVIATION_M` off for several fixes, then comes back: one deviation alert, whose
  condition ends on the way back.
- ``single-bad-fix``: one fix `BAD_FIX_KM` away (a GNSS glitch): stored, marked implausible,
  no alert.
- ``signal-loss``: the terminal goes silent while driving, at `SIGNAL_LOSS_AT` of the route,
  and stays silent (玩失踪): after the SLA the silence sweep opens one signal-loss alert.
- ``tamper``: one report with the main power cut alarm (主电源掉电): one tamper alert at once.

Every scenario but signal-loss ends parked (speed 0, ignition off) at the destination.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from common.monitoring.fix import Fix, Tamper
from common.monitoring.plausibility import EARTH_RADIUS_M, distance_m

LonLat = tuple[float, float]

DEVIATION_AT = 0.4  # share of the route where the deviation starts
DEVIATION_M = 1000.0  # how far off the route it drifts
DEVIATION_FIXES = 6  # fixes spent at the full distance
BAD_FIX_AT = 0.5
BAD_FIX_KM = 100.0
SIGNAL_LOSS_AT = 0.6
TAMPER_AT = 0.5
MILEAGE_START_KM = 12_345.6
MAX_WAYPOINTS = 10_000


class Scenario(StrEnum):
    DEVIATION = "deviation"
    SINGLE_BAD_FIX = "single-bad-fix"
    SIGNAL_LOSS = "signal-loss"
    TAMPER = "tamper"


class RouteError(ValueError):
    """A route file that is not a LineString or a list of [lon, lat]."""


@dataclass(frozen=True, slots=True)
class Step:
    """One report of the plan, `offset_s` after the first."""

    offset_s: float
    lon: float
    lat: float
    speed_kmh: float
    heading: int
    ignition: bool
    mileage_km: float
    tamper: tuple[Tamper, ...] = ()


def load_route(data: Any) -> list[LonLat]:
    """[lon, lat] waypoints from a GeoJSON LineString (bare, in a Feature, or the first one in a
    FeatureCollection) or a plain JSON list of [lon, lat]."""
    coords = _coordinates(data)
    if not isinstance(coords, list) or not 2 <= len(coords) <= MAX_WAYPOINTS:
        raise RouteError(f"a route needs 2 to {MAX_WAYPOINTS} waypoints")
    route: list[LonLat] = []
    for k, point in enumerate(coords):
        if not (isinstance(point, list | tuple) and len(point) >= 2
                and all(isinstance(v, int | float) and not isinstance(v, bool)
                        for v in point[:2])):  # fmt: skip
            raise RouteError(f"waypoint {k} is not [lon, lat]")
        lon, lat = float(point[0]), float(point[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise RouteError(f"waypoint {k} is out of range: [{lon}, {lat}]")
        route.append((lon, lat))
    return route


def _coordinates(data: Any) -> Any:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise RouteError("a route is a GeoJSON LineString or a list of [lon, lat]")
    kind = data.get("type")
    if kind == "LineString":
        return data.get("coordinates")
    if kind == "Feature":
        return _coordinates(data.get("geometry"))
    if kind == "FeatureCollection":
        for feature in data.get("features") or []:
            geometry = (feature or {}).get("geometry") or {}
            if geometry.get("type") == "LineString":
                return geometry.get("coordinates")
    raise RouteError(f"no LineString in the GeoJSON ({kind})")


def bearing(a: LonLat, b: LonLat) -> int:
    """Initial bearing from a to b, whole degrees clockwise from north (0-359)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    y = math.sin(lon2 - lon1) * math.cos(lat2)
    x = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(lon2 - lon1)
    return round(math.degrees(math.atan2(y, x))) % 360


def length_m(route: Sequence[LonLat]) -> float:
    return sum(distance_m(a[1], a[0], b[1], b[0]) for a, b in itertools.pairwise(route))


def walk(route: Sequence[LonLat], speed_kmh: float, interval_s: float) -> list[Step]:
    """A fix every `interval_s` driving the route at `speed_kmh`, the last at the destination."""
    if speed_kmh <= 0 or interval_s <= 0:
        raise ValueError("speed and interval must be positive")
    legs = [(a, b, distance_m(a[1], a[0], b[1], b[0]))
            for a, b in itertools.pairwise(route)]  # fmt: skip
    total = sum(d for _a, _b, d in legs)
    if total <= 0:
        raise RouteError("the route has no length")
    per_fix = speed_kmh / 3.6 * interval_s
    marks = [k * per_fix for k in range(int(total // per_fix) + 1)]
    if total - marks[-1] > 1.0:
        marks.append(total)
    steps: list[Step] = []
    leg, done = 0, 0.0  # the leg we are on and the metres before it
    for k, at in enumerate(marks):
        while leg < len(legs) - 1 and done + legs[leg][2] < at:
            done += legs[leg][2]
            leg += 1
        a, b, d = legs[leg]
        f = 0.0 if d == 0 else min(1.0, (at - done) / d)
        lon, lat = a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f
        offset = interval_s * k if at < total else total / (speed_kmh / 3.6)
        steps.append(Step(offset_s=offset, lon=lon, lat=lat, speed_kmh=speed_kmh,
                          heading=bearing(a, b), ignition=True,
                          mileage_km=round(MILEAGE_START_KM + at / 1000, 1)))  # fmt: skip
    return steps


def moved(lon: float, lat: float, heading_deg: float, metres: float) -> LonLat:
    """The point `metres` from (lon, lat) toward `heading_deg` (flat-earth; fine for km)."""
    theta = math.radians(heading_deg)
    dlat = metres * math.cos(theta) / EARTH_RADIUS_M
    dlon = metres * math.sin(theta) / (EARTH_RADIUS_M * math.cos(math.radians(lat)))
    return lon + math.degrees(dlon), lat + math.degrees(dlat)


def plan(route: Sequence[LonLat], scenario: Scenario, *, speed_kmh: float = 80.0,
         interval_s: float = 30.0) -> list[Step]:  # fmt: skip
    """The steps the simulator sends for `scenario` on `route`."""
    steps = walk(route, speed_kmh, interval_s)
    if len(steps) < 10:
        raise RouteError("the route is too short for a scenario: fewer than 10 fixes")
    if scenario is Scenario.SIGNAL_LOSS:
        return steps[: int(len(steps) * SIGNAL_LOSS_AT)]  # and then nothing: silence
    steps[-1] = replace(steps[-1], speed_kmh=0.0, ignition=False)  # arrived, parked
    if scenario is Scenario.DEVIATION:
        return _deviate(steps, speed_kmh / 3.6 * interval_s)
    if scenario is Scenario.SINGLE_BAD_FIX:
        k = int(len(steps) * BAD_FIX_AT)
        lon, lat = moved(steps[k].lon, steps[k].lat, 0.0, BAD_FIX_KM * 1000)
        steps[k] = replace(steps[k], lon=lon, lat=lat)
        return steps
    k = int(len(steps) * TAMPER_AT)
    steps[k] = replace(steps[k], tamper=(Tamper.POWER_CUT,))
    return steps


def _deviate(steps: list[Step], per_fix_m: float) -> list[Step]:
    """Drift to the right of the heading, never faster sideways than half the fix spacing (so
    no fix of the excursion looks like a jump), hold, and drift back."""
    lateral = max(1.0, per_fix_m / 2)
    ramp = [min(DEVIATION_M, lateral * n) for n in range(1, math.ceil(DEVIATION_M / lateral) + 1)]
    offsets = [*ramp, *[DEVIATION_M] * DEVIATION_FIXES, *reversed(ramp[:-1])]
    first = int(len(steps) * DEVIATION_AT)
    if first + len(offsets) >= len(steps) - 2:
        raise RouteError("the route is too short for the deviation")
    for n, metres in enumerate(offsets):
        s = steps[first + n]
        lon, lat = moved(s.lon, s.lat, s.heading + 90, metres)
        steps[first + n] = replace(s, lon=lon, lat=lat)
    return steps


def fix(step: Step, start: datetime) -> Fix:
    """What the terminal reports for `step` when the plan started at `start` (aware); whole
    seconds, as JT/T 808's BCD time carries them."""
    at = (start + timedelta(seconds=step.offset_s)).replace(microsecond=0)
    return Fix(at=at, lat=round(step.lat, 6),
               lon=round(step.lon, 6), speed_kmh=step.speed_kmh, heading=step.heading,
               altitude_m=20, satellites=12, ignition=step.ignition, tamper=step.tamper,
               mileage_km=step.mileage_km)  # fmt: skip


def start_for(now: datetime, steps: Sequence[Step], time_scale: float) -> datetime:
    """The first fix time when the plan is played `time_scale` times faster than real from
    `now`: fix times keep their real spacing and none is ever ahead of the moment it is sent
    (the last one is sent at `now` + D / scale with fix time `now` + D / scale), so a fast
    replay is not refused as fixes from the future."""
    if time_scale < 1:
        raise ValueError("time scale must be at least 1")
    duration = steps[-1].offset_s if steps else 0.0
    return now - timedelta(seconds=duration * (1 - 1 / time_scale))
