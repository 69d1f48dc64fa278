"""A JT/T 808 location report 0x0200 as the pipeline's `Fix`, and back (for the simulator).

Latitude and longitude are WGS-84 degrees (the standard's), the BCD time arrives converted to
UTC by the codec, status bit 0 (ACC) is the ignition and bit 1 the terminal's own "positioned";
the alarm bits main power cut (8), GNSS antenna disconnected (5) and short-circuited (6) are
tamper. A report without a time (all zeros: no fix yet) is dated `received`, unpositioned, so
its alarms still count while the rules ignore its position.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from common.jt808.location import Alarm, LocationReport, Status
from common.jt808.location_items import AdditionalItem, Mileage, SatelliteCount
from common.monitoring.fix import Fix, Tamper

TAMPER_BITS: dict[Alarm, Tamper] = {
    Alarm.MAIN_POWER_CUT: Tamper.POWER_CUT,
    Alarm.GNSS_ANTENNA_DISCONNECTED: Tamper.ANTENNA_CUT,
    Alarm.GNSS_ANTENNA_SHORT_CIRCUIT: Tamper.ANTENNA_SHORT,
}


def fix_of(report: LocationReport, received: datetime) -> Fix:
    mileage = report.mileage_km
    return Fix(
        at=report.time or received,
        lat=float(report.latitude),
        lon=float(report.longitude),
        speed_kmh=float(report.speed_kmh),
        heading=report.direction % 360,
        altitude_m=report.altitude_m,
        satellites=report.satellites,
        ignition=bool(report.status & Status.ACC_ON),
        positioned=report.positioned and report.time is not None,
        tamper=tuple(t for bit, t in TAMPER_BITS.items() if report.alarm & bit),
        mileage_km=None if mileage is None else float(mileage),
    )


def report_of(fix: Fix) -> LocationReport:
    """The 0x0200 a terminal sends for `fix` (the simulator's side)."""
    alarm = Alarm(0)
    for bit, t in TAMPER_BITS.items():
        if t in fix.tamper:
            alarm |= bit
    status = Status.GPS | (Status.POSITIONED if fix.positioned else Status(0))
    if fix.ignition:
        status |= Status.ACC_ON
    items: list[AdditionalItem] = []
    if fix.mileage_km is not None:
        items.append(Mileage(round(fix.mileage_km * 10)))
    if fix.satellites is not None:
        items.append(SatelliteCount(fix.satellites))
    return LocationReport.at(
        Decimal(repr(fix.lat)), Decimal(repr(fix.lon)), time=fix.at, alarm=alarm, status=status,
        altitude_m=fix.altitude_m, speed_kmh=Decimal(repr(fix.speed_kmh)),
        direction=fix.heading % 360, items=tuple(items),
    )  # fmt: skip
