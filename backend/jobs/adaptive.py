"""Adaptive-mode job 自适应模式 (F12): flag regions whose used-car application volume today departs
from their recent baseline (robust z-score, `common.rules.region_volume_anomaly`).

A region's volume is the number of submitted used-car applications per business day
(Asia/Shanghai), by the customer's stated region (else the shop's). Its baseline is the days since
the region was first seen in the window, up to yesterday; a region with no application left in the
window clears. Raising and clearing a flag are audited; running the job again with the same data
changes nothing. On many nodes, existing flags are updated under a row lock and a region flagged for
the first time by two nodes at once loses on the primary key on one of them, which then retries
on its next run.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.audit import service as audit
from backend.clock import Clock
from backend.db.models import Application, CustomerVersion, Organisation, RegionFlag
from backend.risk.facts import NOT_COUNTED
from common.business_day import BUSINESS_TZ, business_day_start
from common.rules import region_volume_anomaly

log = logging.getLogger("autolease.jobs.adaptive")


@dataclass(frozen=True)
class AdaptiveConfig:
    threshold: float = 3.5  # |robust z| beyond this flags the region
    baseline_days: int = 28
    min_history: int = 7  # days of baseline before a region can be flagged


@dataclass(frozen=True)
class RegionVolume:
    region_code: str
    history: list[int]  # oldest first, up to yesterday
    today: int


async def daily_volumes(db: AsyncSession, now: datetime, baseline_days: int) -> list[RegionVolume]:
    today_start = business_day_start(now)
    since = today_start - timedelta(days=baseline_days)
    rows = await db.execute(
        select(Application.submitted_at, CustomerVersion.region_code, Organisation.region_code)
        .outerjoin(CustomerVersion, CustomerVersion.id == Application.customer_version_id)
        .join(Organisation, Organisation.id == Application.organisation_id)
        .where(
            Application.is_new.is_(False),
            Application.status.not_in(NOT_COUNTED),
            Application.submitted_at >= since,
            Application.submitted_at <= now,
        )
    )
    per_region: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for submitted_at, stated, shop in rows.all():
        if submitted_at is None:  # excluded by the query; keeps the type checker honest
            continue
        region = stated or shop or "000000"
        per_region[region][submitted_at.astimezone(BUSINESS_TZ).date()] += 1
    today = today_start.date()
    out = []
    for region, days in sorted(per_region.items()):
        first = min(days)
        span = (today - first).days
        history = [days.get(first + timedelta(days=i), 0) for i in range(span)]
        out.append(RegionVolume(region, history, days.get(today, 0)))
    return out


async def run_adaptive(
    db: AsyncSession, now: datetime, config: AdaptiveConfig | None = None
) -> list[RegionFlag]:
    """Recompute every region's flag as of ``now``; commits. Returns the changed flags."""
    config = config or AdaptiveConfig()
    volumes = {v.region_code: v for v in await daily_volumes(db, now, config.baseline_days)}
    existing = {f.region_code: f for f in await db.scalars(select(RegionFlag).with_for_update())}
    business_date = now.astimezone(BUSINESS_TZ).date().isoformat()
    changed: list[RegionFlag] = []
    for region in sorted(set(volumes) | set(existing)):
        volume = volumes.get(region, RegionVolume(region, [], 0))
        flagged, z = region_volume_anomaly(
            volume.history, volume.today, config.threshold, min_history=config.min_history
        )
        row = existing.get(region)
        if row is None:
            if not flagged:
                continue  # quiet regions get no row until they are first flagged
            row = RegionFlag(region_code=region, flagged=False, raised_at=None, cleared_at=None)
            db.add(row)
        was = row.flagged
        row.flagged, row.z_score, row.today_count = flagged, str(z), volume.today
        row.baseline_median = str(median(volume.history)) if volume.history else "0"
        row.business_date, row.updated_at = business_date, now
        if flagged != was:
            if flagged:
                row.raised_at, row.cleared_at = now, None
            else:
                row.cleared_at = now
            changed.append(row)
            await audit.record(
                db,
                actor=None,
                action="region_flag.raised" if flagged else "region_flag.cleared",
                entity_type="region_flag",
                entity_id=region,
                before={"flagged": was},
                after={"flagged": flagged},
                detail={
                    "z": str(z),
                    "today": volume.today,
                    "baseline_median": row.baseline_median,
                    "threshold": config.threshold,
                    "business_date": business_date,
                },
                at=now,
            )
    try:
        await db.commit()
    except IntegrityError:  # another node flagged the same new region first
        await db.rollback()
        log.info("adaptive job lost a race with another node; it will retry on its next run")
        return []
    return changed


async def run_periodically(
    sessionmaker: async_sessionmaker[AsyncSession],
    interval_s: float,
    clock: Clock,
    config: AdaptiveConfig | None = None,
) -> None:
    """The in-process schedule: every ``interval_s`` seconds, until cancelled."""

    while True:
        await asyncio.sleep(interval_s)
        try:
            async with sessionmaker() as db:
                await run_adaptive(db, clock(), config)
        except Exception:  # a failed run must not stop the schedule
            log.exception("adaptive job run failed")
