"""Wire types of residual value 残值预测: a valuation's drivers and path, and a floor-plan unit's
best time to sell 最佳出手时机."""

from __future__ import annotations

from datetime import date

import msgspec

from common.residual.vehicle import Accident as Accident  # re-exported for the wire
from common.residual.vehicle import Condition as Condition


class ValuationDriver(msgspec.Struct, kw_only=True):
    """What one factor adds to (or, negative, takes off) the value, against the same model
    nearly new."""

    factor: str  # age | mileage | condition | accident | battery | region
    label: str  # Chinese, for the screen
    effect: str  # yuan, signed


class ValuationPoint(msgspec.Struct, kw_only=True):
    on: date
    value: str
    low: str
    high: str


class SellMonth(msgspec.Struct, kw_only=True):
    """Selling the unit `months` from today: what it fetches, what holding it cost till then
    (the floor plan's interest, curtailments paid meanwhile) and what selling leaves."""

    months: int
    on: date
    value: str  # the median sale price
    low: str
    high: str
    interest: str  # interest from today to `on`, curtailments paid on their days
    curtailments: str  # principal the plan asks to repay before `on` (cash tied up, not cost)
    net: str  # value - interest: what selling then brings, before the principal
    gain: str  # net - the net of selling today


class SellTiming(msgspec.Struct, kw_only=True):
    vin: str
    model_id: str | None  # the catalogue model matched; None: valued on the invoice
    model_version: str
    as_of: date
    best_months: int  # 0: sell now
    best_on: date
    hold_until: date  # the month holding stops paying: after it, every month costs more
    months: list[SellMonth]
    note: str  # in Chinese: why that month
