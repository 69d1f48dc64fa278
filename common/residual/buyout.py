"""Buy-out against the car's value 留购与残值: at the end of the term the lessee may pay the
buy-out (the balloon, what is left, the 留购价) and keep the car, or hand it back. What the car
is predicted to be worth then tells which is better; the contract's figures stay as they are."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal


@dataclass(frozen=True, slots=True)
class BuyoutAdvice:
    equity: Decimal  # the car's median value less the buy-out: what keeping it is worth
    verdict: Literal["keep", "return", "close"]
    note: str  # Chinese


def advice(buyout_total: Decimal, value: Decimal, low: Decimal, high: Decimal) -> BuyoutAdvice:
    """Keep when even the interval's low end is above the buy-out; return when even its high
    end is below; close otherwise."""
    equity = value - buyout_total
    if low > buyout_total:
        return BuyoutAdvice(equity, "keep", "留购划算：车辆到期预计价值的低值也高于留购金额。")
    if high < buyout_total:
        return BuyoutAdvice(equity, "return", "退车更合算：车辆到期预计价值的高值也低于留购金额。")
    return BuyoutAdvice(equity, "close", "留购金额在车辆到期预计价值区间之内，两种选择相差不大。")
