"""Simulation 规则模拟: replay decided cases under a draft and show what would change (F14)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal

import msgspec

from common.rules.compiler import CompiledRuleSet
from common.rules.decision import Decision, Outcome
from common.rules.evaluator import evaluate
from common.rules.facts import Facts

_RATE_PLACES = Decimal("0.0001")


class ChangedCase(msgspec.Struct, frozen=True):
    index: int  # position in the replayed list
    case_id: str
    before: Outcome
    after: Outcome
    score_before: int
    score_after: int
    reasons_before: tuple[str, ...]  # reason codes
    reasons_after: tuple[str, ...]


class SimulationResult(msgspec.Struct, frozen=True):
    total: int
    changed_count: int
    approval_rate_before: Decimal  # share approved, 4 places, 0 for an empty replay
    approval_rate_after: Decimal
    outcomes_before: dict[str, int]
    outcomes_after: dict[str, int]
    changed: tuple[ChangedCase, ...]


def diff_outcomes(
    old: CompiledRuleSet,
    new: CompiledRuleSet,
    facts_list: Sequence[Facts],
    case_ids: Sequence[str] | None = None,
) -> SimulationResult:
    """Decide every case under both rule sets; a case has changed when its outcome differs."""
    if case_ids is not None and len(case_ids) != len(facts_list):
        raise ValueError("case_ids must match facts_list one to one")
    before_counts = dict.fromkeys(("approved", "referred", "declined"), 0)
    after_counts = dict(before_counts)
    changed: list[ChangedCase] = []
    for i, facts in enumerate(facts_list):
        a, b = evaluate(old, facts), evaluate(new, facts)
        before_counts[a.outcome] += 1
        after_counts[b.outcome] += 1
        if a.outcome != b.outcome:
            changed.append(_changed(i, case_ids[i] if case_ids else str(i), a, b))
    total = len(facts_list)
    return SimulationResult(
        total=total,
        changed_count=len(changed),
        approval_rate_before=_rate(before_counts["approved"], total),
        approval_rate_after=_rate(after_counts["approved"], total),
        outcomes_before=before_counts,
        outcomes_after=after_counts,
        changed=tuple(changed),
    )


def _changed(index: int, case_id: str, a: Decision, b: Decision) -> ChangedCase:
    return ChangedCase(
        index=index,
        case_id=case_id,
        before=a.outcome,
        after=b.outcome,
        score_before=a.score,
        score_after=b.score,
        reasons_before=tuple(r.code for r in a.reasons),
        reasons_after=tuple(r.code for r in b.reasons),
    )


def _rate(count: int, total: int) -> Decimal:
    if total == 0:
        return Decimal(0).quantize(_RATE_PLACES)
    return (Decimal(count) / Decimal(total)).quantize(_RATE_PLACES, rounding=ROUND_HALF_EVEN)
