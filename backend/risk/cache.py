"""The active rule set, per decision, on every worker 规则集热更新.

Each decision reads the active version's id of its product family (one row by a unique key:
cheap) and takes the compiled
rule set from a per-process cache keyed by that id. Published versions never change, so the cache
needs no invalidation: a publish or rollback on any worker is seen by the next decision here.
"""

from __future__ import annotations

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import ActiveRuleSet, RuleSetVersion
from common.rules import CompiledRuleSet, RuleSet, compile_ruleset

ACTIVE_ROW = 1  # the vehicle family's row, as before families
VEHICLE = "vehicle"


class CompiledCache:
    def __init__(self, limit: int = 64) -> None:
        self._by_id: dict[str, tuple[int, CompiledRuleSet]] = {}
        self._limit = limit

    async def get(self, db: AsyncSession, ruleset_id: str) -> tuple[int, CompiledRuleSet]:
        """(version number, compiled) of one stored version; compiled once per process."""
        hit = self._by_id.get(ruleset_id)
        if hit is not None:
            return hit
        row = await db.get(RuleSetVersion, ruleset_id)
        if row is None:
            raise LookupError(ruleset_id)
        compiled = compile_ruleset(msgspec.convert(row.body, RuleSet))
        entry = (row.number, compiled)
        if row.status == "published":  # drafts change; only frozen versions are kept
            if len(self._by_id) >= self._limit:
                self._by_id.pop(next(iter(self._by_id)))
            self._by_id[ruleset_id] = entry
        return entry


async def active_id(db: AsyncSession, family: str = VEHICLE) -> str | None:
    """The id of the rule set that decides ``family``'s applications."""
    return await db.scalar(select(ActiveRuleSet.ruleset_id).where(ActiveRuleSet.family == family))
