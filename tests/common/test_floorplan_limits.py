"""Temporary increases: weekly sell-through against the dealer's own weeks, rises only."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from common.errors import DomainError
from common.floorplan_limits import (
    IncreaseRule,
    increase_fen,
    iso_week,
    spike,
    weekly_sell_through,
)

TODAY = date(2026, 3, 11)  # a Wednesday of ISO week 11
MONDAY = date(2026, 3, 9)


def test_units_are_counted_per_iso_week_since_the_first_drawdown():
    sold = [MONDAY, TODAY, MONDAY - timedelta(days=1), MONDAY - timedelta(weeks=2),
            TODAY + timedelta(days=1)]  # fmt: skip  # tomorrow's does not count yet
    history, now = weekly_sell_through(sold, TODAY, MONDAY - timedelta(weeks=3), 12)
    assert history == [0, 1, 1] and now == 2  # three weeks back, oldest first
    assert iso_week(TODAY) == "2026-W11"


def test_history_is_at_most_the_rules_weeks():
    history, _ = weekly_sell_through([], TODAY, date(2025, 1, 1), 12)
    assert len(history) == 12


def test_only_a_rise_beyond_the_threshold_with_enough_history_is_a_spike():
    rule = IncreaseRule()
    assert spike([1, 1, 2, 1, 1, 1, 2, 1], 6, rule)[0] is True
    assert spike([5, 6, 5, 6, 5, 6, 5, 6], 0, rule)[0] is False  # a drop is not a spike
    assert spike([0, 0, 1], 9, rule)[0] is False  # three weeks: under min_weeks
    assert spike([3, 2, 3, 4, 3, 2, 3, 3], 6, rule)[0] is False  # z ≈ 2


def test_the_increase_is_a_percent_of_the_limit_rounded_half_up():
    assert increase_fen(500_000_000, IncreaseRule()) == 100_000_000
    assert increase_fen(3, IncreaseRule(increase_percent=Decimal(50))) == 2


def test_a_rule_out_of_range_is_refused():
    with pytest.raises(DomainError):
        IncreaseRule(min_weeks=20, history_weeks=12)
