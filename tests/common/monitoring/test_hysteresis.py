"""A corridor alert opens after N consecutive fixes outside or T minutes outside, closes after M
back inside; one stray fix never alarms; out-of-order fixes are not fed twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from common.monitoring.hysteresis import Edge, Hysteresis, Outside, step

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
RULE = Hysteresis(open_fixes=3, open_minutes=5, close_fixes=2)


def feed(pattern: str, every_s: int = 30, rule: Hysteresis = RULE) -> list[Edge | None]:
    """'i' inside, 'o' outside, one fix every `every_s` seconds."""
    state = Outside()
    return [step(state, rule, T0 + timedelta(seconds=k * every_s), c == "i")
            for k, c in enumerate(pattern)]  # fmt: skip


def test_three_fixes_outside_open_and_two_back_inside_close() -> None:
    edges = feed("iiooo" + "ii")
    assert edges == [None, None, None, None, Edge.OPENED, None, Edge.CLOSED]


def test_one_stray_fix_outside_never_alarms() -> None:
    assert set(feed("iioiioiioii")) == {None}


def test_two_fixes_five_minutes_apart_outside_open_by_time() -> None:
    assert feed("ioo", every_s=301) == [None, None, Edge.OPENED]


def test_one_fix_back_inside_while_alerting_does_not_close() -> None:
    assert feed("ooo" + "io" + "ii")[3:] == [None, None, None, Edge.CLOSED]


def test_a_fix_older_than_the_last_is_ignored() -> None:
    state = Outside()
    for k in range(3):
        step(state, RULE, T0 + timedelta(minutes=k), False)
    assert state.alerting
    assert step(state, RULE, T0, True) is None and state.alerting


@given(st.text(alphabet="io", max_size=60))
def test_edges_alternate_and_each_open_follows_enough_outside(pattern: str) -> None:
    edges = [e for e in feed(pattern) if e is not None]
    assert edges == [Edge.OPENED, Edge.CLOSED] * (len(edges) // 2) + [Edge.OPENED] * (
        len(edges) % 2
    )
    assert ("ooo" in pattern) == (Edge.OPENED in edges)
