"""Decide an application on submit 自动审批: facts -> the active rule set -> outcome, stored with
the facts snapshot and the trace, audited; the application moves on at once.

approved -> ``approved``; declined -> ``declined``; referred -> ``in_review`` (the manual-review
queue, /api/reviews). A provider that did not answer turns an approval into a referral
(``provider_unavailable``): an outage never approves and never declines on its own. A rule engine
that fails (a rule set that does not compile or evaluate, a score beyond what can be stored) refers
the case too (``engine_error``, logged): a decision never answers 500 and never leaves a draft.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import Application, RiskDecision, RuleSetVersion
from backend.intake.catalogue import Catalogue
from backend.providers import Providers, providers_for
from backend.risk import rulesets
from backend.risk.cache import CompiledCache, active_id
from backend.risk.facts import assemble
from backend.security.pii import PiiCipher
from backend.settings import Settings
from common.api.limits import INT32_MAX
from common.rules import CompiledRuleSet, Decision, Facts, Reason, evaluate
from common.rules.model import SYSTEM_REASONS

log = logging.getLogger("autolease.risk")

STATUS_FOR = {"approved": "approved", "declined": "declined", "referred": "in_review"}
PROVIDER_UNAVAILABLE = Reason(
    "provider_unavailable",
    "refer",
    "外部数据源暂时无法查询，转人工审核",
    "An external data source did not answer; referred to a person",
    "providers",
)
ENGINE_ERROR = Reason(
    "engine_error",
    "refer",
    SYSTEM_REASONS["engine_error"].zh,  # reserved: a rule set cannot define it
    SYSTEM_REASONS["engine_error"].en,
    "engine",
)


@dataclass
class RiskEngine:
    """What a worker needs to decide: kept on ``app.state.risk``."""

    providers: Providers
    catalogue: Catalogue
    pii: PiiCipher
    cache: CompiledCache


def engine_for(settings: Settings, pii: PiiCipher, catalogue: Catalogue) -> RiskEngine:
    """The providers the settings select (``AUTOLEASE_PROVIDERS``), a fresh cache."""
    return RiskEngine(
        providers=providers_for(settings),
        catalogue=catalogue,
        pii=pii,
        cache=CompiledCache(),  # compiled rule sets by version id, per worker
    )


def with_outages(decision: Decision, errors: tuple[str, ...]) -> Decision:
    if not errors or decision.outcome == "declined":
        return decision
    return msgspec.structs.replace(
        decision, outcome="referred", reasons=(*decision.reasons, PROVIDER_UNAVAILABLE)
    )


@dataclass(frozen=True)
class Assessment:
    """What the rule engine concluded, before anything is written."""

    decision: Decision
    facts: Facts  # the snapshot stored with the decision (simulation replays it)
    provider_errors: tuple[str, ...]
    ruleset_id: str
    ruleset_number: int
    at: datetime


async def assess(db: AsyncSession, engine: RiskEngine, app: Application) -> Assessment:
    """Gather the facts (providers answer here, so this can take a while) and decide; reads only,
    so no lock is held while providers are asked."""
    now = datetime.now(UTC)
    assembled = await assemble(db, engine.pii, engine.catalogue, engine.providers, app, now)
    current = await active_id(db)
    if current is None:  # a fresh database that was never seeded
        await rulesets.ensure_default(db)
        current = await active_id(db)
    assert current is not None
    try:
        number, compiled = await engine.cache.get(db, current)
        decision = _decide(compiled, assembled.facts)
    except Exception:  # whatever the engine raised, a person decides; never a 500
        log.exception("rule engine failed on application %s: referred (engine_error)", app.id)
        number = (
            await db.scalar(select(RuleSetVersion.number).where(RuleSetVersion.id == current))
        ) or 0
        decision = Decision("referred", 0, (ENGINE_ERROR,), (), (), number)
    decision = with_outages(decision, assembled.provider_errors)
    return Assessment(decision, assembled.facts, assembled.provider_errors, current, number, now)


def _decide(compiled: CompiledRuleSet, facts: Facts) -> Decision:
    decision = evaluate(compiled, facts)
    if not -INT32_MAX <= decision.score <= INT32_MAX:  # risk_decisions.score is an INTEGER
        raise OverflowError(f"score {decision.score} does not fit the decision's column")
    return decision


async def record(
    db: AsyncSession, app: Application, actor: Principal | None, assessed: Assessment
) -> RiskDecision:
    """Store the decision, move the application on and audit it, in the caller's transaction."""
    decision, now = assessed.decision, assessed.at
    row = RiskDecision(
        application_id=app.id,
        ruleset_id=assessed.ruleset_id,
        ruleset_number=assessed.ruleset_number,
        outcome=decision.outcome,
        score=decision.score,
        reasons=[msgspec.structs.asdict(r) for r in decision.reasons],
        gates=[msgspec.structs.asdict(g) for g in decision.gates],
        trace=msgspec.to_builtins(decision.trace),
        facts=msgspec.to_builtins(assessed.facts),
        provider_errors=list(assessed.provider_errors),
        decided_at=now,
    )
    app.risk_decision = row  # type: ignore[attr-defined]  # backref from RiskDecision
    before_status = app.status
    app.status = STATUS_FOR[decision.outcome]
    db.add(row)
    await db.flush()
    await audit.record(
        db,
        actor=actor,
        action="application.decided",
        entity_type="application",
        entity_id=app.id,
        before={"status": before_status},
        after={"status": app.status, "decision_id": row.id},
        detail={
            "outcome": decision.outcome,
            "score": decision.score,
            "reasons": [r.code for r in decision.reasons],
            "gates": [g.code for g in decision.gates],
            "ruleset_version": assessed.ruleset_number,
            "provider_errors": list(assessed.provider_errors),
        },
        at=now,
    )
    return row
