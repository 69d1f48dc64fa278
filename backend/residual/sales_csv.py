"""Used-car sales as CSV 成交数据: what `autolease residual train --csv FILE` reads, and what
`autolease residual market` writes (the synthetic market in the same layout).

UTF-8 (a BOM is fine), a header row, one sale a row; the columns (docs/residual-value.md):

    new_price        yuan, the trim's list price when new (指导价)       required
    vehicle_type     passenger | nev | light_truck | heavy_truck | cold_chain   required
    fuel             petrol | diesel | hev | phev | bev                   required
    tier             A | B | C, the brand's retention tier               required
    first_registered YYYY-MM-DD, first registration 初次上牌日期           required
    sold_on          YYYY-MM-DD, the sale's date                          required
    mileage_km       odometer at the sale                                 required
    price            yuan, what the car sold for (B2C retail)             required
    region_code      GB/T 2260 code (2 to 6 digits) where it sold         optional
    condition        excellent | good | fair | poor (default good)        optional
    accident         none | minor | structural | flood_fire (default none) optional
    battery_soh      percent, a plug-in's battery health; empty if unknown optional
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from common.errors import DomainError
from common.residual.market import Sale
from common.residual.vehicle import Accident, Condition, Fuel, UsedVehicle

REQUIRED = ("new_price", "vehicle_type", "fuel", "tier", "first_registered", "sold_on",
            "mileage_km", "price")  # fmt: skip
OPTIONAL = ("region_code", "condition", "accident", "battery_soh")
COLUMNS = REQUIRED + OPTIONAL
DAYS_PER_MONTH = 365.25 / 12
E = TypeVar("E", Fuel, Condition, Accident)


class SalesFileError(ValueError):
    """A row or the header does not fit the layout; says which line and column."""


def _number(raw: str, column: str, line: int) -> float:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise SalesFileError(f"line {line}: {column} is not a number: {raw!r}") from None
    if not value.is_finite() or value < 0:
        raise SalesFileError(f"line {line}: {column} must be a number >= 0: {raw!r}")
    return float(value)


def _date(raw: str, column: str, line: int) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise SalesFileError(f"line {line}: {column} is not a YYYY-MM-DD date: {raw!r}") from None


def _choice(kind: type[E], raw: str, column: str, line: int) -> E:
    try:
        return kind(raw.strip())
    except ValueError:
        allowed = " | ".join(m.value for m in kind)
        raise SalesFileError(f"line {line}: {column} must be {allowed}: {raw!r}") from None


def _sale(row: dict[str, str], line: int) -> Sale:
    registered = _date(row["first_registered"], "first_registered", line)
    sold_on = _date(row["sold_on"], "sold_on", line)
    if sold_on < registered:
        raise SalesFileError(f"line {line}: sold_on is before first_registered")
    soh = (row.get("battery_soh") or "").strip()
    try:
        vehicle = UsedVehicle(
            new_price=_number(row["new_price"], "new_price", line),
            vehicle_type=row["vehicle_type"].strip(),
            fuel=_choice(Fuel, row["fuel"], "fuel", line),
            tier=row["tier"].strip(),
            age_months=(sold_on - registered).days / DAYS_PER_MONTH,
            mileage_km=_number(row["mileage_km"], "mileage_km", line),
            sold_on=sold_on,
            region_code=(row.get("region_code") or "").strip(),
            condition=_choice(Condition, row.get("condition") or "good", "condition", line),
            accident=_choice(Accident, row.get("accident") or "none", "accident", line),
            battery_soh=_number(soh, "battery_soh", line) if soh else None,
        )
    except DomainError as exc:
        raise SalesFileError(f"line {line}: {', '.join(exc.fields)}: {exc.message_en}") from None
    price = _number(row["price"], "price", line)
    if price <= 0:
        raise SalesFileError(f"line {line}: price must be positive")
    return Sale("", vehicle, price)


def read_sales(text: str) -> list[Sale]:
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise SalesFileError(
            f"the header lacks {', '.join(missing)} (columns: {', '.join(COLUMNS)})"
        )
    return [_sale(row, reader.line_num) for row in reader]


def _rows(sales: Iterable[Sale]) -> Iterator[list[str]]:
    yield list(COLUMNS)
    for s in sales:
        v = s.vehicle
        registered = v.sold_on - timedelta(days=round(v.age_months * DAYS_PER_MONTH))
        yield [
            f"{v.new_price:.0f}", v.vehicle_type, v.fuel.value if v.fuel else "", v.tier,
            registered.isoformat(), v.sold_on.isoformat(), f"{v.mileage_km:.0f}",
            f"{s.price:.0f}", v.region_code, v.condition.value, v.accident.value,
            "" if v.battery_soh is None else f"{v.battery_soh:g}",
        ]  # fmt: skip


def write_sales(sales: Iterable[Sale]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(_rows(sales))
    return out.getvalue()
