"""Which fixes the rules may believe. A fix is stored whatever it says; one that is implausible
is marked with why and ignored by the rules, so one bad fix never raises an alert."""

from __future__ import annotations

import math
from enum import StrEnum

from common.monitoring.fix import Fix

EARTH_RADIUS_M = 6_371_008.8
MAX_ACCURACY_M = 200.0  # worse than this (HDOP-derived or reported) is no position for a corridor
MIN_SATELLITES = 3
# The fastest a vehicle of each class plausibly drives, with margin (km/h): a jump between two fixes
# faster than this is a bad fix, not a drive.
MAX_SPEED_KMH = {"passenger": 220.0, "nev": 220.0, "light_truck": 160.0, "heavy_truck": 140.0,
                 "cold_chain": 140.0}  # fmt: skip
DEFAULT_MAX_SPEED_KMH = 220.0


class Implausible(StrEnum):
    NOT_POSITIONED = "not_positioned"  # the terminal says it has no GNSS fix
    ZERO = "zero_coordinates"  # 0,0: a terminal's "no fix" written as a position
    OUT_OF_RANGE = "out_of_range"
    INACCURATE = "inaccurate"
    FEW_SATELLITES = "few_satellites"
    JUMP = "jump"  # faster from the last believed fix than the vehicle can drive
    FUTURE = "future"  # a fix time ahead of the receiving clock by more than the skew


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def judge(fix: Fix, last: Fix | None, vehicle_class: str, received_s: float,
          skew_s: float = 300.0) -> Implausible | None:  # fmt: skip
    """Why `fix` is not to be believed (None: it is). `last` is the last believed fix before it
    in time; `received_s` the receiving clock (epoch seconds)."""
    if not fix.positioned:
        return Implausible.NOT_POSITIONED
    if abs(fix.lat) < 1e-6 and abs(fix.lon) < 1e-6:
        return Implausible.ZERO
    if not (-90.0 <= fix.lat <= 90.0 and -180.0 <= fix.lon <= 180.0):
        return Implausible.OUT_OF_RANGE
    if fix.at.timestamp() > received_s + skew_s:
        return Implausible.FUTURE
    if fix.accuracy_m is not None and fix.accuracy_m > MAX_ACCURACY_M:
        return Implausible.INACCURATE
    if fix.satellites is not None and fix.satellites < MIN_SATELLITES:
        return Implausible.FEW_SATELLITES
    if last is not None:
        seconds = abs((fix.at - last.at).total_seconds())
        metres = distance_m(last.lat, last.lon, fix.lat, fix.lon)
        limit = MAX_SPEED_KMH.get(vehicle_class, DEFAULT_MAX_SPEED_KMH) / 3.6
        # a few hundred metres of GNSS scatter are allowed however close in time the two are
        if metres > 300.0 + limit * seconds:
            return Implausible.JUMP
    return None
