"""Facts about the vehicle the clerk states 车辆申报信息 (new or used, model year, mileage), and
the defaults the intake proposes for them.

Pure: the backend fills a left-out fact with the same default the app pre-fills, so a draft saved
by an older client means the same as one saved by the app.
"""

from __future__ import annotations

from datetime import date


def is_new_by_model_year(model_year: int | None, today: date) -> bool:
    """A vehicle of this or next model year is proposed as new 新车; an older one as used 二手车
    (a 2020 car offered in 2026 is not new unless the clerk says so). No year: used, the cautious
    guess (the rules then compare the VIN's year anyway)."""
    return model_year is not None and model_year >= today.year


def stated_age_years(model_year: int, today: date) -> int:
    """The age the rules judge: whole calendar years since the model year, never negative."""
    return max(0, today.year - model_year)
