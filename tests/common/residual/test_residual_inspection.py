"""The inspection checklist: points per item, interior wear among them, and the grade."""

from __future__ import annotations

import pytest

from common.errors import DomainError
from common.residual.inspection import Finding, Inspection, grade_of
from common.residual.vehicle import Condition


def test_a_car_with_nothing_found_scores_100_and_is_excellent() -> None:
    assert Inspection({}).score == 100
    assert Inspection({}).grade is Condition.EXCELLENT


def test_worn_seats_alone_keep_a_car_excellent_and_badly_worn_make_it_good() -> None:
    assert Inspection({"interior_wear": Finding.MINOR}).score == 95
    assert Inspection({"interior_wear": Finding.MINOR}).grade is Condition.EXCELLENT
    worn = Inspection({"interior_wear": Finding.MAJOR, "tyres": Finding.MINOR})
    assert worn.score == 88 and worn.grade is Condition.GOOD


def test_major_findings_on_body_and_engine_make_a_poor_car() -> None:
    car = Inspection({"body": Finding.MAJOR, "engine_bay": Finding.MAJOR, "chassis": Finding.MINOR})
    assert car.score == 52 and car.grade is Condition.POOR


@pytest.mark.parametrize(
    ("score", "grade"),
    [(90, Condition.EXCELLENT), (89, Condition.GOOD), (75, Condition.GOOD), (74, Condition.FAIR),
     (60, Condition.FAIR), (59, Condition.POOR), (0, Condition.POOR)],
)  # fmt: skip
def test_grades_are_bands_of_the_score(score: int, grade: Condition) -> None:
    assert grade_of(score) is grade


def test_an_unknown_item_is_refused_by_name() -> None:
    with pytest.raises(DomainError) as caught:
        Inspection({"sunroof": Finding.OK})
    assert caught.value.code == "inspection_item_unknown"
    assert "inspection.sunroof" in caught.value.fields
