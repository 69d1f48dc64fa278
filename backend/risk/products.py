"""Product limits 产品限额 the rules check a deal against.

There is no product catalogue yet; these are the limits of the two lease products we sell
today. A later product issue replaces this table, the facts stay the same.
"""

from __future__ import annotations

from decimal import Decimal

from common.decision_facts import DealLimits

LIMITS = {
    "direct_lease": DealLimits(Decimal("0.15"), 60, Decimal("2000000")),  # 直租
    "sale_leaseback": DealLimits(Decimal("0.10"), 48, Decimal("1000000")),  # 售后回租
}


def limits_for(lease_type: str) -> DealLimits:
    return LIMITS.get(lease_type, LIMITS["direct_lease"])
