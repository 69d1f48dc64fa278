"""The one clock of the service. Controllers and jobs read time from it; pure code takes `as_of`.

`create_app(settings, clock=...)` lets tests and replays run the service at a chosen instant, so
nothing depends on the hour a test happens to run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def fixed_clock(at: datetime) -> Clock:
    """A clock that always answers ``at`` (an aware datetime)."""
    if at.tzinfo is None:
        raise ValueError("a clock answers aware datetimes")
    return lambda: at
