"""The short inspection checklist 车况检查 and the condition grade it gives.

Seven items over the areas GB/T 30323-2013 (二手车鉴定评估技术规范) inspects — body, engine bay,
cabin, start-up and electrics, road test, chassis — with interior wear 内饰磨损 (seats, wheel,
carpets) as an item of its own, since it tells how the car was kept. Each item is ok, minor or
major; the points are ours, 100 for a car with nothing found.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from common.errors import DomainError
from common.residual.vehicle import Condition


class Finding(StrEnum):
    OK = "ok"  # 良好
    MINOR = "minor"  # 轻微
    MAJOR = "major"  # 严重


class Item(StrEnum):
    BODY = "body"
    ENGINE_BAY = "engine_bay"
    INTERIOR_WEAR = "interior_wear"
    ELECTRICS = "electrics"
    ROAD_TEST = "road_test"
    CHASSIS = "chassis"
    TYRES = "tyres"


# item -> (points, Chinese label)
ITEMS: dict[str, tuple[int, str]] = {
    Item.BODY: (20, "车身外观（漆面、覆盖件）"),
    Item.ENGINE_BAY: (20, "发动机舱"),
    Item.INTERIOR_WEAR: (10, "内饰磨损（座椅、方向盘、地毯）"),
    Item.ELECTRICS: (15, "启动与电器功能"),
    Item.ROAD_TEST: (15, "路试（变速、制动、转向）"),
    Item.CHASSIS: (15, "底盘"),
    Item.TYRES: (5, "轮胎"),
}
_KEPT = {Finding.OK: 1.0, Finding.MINOR: 0.5, Finding.MAJOR: 0.0}
# the lowest score of each grade, best first
GRADE_FLOORS = ((90, Condition.EXCELLENT), (75, Condition.GOOD), (60, Condition.FAIR))


@dataclass(frozen=True, slots=True)
class Inspection:
    """One finding per item; an item not inspected counts as ok (the grade is then optimistic,
    which the interval's width does not hide)."""

    findings: Mapping[str, Finding]

    def __post_init__(self) -> None:
        unknown = set(self.findings) - set(ITEMS)
        if unknown:
            raise DomainError(
                "inspection_item_unknown", "检查项目不存在", f"unknown items: {sorted(unknown)}",
                fields={f"inspection.{k}": "inspection_item_unknown" for k in sorted(unknown)},
            )  # fmt: skip

    @property
    def score(self) -> int:
        """0..100: the points of every item, half for a minor finding, none for a major one."""
        total = 0.0
        for item, (points, _) in ITEMS.items():
            total += points * _KEPT[self.findings.get(item, Finding.OK)]
        return round(total)

    @property
    def grade(self) -> Condition:
        return grade_of(self.score)


def grade_of(score: int) -> Condition:
    for floor, grade in GRADE_FLOORS:
        if score >= floor:
            return grade
    return Condition.POOR
