"""Daily partitions of `positions` on PostgreSQL (`positions_YYYYMMDD`), made ahead of the days
that need them; fixes of a day without one land in `positions_default` (a partition for such a
day can then not be made — it is skipped, the rows stay reachable through the parent)."""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger(__name__)
NAME = re.compile(r"^positions_(\d{8}|default)$")
AHEAD_DAYS = 7


def is_partition(table_name: str) -> bool:
    """A partition of `positions` (not in the models: schema comparisons skip it)."""
    return bool(NAME.match(table_name))


async def ensure(db: AsyncSession, today: date, ahead: int = AHEAD_DAYS) -> int:
    """Make the partitions of yesterday to `ahead` days on (UTC days); how many were new."""
    if db.get_bind().dialect.name != "postgresql":
        return 0
    made = 0
    for k in range(-1, ahead + 1):
        day = today + timedelta(days=k)
        start = datetime.combine(day, datetime.min.time())
        end = start + timedelta(days=1)
        name = f"positions_{day:%Y%m%d}"
        exists = await db.scalar(text("SELECT to_regclass(:n) IS NOT NULL"), {"n": name})
        if exists:
            continue
        try:
            async with db.begin_nested():
                await db.execute(text(
                    f"CREATE TABLE {name} PARTITION OF positions FOR VALUES FROM "
                    f"('{start:%Y-%m-%d %H:%M:%S}') TO ('{end:%Y-%m-%d %H:%M:%S}')"
                ))  # fmt: skip
            made += 1
        except Exception:  # rows of that day already sit in the default partition
            log.warning("positions partition %s not made: the default partition holds its rows",
                        name)  # fmt: skip
    return made


def utc_today() -> date:
    return datetime.now(UTC).date()
