"""Facts about the vehicle the clerk states 车辆申报信息 (new or used, model year, mileage), and
the defaults the intake proposes for them.

Pure: the backend fills a left-out fact with the same default the app pre-fills, so a draft saved
by an older client means the same as one saved by the app.
"""

from __future__ import annotations

from datetime import date


def is_new_by_model_year(model_year: int | None, today: date) -> bool:
    """A vehicle of last year's model year or later is proposed as new 新车 (last year's models
    are still sold new, and the rules accept them as new); an older one as used 二手车, so a 2020
    car offered in 2026 is not new unless the clerk says so. No year: used, the cautious guess."""
    return model_year is not None and model_year >= today.year - 1


def stated_age_years(model_year: int, today: date) -> int:
    """The age the rules judge: whole calendar years since the model year, never negative."""
    return max(0, today.year - model_year)
