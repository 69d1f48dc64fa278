"""Decide an application on submit 自动审批, in two phases: read a snapshot of our own records
and the active rule set, let go of the database, ask the providers, decide (pure:
``common.submission.decide_submission``), then one short write — a guarded
``UPDATE applications ... WHERE version = :v AND status = 'draft'``, the decision row and the
audit events. The application moves on at once (``common.status``):

approved -> ``approved``; declined -> ``declined``; referred -> ``in_review`` (the manual-review
queue, /api/reviews). An outage or a failing rule engine refers the case (see common.submission).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import msgspec
from sqlalchemy import CursorResult, Table, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.base import new_id
from backend.db.models import Application, RiskDecision, RuleSetVersion
from backend.intake.catalogue import Catalogue
from backend.providers import Providers, providers_for
from backend.residual import store as residual_store
from backend.risk import facts, rulesets
from backend.risk.cache import CompiledCache, active_id
from backend.security.pii import PiiCipher
from backend.settings import Settings
from common.api.intake import ApplicationStatus
from common.errors import Conflict
from common.products import DealLimits
from common.residual.model import ResidualModel
from common.rules import CompiledRuleSet
from common.status import transition
from common.submission import Outcome, decide_submission

log = logging.getLogger("autolease.risk")


@dataclass
class RiskEngine:
    """What a worker needs to decide: one per worker, injected as ``risk``."""

    providers: Providers
    catalogue: Catalogue
    pii: PiiCipher
    cache: CompiledCache
    residual: ResidualModel  # values the vehicle (facts vehicle.valuation*)


def engine_for(settings: Settings, pii: PiiCipher, catalogue: Catalogue) -> RiskEngine:
    """The providers the settings select (``AUTOLEASE_PROVIDERS``), a fresh cache."""
    return RiskEngine(
        providers=providers_for(settings),
        catalogue=catalogue,
        pii=pii,
        cache=CompiledCache(),  # compiled rule sets by version id, per worker
        residual=residual_store.load(),
    )


ALREADY_SUBMITTED = Conflict(
    "version_conflict",
    "申请已在别处提交或修改，请刷新后再试",
    "The application was submitted or changed elsewhere; reload and retry",
)


async def _active_ruleset(
    db: AsyncSession, engine: RiskEngine, current: str | None, family: str
) -> tuple[str, int, CompiledRuleSet | BaseException]:
    """(id, number, compiled or what compiling raised) of ``family``'s active rule set
    ``current`` (read with the snapshot)."""
    if current is None:  # a fresh database that was never seeded
        await rulesets.ensure_default(db, family)
        current = await active_id(db, family)
    assert current is not None
    try:
        number, compiled = await engine.cache.get(db, current)
    except Exception as exc:  # decided as engine_error (common.submission)
        stored = await db.scalar(select(RuleSetVersion.number).where(RuleSetVersion.id == current))
        return current, stored or 0, exc
    return current, number, compiled


async def submit(
    db: AsyncSession,
    engine: RiskEngine,
    actor: Principal,
    app: Application,
    audit_before: dict[str, Any],
    limits: DealLimits,
) -> RiskDecision:
    """Decide a complete draft and move it on; the one way intake reaches risk. ``app`` is loaded
    (customer, version, photos); ``audit_before`` is its audited state; ``limits`` are those of the
    product version it was quoted on. A concurrent submit (or
    edit) of the same draft loses the guarded UPDATE and answers 409 ``version_conflict``."""
    now = datetime.now(UTC)
    snap = await facts.snapshot(db, engine.pii, engine.catalogue, app, limits, now, engine.residual)
    ruleset_id, number, compiled = await _active_ruleset(
        db, engine, snap.own.active_ruleset_id, app.product_family
    )
    version = app.version
    # End the read transaction: no connection is held while the providers answer (SQLite has
    # one, and other users' requests need it meanwhile).
    await db.commit()
    answers, errors = await facts.ask_for(engine.providers, snap)
    outcome = decide_submission(snap.filed, snap.own, answers, errors, compiled, number, now)
    if outcome.engine_failure is not None:
        log.error(
            "rule engine failed on application %s: referred (engine_error)",
            app.id,
            exc_info=outcome.engine_failure,
        )
    return await _write(db, actor, app, version, ruleset_id, number, outcome, audit_before)


# The hot write's statements, built once; the values go as parameters.
_APPLICATIONS = cast(Table, Application.__table__)
_MOVE_ON = (
    update(_APPLICATIONS)
    .where(
        _APPLICATIONS.c.id == bindparam("app_id"),
        _APPLICATIONS.c.version == bindparam("read_version"),
        _APPLICATIONS.c.status == ApplicationStatus.DRAFT.value,
    )
    .values(
        status=bindparam("status"),
        version=bindparam("version"),
        submitted_at=bindparam("submitted_at"),
        updated_at=bindparam("updated_at"),
    )
)
_DECIDED = insert(cast(Table, RiskDecision.__table__))


async def _write(
    db: AsyncSession,
    actor: Principal,
    app: Application,
    version: int,
    ruleset_id: str,
    number: int,
    outcome: Outcome,
    audit_before: dict[str, Any],
) -> RiskDecision:
    """The short write: the guarded status change, the decision, the audit events (the request
    commits them together)."""
    decision, now = outcome.decision, outcome.at
    transition(app.status, ApplicationStatus.SUBMITTED)
    moved = await db.execute(
        _MOVE_ON,
        {
            "app_id": app.id,
            "read_version": version,
            "status": outcome.status.value,
            "version": version + 1,
            "submitted_at": now,
            "updated_at": now,
        },
    )
    if cast(CursorResult[Any], moved).rowcount != 1:
        raise ALREADY_SUBMITTED
    values = {
        "id": new_id(),
        "application_id": app.id,
        "ruleset_id": ruleset_id,
        "ruleset_number": number,
        "outcome": decision.outcome,
        "score": decision.score,
        "reasons": [msgspec.structs.asdict(r) for r in decision.reasons],
        "gates": [msgspec.structs.asdict(g) for g in decision.gates],
        "trace": msgspec.to_builtins(decision.trace),
        "facts": msgspec.to_builtins(outcome.facts),
        "provider_errors": list(outcome.provider_errors),
        "decided_at": now,
    }
    # Written at once (Core: no unit of work to flush at commit); the view reads the object.
    await db.execute(_DECIDED, values)
    row = RiskDecision(**values)
    submitted = ApplicationStatus.SUBMITTED.value
    await audit.record(
        db,
        actor=actor,
        action="application.submitted",
        entity_type="application",
        entity_id=app.id,
        before=audit_before,
        after={**audit_before, "status": submitted},
        at=now,
    )
    await audit.record(
        db,
        actor=actor,
        action="application.decided",
        entity_type="application",
        entity_id=app.id,
        before={"status": submitted},
        after={"status": outcome.status.value, "decision_id": row.id},
        detail={
            "outcome": decision.outcome,
            "score": decision.score,
            "reasons": [r.code for r in decision.reasons],
            "gates": [g.code for g in decision.gates],
            "ruleset_version": number,
            "provider_errors": list(outcome.provider_errors),
        },
        at=now,
    )
    # The loaded object shows what was written, without another round trip (nothing to flush).
    for key, value in (
        ("status", outcome.status.value),
        ("version", version + 1),
        ("submitted_at", now),
        ("updated_at", now),
        ("risk_decision", row),
        ("risk_review", None),
    ):
        set_committed_value(app, key, value)
    return row
