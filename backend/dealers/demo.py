"""The demo's commission rules: 1.5 % of the financed amount on any product, a fixed ¥800 on a
used-car sale-and-leaseback (a smaller ticket), both clawed back on a default (60 days past due)
within six months."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from backend.dealers import commissions
from backend.products.seeded import USED_LEASEBACK
from common.api.dealers import CommissionRules
from common.commissions import CommissionBasis, CommissionRule

DEMO_RULES = [
    CommissionRule(basis=CommissionBasis.PERCENT, percent="1.5"),
    CommissionRule(product_id=USED_LEASEBACK, basis=CommissionBasis.FIXED, fixed_fen=80_000),
]


async def seed_demo_commission_rules(db: AsyncSession, now: datetime) -> bool:
    """Version 1 of the rules, when none is saved yet."""
    version, _rules = await commissions.current(db)
    if version:
        return False
    await commissions.save(db, CommissionRules(rules=DEMO_RULES, reason="演示：默认佣金规则"),
                           None, now)  # fmt: skip
    return True
