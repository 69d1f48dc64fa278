"""Adaptive region flags 地区异常标记 as risk officers see them (the job lives in backend/jobs)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import RegionFlag
from common.api.risk import RegionFlagView


def flag_view(f: RegionFlag) -> RegionFlagView:
    return RegionFlagView(
        region_code=f.region_code,
        flagged=f.flagged,
        z_score=f.z_score,
        today_count=f.today_count,
        baseline_median=f.baseline_median,
        business_date=f.business_date,
        raised_at=f.raised_at,
        cleared_at=f.cleared_at,
        updated_at=f.updated_at,
    )


async def list_flags(db: AsyncSession, flagged_only: bool = False) -> list[RegionFlagView]:
    query = select(RegionFlag).order_by(RegionFlag.flagged.desc(), RegionFlag.region_code)
    if flagged_only:
        query = query.where(RegionFlag.flagged.is_(True))
    return [flag_view(f) for f in await db.scalars(query)]
