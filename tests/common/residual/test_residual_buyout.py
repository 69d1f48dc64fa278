"""Buy-out or return: the buy-out against the car's predicted value interval at term end."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from common.residual.buyout import advice


@pytest.mark.parametrize(
    ("total", "verdict"),
    [(D("40000"), "keep"), (D("50000"), "close"), (D("70000"), "close"), (D("70001"), "return")],
)
def test_the_verdict_follows_where_the_buyout_falls_in_the_interval(total, verdict) -> None:
    a = advice(total, D(60000), D(48000), D(70000))
    assert a.verdict == verdict and a.equity == D(60000) - total
