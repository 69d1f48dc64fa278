"""China's province-level divisions as outlines a monitoring plan's allowed regions can name by
GB/T 2260 code ("11" 北京市 … "82" 澳门), read once from the shipped
assets/monitoring/provinces.geojson (see scripts/make_province_outlines.py: ~1 km accuracy, which
is what "is the vehicle still in an allowed province" needs)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape

OUTLINES = Path(__file__).resolve().parents[2] / "assets" / "monitoring" / "provinces.geojson"
Ring = tuple[tuple[float, float], ...]


@cache
def _features() -> dict[str, tuple[str, shapely.Geometry]]:
    data: dict[str, Any] = json.loads(OUTLINES.read_text(encoding="utf-8"))
    return {
        f["properties"]["code"]: (f["properties"]["name"], shape(f["geometry"]))
        for f in data["features"]
    }


def codes() -> dict[str, str]:
    """Every province-level code with its name, in code order."""
    return {code: name for code, (name, _) in _features().items()}


def outline(code: str) -> shapely.Geometry:
    """The province's (Multi)Polygon in WGS-84 degrees; KeyError for an unknown code."""
    return _features()[code][1]


@cache
def outer_rings(code: str) -> tuple[Ring, ...]:
    """The outer rings of the province's polygons, for drawing. flet-map's polygons take no
    holes, so Hebei drawn alone also shades Beijing; the rules use the true outline."""
    geometry = outline(code)
    parts = geometry.geoms if hasattr(geometry, "geoms") else (geometry,)
    return tuple(tuple((float(x), float(y)) for x, y in p.exterior.coords) for p in parts)
