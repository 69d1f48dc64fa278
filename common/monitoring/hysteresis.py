"""Outside-the-corridor (or region) with hysteresis: an alert opens only after `open_fixes`
consecutive believed fixes outside, or after `open_minutes` outside (at least two fixes that far
apart, all outside); it closes after `close_fixes` consecutive fixes back inside. Fixes are fed
in time order; the state is plain data, stored per terminal and rule so it survives a restart.
One bad fix never alarms: implausible fixes are not fed, and one fix outside is not enough
unless a contract type asks for it (open_fixes=1)."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

import msgspec


class Hysteresis(msgspec.Struct, frozen=True, kw_only=True):
    open_fixes: int = 3
    open_minutes: float = 5.0
    close_fixes: int = 2

    def __post_init__(self) -> None:
        if self.open_fixes < 1 or self.close_fixes < 1 or self.open_minutes <= 0:
            raise ValueError("hysteresis needs positive counts and minutes")


class Edge(StrEnum):
    OPENED = "opened"
    CLOSED = "closed"


class Outside(msgspec.Struct, kw_only=True):
    """Where a rule stands for one terminal."""

    alerting: bool = False
    run: int = 0  # consecutive fixes on the other side (outside while calm, inside while alerting)
    since: datetime | None = None  # the first of them
    last_at: datetime | None = None  # the last fix fed


def step(state: Outside, rule: Hysteresis, at: datetime, inside: bool) -> Edge | None:
    """Feed one believed fix (in time order; an older one than the last is ignored)."""
    if state.last_at is not None and at <= state.last_at:
        return None
    state.last_at = at
    if not state.alerting:
        if inside:
            state.run, state.since = 0, None
            return None
        state.run += 1
        state.since = state.since or at
        long_enough = state.run >= 2 and at - state.since >= timedelta(minutes=rule.open_minutes)
        if state.run >= rule.open_fixes or long_enough:
            state.alerting, state.run, state.since = True, 0, None
            return Edge.OPENED
        return None
    if not inside:
        state.run, state.since = 0, None
        return None
    state.run += 1
    state.since = state.since or at
    if state.run >= rule.close_fixes:
        state.alerting, state.run, state.since = False, 0, None
        return Edge.CLOSED
    return None
