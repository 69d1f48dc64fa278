"""Provinces are named by their GB/T 2260 codes and hold the places in them, holes included."""

from __future__ import annotations

import pytest

from common.monitoring import provinces
from common.monitoring.geo import Regions

TIANANMEN = (116.397, 39.909)
SHIJIAZHUANG = (114.514, 38.042)  # 河北
SANYA = (109.512, 18.252)  # 海南, on an island of its own
XISHA_YONGXING = (112.339, 16.834)  # 永兴岛, one of Hainan's small islands


def test_every_province_level_division_is_there_by_code() -> None:
    names = provinces.codes()
    assert len(names) == 34
    assert names["11"] == "北京市" and names["44"] == "广东省" and names["65"].startswith("新疆")
    with pytest.raises(KeyError):
        provinces.outline("99")


def test_a_province_holds_its_cities_and_not_its_neighbours() -> None:
    beijing = Regions(areas=[provinces.outline("11")])
    hebei = Regions(areas=[provinces.outline("13")])
    lons, lats = zip(TIANANMEN, SHIJIAZHUANG, strict=True)
    assert beijing.inside(lons, lats).tolist() == [True, False]
    # Beijing is a hole in Hebei's outline: the capital is not in Hebei
    assert hebei.inside(lons, lats).tolist() == [False, True]


def test_islands_belong_to_their_province() -> None:
    hainan = Regions(areas=[provinces.outline("46")])
    lons, lats = zip(SANYA, XISHA_YONGXING, strict=True)
    assert hainan.inside(lons, lats).tolist() == [True, True]


def test_provinces_and_drawn_polygons_add_up() -> None:
    pudong_box = [(121.5, 31.1), (121.9, 31.1), (121.9, 31.4), (121.5, 31.4)]
    r = Regions([pudong_box], areas=[provinces.outline("11")])
    assert r.inside([116.397, 121.7, 114.514], [39.909, 31.2, 38.042]).tolist() == [
        True, True, False,
    ]  # fmt: skip


def test_drawing_rings_are_the_outer_rings_of_every_part() -> None:
    assert len(provinces.outer_rings("11")) == 1
    rings = provinces.outer_rings("46")
    assert len(rings) > 10 and all(r[0] == r[-1] for r in rings)
