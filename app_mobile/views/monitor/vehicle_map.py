"""The monitor's map 车辆轨迹图, offline: a basemap of country outlines shipped under
assets/monitoring (Natural Earth, public domain) drawn as polygons on a sea-coloured
background — no tile server, nothing fetched — with the planned route and its corridor (a
stroke as wide in metres as the corridor), the allowed regions (drawn polygons and whole
provinces, from the shipped outlines), the vehicle's track (implausible
fixes left out), and the alert's own positions."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import flet as ft
import flet_map as fm

from common.api.monitoring import AlertView, TrackView
from common.monitoring import provinces

BASEMAP = Path(__file__).resolve().parents[3] / "assets" / "monitoring" / "basemap.geojson"
CHINA = {"CHN", "TWN"}  # drawn alike: the map shows China's territory as one


def _ll(lon: float, lat: float) -> fm.MapLatitudeLongitude:
    return fm.MapLatitudeLongitude(latitude=lat, longitude=lon)


@lru_cache(maxsize=1)
def _outlines() -> tuple[tuple[bool, tuple[tuple[float, float], ...]], ...]:
    """(is China, ring) for every outer ring of the basemap."""
    data: dict[str, Any] = json.loads(BASEMAP.read_text(encoding="utf-8"))
    rings = []
    for feature in data["features"]:
        china = feature["properties"].get("iso_a3") in CHINA
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for polygon in polygons:
            rings.append((china, tuple((float(x), float(y)) for x, y in polygon[0])))
    return tuple(rings)


def basemap_layer() -> fm.PolygonLayer:
    return fm.PolygonLayer(
        polygons=[
            fm.PolygonMarker(
                coordinates=[_ll(x, y) for x, y in ring],
                color=ft.Colors.with_opacity(1, "#f3efe6") if china else "#e4e1da",
                border_color="#b9b3a6",
                border_stroke_width=0.6,
            )
            for china, ring in _outlines()
        ],
        polygon_labels=False,
    )


def vehicle_map(track: TrackView, alert: AlertView | None = None, height: int = 320) -> ft.Control:
    layers: list[Any] = [basemap_layer()]
    allowed = [tuple(ring) for ring in track.regions or ()] + [
        ring for code in track.provinces or () for ring in provinces.outer_rings(code)
    ]
    if allowed:
        layers.append(
            fm.PolygonLayer(
                polygons=[
                    fm.PolygonMarker(
                        coordinates=[_ll(x, y) for x, y in ring],
                        color=ft.Colors.with_opacity(0.12, ft.Colors.GREEN_700),
                        border_color=ft.Colors.GREEN_700,
                        border_stroke_width=1.5,
                    )
                    for ring in allowed
                ],
                polygon_labels=False,
            )
        )
    lines: list[fm.PolylineMarker] = []
    if track.route:
        route = [_ll(x, y) for x, y in track.route]
        if track.half_width_m:
            lines.append(
                fm.PolylineMarker(
                    coordinates=route,
                    color=ft.Colors.with_opacity(0.25, ft.Colors.BLUE_400),
                    stroke_width=2 * track.half_width_m,
                    use_stroke_width_in_meter=True,
                )
            )
        lines.append(fm.PolylineMarker(coordinates=route, color=ft.Colors.BLUE_700, stroke_width=2))
    believed = [p for p in track.points if p.implausible is None]
    if len(believed) >= 2:
        lines.append(
            fm.PolylineMarker(
                coordinates=[_ll(p.lon, p.lat) for p in believed],
                color=ft.Colors.DEEP_ORANGE_600,
                stroke_width=3,
            )
        )
    if lines:
        layers.append(fm.PolylineLayer(polylines=lines))
    circles = []
    if believed:
        last = believed[-1]
        circles.append(
            fm.CircleMarker(
                radius=7,
                coordinates=_ll(last.lon, last.lat),
                color=ft.Colors.DEEP_ORANGE_700,
                border_color=ft.Colors.WHITE,
                border_stroke_width=2,
            )
        )
    if alert is not None and alert.lat is not None and alert.lon is not None:
        circles.append(
            fm.CircleMarker(
                radius=9,
                coordinates=_ll(alert.lon, alert.lat),
                color=ft.Colors.with_opacity(0.5, ft.Colors.RED_700),
                border_color=ft.Colors.RED_900,
                border_stroke_width=2,
            )
        )
    if circles:
        layers.append(fm.CircleLayer(circles=circles))
    points = [(p.lon, p.lat) for p in believed] + list(track.route or [])
    if not points:  # nothing driven or planned yet: show the allowed regions
        points = [xy for ring in allowed for xy in ring]
    if alert is not None and alert.lat is not None and alert.lon is not None:
        points.append((alert.lon, alert.lat))
    fit = None
    if points:
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        pad = 0.01
        fit = fm.CameraFit(
            bounds=fm.MapLatitudeLongitudeBounds(
                corner_1=_ll(min(lons) - pad, min(lats) - pad),
                corner_2=_ll(max(lons) + pad, max(lats) + pad),
            ),
            padding=ft.Padding.all(24),
        )
    return ft.Container(
        content=fm.Map(
            layers=layers,
            initial_center=_ll(104.0, 35.0),
            initial_zoom=3.5,
            initial_camera_fit=fit,
            bgcolor="#cfe3ee",
            min_zoom=2,
            max_zoom=17,
        ),
        height=height,
        border_radius=12,
        clip_behavior=ft.ClipBehavior.HARD_EDGE,
    )


def position_map(lon: float, lat: float, height: int = 200) -> ft.Control:
    """One vehicle's last position on the offline basemap (what a lessee may see)."""
    return ft.Container(
        content=fm.Map(
            layers=[basemap_layer(), fm.CircleLayer(circles=[fm.CircleMarker(
                radius=8, coordinates=_ll(lon, lat), color=ft.Colors.DEEP_ORANGE_700,
                border_color=ft.Colors.WHITE, border_stroke_width=2)])],
            initial_center=_ll(lon, lat), initial_zoom=11, bgcolor="#cfe3ee",
            min_zoom=3, max_zoom=16,
        ),
        height=height, border_radius=12, clip_behavior=ft.ClipBehavior.HARD_EDGE,
    )  # fmt: skip
