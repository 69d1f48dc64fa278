"""Decision and review rows as wire types."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm.base import NO_VALUE

from backend.db.models import Application, RiskDecision, RiskReview
from common.api.risk import DecisionView, GateView, ReasonView, ReviewView, TraceStepView


def _loaded(app: Application, name: str) -> Any:
    """A relationship's value if it is loaded; never triggers I/O (drafts have no decision)."""
    value = inspect(app).attrs[name].loaded_value
    return None if value is NO_VALUE else value


def open_gates(decision: RiskDecision, review: RiskReview | None) -> list[GateView]:
    """Verification still to do 待完成核验: none once the case is declined or a reviewer has
    decided it (the gates are kept in the decision row and its trace either way)."""
    if decision.outcome == "declined" or review is not None:
        return []
    return [GateView(**g) for g in decision.gates]


def decision_view(
    decision: RiskDecision, review: RiskReview | None, *, with_trace: bool
) -> DecisionView:
    return DecisionView(
        outcome=decision.outcome,
        score=decision.score,
        reasons=[ReasonView(**r) for r in decision.reasons],
        gates=open_gates(decision, review),
        ruleset_version=decision.ruleset_number,
        decided_at=decision.decided_at,
        provider_errors=list(decision.provider_errors or []),
        trace=[TraceStepView(*step) for step in decision.trace] if with_trace else [],
        review=ReviewView(
            decision=review.decision,
            note=review.note,
            reviewer_id=review.reviewer_id,
            decided_at=review.decided_at,
        )
        if review is not None
        else None,
    )


def decision_of(app: Application, *, with_trace: bool = False) -> DecisionView | None:
    decision = _loaded(app, "risk_decision")
    if decision is None:
        return None
    return decision_view(decision, _loaded(app, "risk_review"), with_trace=with_trace)
