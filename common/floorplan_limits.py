"""Temporary limit increases 临时提额: when a model suddenly sells at a dealer, its line grows.

Sell-through is the number of the dealer's units of one model paid off in an ISO week (Monday
to Sunday, business dates). This week so far is compared with the dealer's own previous weeks —
since its first drawdown, at most `history_weeks` — by the robust z-score adaptive mode uses
(`common.rules.adaptive`: median and scaled MAD, the scale floored at one unit so a flat history
is not infinitely surprised). Only a rise counts: beyond `threshold` the rule grants
`increase_percent` of the line's limit for `days`. The rule is data, versioned and audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from common.errors import DomainError
from common.money import div_half_up
from common.rules.adaptive import region_volume_anomaly


@dataclass(frozen=True, slots=True)
class IncreaseRule:
    threshold: Decimal = Decimal("3.5")
    increase_percent: Decimal = Decimal(20)
    days: int = 30
    history_weeks: int = 12
    min_weeks: int = 4

    def __post_init__(self) -> None:
        if not (
            Decimal(0) < self.threshold <= Decimal(100)
            and Decimal(0) < self.increase_percent <= Decimal(100)
            and 1 <= self.days <= 180
            and 2 <= self.min_weeks <= self.history_weeks <= 104
        ):
            raise DomainError("floorplan_rule_invalid", "提额规则参数无效",
                              "threshold, percent or weeks out of range")  # fmt: skip


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def weekly_sell_through(
    paid_off_on: Iterable[date], today: date, first_day: date, history_weeks: int
) -> tuple[list[int], int]:
    """(previous weeks' counts oldest first, this week's so far): the weeks from the one of
    `first_day` (the dealer's first drawdown), at most `history_weeks`, before this week."""
    this_week = week_start(today)
    weeks = min(history_weeks, max(0, (this_week - week_start(first_day)).days // 7))
    history = [0] * weeks
    current = 0
    for day in paid_off_on:
        if day > today:
            continue
        back = (this_week - week_start(day)).days // 7
        if back == 0:
            current += 1
        elif 1 <= back <= weeks:
            history[weeks - back] += 1
    return history, current


def spike(history: list[int], this_week: int, rule: IncreaseRule) -> tuple[bool, float]:
    """Whether this week's sell-through is a rise beyond the rule's threshold, and its z."""
    flagged, z = region_volume_anomaly(
        history, this_week, float(rule.threshold), min_history=rule.min_weeks
    )
    return flagged and z > 0, z


def increase_fen(limit_fen: int, rule: IncreaseRule) -> int:
    num, den = rule.increase_percent.as_integer_ratio()
    return div_half_up(limit_fen * num, den * 100)
