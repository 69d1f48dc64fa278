"""Route corridors and allowed regions, vectorised (shapely 2, prepared geometries).

A corridor is the planned route (WGS-84 waypoints) buffered by `half_width_m` in metres, in a
transverse Mercator centred on the route (distances true to well under 1 % within a few hundred
km of its centre, which a leased vehicle's route is); fixes are projected the same way and tested
with `contains_xy` — for 100k points against a 300-vertex route this is ~30 ms here, where
`distance` would be ~0.5 s. Regions are polygons in degrees (a province outline or a drawn area):
containment needs no projection. Positions stay WGS-84 end to end: the console's basemap (Natural
Earth outlines) is WGS-84 too, so no GCJ-02 offset is applied anywhere (the province outlines are
simplified to ~1 km, coarser than GCJ-02's few hundred metres).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import CRS, Transformer
from shapely.geometry import LineString, Polygon

LonLat = tuple[float, float]


class Corridor:
    def __init__(self, waypoints: Sequence[LonLat], half_width_m: float) -> None:
        if len(waypoints) < 2:
            raise ValueError("a route has at least two waypoints")
        if not half_width_m > 0:
            raise ValueError("a corridor has a positive width")
        lon0 = sum(p[0] for p in waypoints) / len(waypoints)
        lat0 = sum(p[1] for p in waypoints) / len(waypoints)
        crs = CRS.from_proj4(
            f"+proj=tmerc +lat_0={lat0:.6f} +lon_0={lon0:.6f} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 "
            "+units=m +no_defs"
        )
        self._to_metres = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        xs, ys = self._to_metres.transform([p[0] for p in waypoints], [p[1] for p in waypoints])
        self.route = LineString(list(zip(xs, ys, strict=True)))
        self.area = self.route.buffer(half_width_m)
        shapely.prepare(self.area)
        self.half_width_m = half_width_m

    def inside(self, lons: Sequence[float], lats: Sequence[float]) -> NDArray[np.bool_]:
        x, y = self._to_metres.transform(np.asarray(lons, float), np.asarray(lats, float))
        return np.asarray(shapely.contains_xy(self.area, x, y), dtype=bool)

    def distance_m(self, lon: float, lat: float) -> float:
        """How far one point is from the route (for an alert's text, not for the rules)."""
        x, y = self._to_metres.transform(lon, lat)
        return float(self.route.distance(shapely.Point(x, y)))


class Regions:
    """Allowed regions: a fix is inside when any of them holds it — drawn polygons, and whole
    areas given as geometries (a province's MultiPolygon, holes and islands included)."""

    def __init__(
        self, polygons: Sequence[Sequence[LonLat]] = (), areas: Sequence[shapely.Geometry] = ()
    ) -> None:
        if not polygons and not areas:
            raise ValueError("at least one region")
        self.area = shapely.union_all([Polygon(p) for p in polygons] + list(areas))
        if not self.area.is_valid or self.area.is_empty:
            raise ValueError("the regions are not valid polygons")
        shapely.prepare(self.area)

    def inside(self, lons: Sequence[float], lats: Sequence[float]) -> NDArray[np.bool_]:
        return np.asarray(
            shapely.contains_xy(self.area, np.asarray(lons, float), np.asarray(lats, float)),
            dtype=bool,
        )
