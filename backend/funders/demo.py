"""The demo's co-lending agreement: 示范银行 funds 80 % of each lease it takes at 4.2 % a year.
Seeded before the demo leases are funded, so they are co-lent and the bank's portfolio (its
`funder` user, its API key) shows them with their repayments allocated."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from backend.funders import agreements
from common.api.funders import AgreementBody

DEMO_FUNDER = "org-funder"
DEMO_AGREEMENT = AgreementBody(
    share_percent="80", yield_percent="4.2", reason="演示：联合贷款协议（出资80%，年化收益4.2%）"
)


async def seed_demo_agreement(db: AsyncSession, now: datetime) -> None:
    if await agreements.in_force(db, DEMO_FUNDER) is None:
        await agreements.save(db, DEMO_FUNDER, DEMO_AGREEMENT, None, now)
