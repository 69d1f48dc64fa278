"""Simulation 规则模拟 (F14): replay the stored facts of the last N decided applications of a
product family under its active rule set and a draft (or any version) of the same family, and
show what would change."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Application, CustomerVersion, RiskDecision
from backend.intake.catalogue import Catalogue
from backend.risk.cache import CompiledCache, active_id
from backend.risk.rulesets import RULESET_NOT_FOUND, checked, load_version
from common.api.risk import ChangedCaseView, SimulationView
from common.errors import DomainError
from common.rules import Facts, compile_ruleset, diff_outcomes
from common.rules.facts import facts_from_builtins


@dataclass(frozen=True)
class CaseOf:
    """What identifies a replayed case to a person (never its raw id)."""

    customer_name: str | None
    maker: str | None
    model_name: str | None
    model_year: int | None


async def simulate(
    db: AsyncSession, cache: CompiledCache, catalogue: Catalogue, ruleset_id: str, last_n: int
) -> SimulationView:
    row = await load_version(db, ruleset_id)
    candidate = compile_ruleset(checked(row.body, row.number))
    current_id = await active_id(db, row.family)  # a version is compared within its family
    if current_id is None:
        raise RULESET_NOT_FOUND
    active_number, active = await cache.get(db, current_id)
    stored = await db.execute(
        select(
            RiskDecision.application_id,
            RiskDecision.facts,
            CustomerVersion.name_masked,
            Application.maker,
            Application.catalogue_model_id,
            Application.model_year,
        )
        .join(Application, Application.id == RiskDecision.application_id)
        .where(Application.product_family == row.family)
        .outerjoin(CustomerVersion, CustomerVersion.id == Application.customer_version_id)
        .order_by(RiskDecision.decided_at.desc(), RiskDecision.id)
        .limit(last_n)
    )
    ids: list[str] = []
    facts: list[Facts] = []
    cases: dict[str, CaseOf] = {}
    for application_id, snapshot, name, maker, model_id, year in stored.all():
        try:
            facts.append(facts_from_builtins(snapshot))
        except DomainError:  # a snapshot from an older facts schema: not comparable, skipped
            continue
        ids.append(application_id)
        model = catalogue.get(model_id) if model_id else None
        cases[application_id] = CaseOf(
            name, model.maker if model else maker, model.name if model else None, year
        )
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
                customer_name=cases[c.case_id].customer_name,
                maker=cases[c.case_id].maker,
                model_name=cases[c.case_id].model_name,
                model_year=cases[c.case_id].model_year,
            )
            for c in result.changed
        ],
    )
