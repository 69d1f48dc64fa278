"""Revenue-sharing tests run the service on a clock they move (a month must end before it is
reported) and reach the database from the test's own loop (the payment helpers' sessions)."""

from __future__ import annotations

import pytest

from tests.backend.payments.conftest import own_sessions
from tests.backend.servicing.helpers import MovableClock

__all__ = ["own_sessions"]


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()
