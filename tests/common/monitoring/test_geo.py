"""Corridors are measured in metres around the route; regions are polygons in degrees."""

from __future__ import annotations

import numpy as np
import pytest

from common.monitoring.geo import Corridor, Regions
from common.monitoring.plausibility import distance_m

# 京津塘: Beijing east to Tianjin, about 110 km
ROUTE = [(116.46, 39.91), (116.80, 39.70), (117.20, 39.13)]


def test_a_point_is_inside_within_the_half_width_and_outside_beyond() -> None:
    c = Corridor(ROUTE, 500)
    # 0.003 deg of latitude ~ 333 m north of the first waypoint; 0.006 ~ 667 m
    assert c.inside([116.46, 116.46], [39.913, 39.916]).tolist() == [True, False]
    assert c.distance_m(116.46, 39.916) == pytest.approx(667, abs=5)
    assert c.distance_m(116.46, 39.916) == pytest.approx(
        distance_m(39.91, 116.46, 39.916, 116.46), rel=0.01
    )


def test_many_points_at_once() -> None:
    c = Corridor(ROUTE, 1000)
    lats = np.linspace(39.13, 39.91, 1000)
    lons = np.interp(lats, [39.13, 39.70, 39.91], [117.20, 116.80, 116.46])
    assert c.inside(lons, lats).all()
    assert not c.inside(lons + 0.05, lats).any()  # ~4 km east


def test_regions_and_bad_geometry() -> None:
    beijing = [(115.4, 39.4), (117.5, 39.4), (117.5, 41.1), (115.4, 41.1)]
    r = Regions([beijing])
    assert r.inside([116.4, 121.47], [39.9, 31.23]).tolist() == [True, False]  # 北京, 上海
    with pytest.raises(ValueError):
        Corridor(ROUTE[:1], 500)
    with pytest.raises(ValueError):
        Regions([])
