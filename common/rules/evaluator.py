"""Decide 决策: facts in, `Decision` out, with a compiled rule set.

Order: derived values, then every enabled rule, then each decision table, then the score card.
Outcome: any decline -> declined; else any approve (fast lane) -> approved; else any refer ->
referred; else by score: >= approve_min approved, >= refer_min referred (``score_refer``), below
declined (``score_too_low``). Verification gates are required whatever the outcome.
Reasons are listed declines first, then referrals, then approvals, each code once.
"""

from __future__ import annotations

from typing import TypeVar

from common.rules.compiler import CompiledRuleSet
from common.rules.decision import Decision, Gate, Outcome, Reason, TraceStep
from common.rules.facts import Facts
from common.rules.model import SYSTEM_REASONS
from common.rules.plans import Effects


def evaluate(compiled: CompiledRuleSet, facts: Facts) -> Decision:
    trace, fired, score = compiled.decide(facts)
    return _resolve(compiled, fired, score, tuple(trace))


def _resolve(
    compiled: CompiledRuleSet, fired: list[Effects], score: int, trace: tuple[TraceStep, ...]
) -> Decision:
    declines: list[Reason] = []
    refers: list[Reason] = []
    approves: list[Reason] = []
    gates: list[Gate] = []
    for e in fired:
        if e.declines:
            declines.extend(e.declines)
        if e.refers:
            refers.extend(e.refers)
        if e.approves:
            approves.extend(e.approves)
        if e.gates:
            gates.extend(e.gates)
        score += e.points
    outcome: Outcome
    if declines:
        outcome = "declined"
    elif approves:
        outcome = "approved"
    elif refers:
        outcome = "referred"
    elif score >= compiled.approve_min:
        outcome = "approved"
    elif score >= compiled.refer_min:
        outcome = "referred"
        refers.append(_system("score_refer", "refer"))
    else:
        outcome = "declined"
        declines.append(_system("score_too_low", "decline"))
    return Decision(
        outcome=outcome,
        score=score,
        reasons=_once(declines + refers + approves),
        gates=_once(gates),
        trace=trace,
        ruleset_version=compiled.version,
    )


def _system(code: str, kind: str) -> Reason:
    text = SYSTEM_REASONS[code]
    return Reason(code, kind, text.zh, text.en, "scorecard")  # type: ignore[arg-type]


_T = TypeVar("_T", Reason, Gate)


def _once(items: list[_T]) -> tuple[_T, ...]:
    if len(items) < 2:
        return tuple(items)
    seen: set[str] = set()
    out: list[_T] = []
    for item in items:
        if item.code not in seen:
            seen.add(item.code)
            out.append(item)
    return tuple(out)
