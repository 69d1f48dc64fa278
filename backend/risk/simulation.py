"""Simulation 规则模拟 (F14): replay the stored facts of the last N decided applications under
the active rule set and a draft (or any version), and show what would change."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import RiskDecision
from backend.risk.cache import CompiledCache, active_id
from backend.risk.rulesets import RULESET_NOT_FOUND, checked, load_version
from common.api.risk import ChangedCaseView, SimulationView
from common.errors import DomainError
from common.rules import Facts, compile_ruleset, diff_outcomes
from common.rules.facts import facts_from_builtins


async def simulate(
    db: AsyncSession, cache: CompiledCache, ruleset_id: str, last_n: int
) -> SimulationView:
    row = await load_version(db, ruleset_id)
    candidate = compile_ruleset(checked(row.body, row.number))
    current_id = await active_id(db)
    if current_id is None:
        raise RULESET_NOT_FOUND
    active_number, active = await cache.get(db, current_id)
    stored = await db.execute(
        select(RiskDecision.application_id, RiskDecision.facts)
        .order_by(RiskDecision.decided_at.desc(), RiskDecision.id)
        .limit(last_n)
    )
    ids: list[str] = []
    facts: list[Facts] = []
    for application_id, snapshot in stored.all():
        try:
            facts.append(facts_from_builtins(snapshot))
        except DomainError:  # a snapshot from an older facts schema: not comparable, skipped
            continue
        ids.append(application_id)
    result = diff_outcomes(active, candidate, facts, ids)
    return SimulationView(
        active_version=active_number,
        draft_version=row.number,
        total=result.total,
        changed_count=result.changed_count,
        approval_rate_before=str(result.approval_rate_before),
        approval_rate_after=str(result.approval_rate_after),
        outcomes_before=result.outcomes_before,
        outcomes_after=result.outcomes_after,
        changed=[
            ChangedCaseView(
                application_id=c.case_id,
                before=c.before,
                after=c.after,
                score_before=c.score_before,
                score_after=c.score_after,
                reasons_before=list(c.reasons_before),
                reasons_after=list(c.reasons_after),
            )
            for c in result.changed
        ],
    )
