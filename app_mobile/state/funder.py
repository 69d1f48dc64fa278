"""What the funder's home draws: the twelve months of repayments allocated to its share."""

from __future__ import annotations

from decimal import Decimal

from app_mobile.state.dealer import Series, _series
from common.api.funders import Portfolio


def received_yuan(portfolio: Portfolio) -> Series:
    """Principal plus yield allocated to the funder per month, in 元."""
    months = portfolio.months
    return _series(
        [m.month for m in months], [Decimal(m.principal) + Decimal(m.yield_) for m in months]
    )
