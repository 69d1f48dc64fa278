"""What fired rules, rows and bins do, and the trace steps they leave, prepared once per version.

The compiler builds these from the model so that a decision only picks prepared objects by index.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from common.rules.decision import Gate, Reason, TraceStep
from common.rules.model import (
    SYSTEM_REASONS,
    Action,
    AdjustScore,
    Approve,
    Characteristic,
    DecisionTable,
    Decline,
    ParamRef,
    Refer,
    RequireVerification,
    RuleSet,
)
from common.rules.values import Value


class Effects(msgspec.Struct, frozen=True):
    """What a fired rule or row does, resolved at compile time."""

    declines: tuple[Reason, ...] = ()
    refers: tuple[Reason, ...] = ()
    approves: tuple[Reason, ...] = ()
    gates: tuple[Gate, ...] = ()
    points: int = 0


NO_EFFECTS = Effects()

# (trace steps to add, effects to apply)
Outcome = tuple[tuple[TraceStep, ...], Effects]


class TablePlan(msgspec.Struct, frozen=True):
    """A table under collect / unique / priority: every row is evaluated, then one rule chooses."""

    policy: str
    # per row: (miss, hit but not applied, hit and applied)
    steps: tuple[tuple[TraceStep, TraceStep, TraceStep], ...]
    effects: tuple[Effects, ...]
    priorities: tuple[int, ...]
    default: Outcome
    conflict: Effects


def int_value(value: int | ParamRef, params: dict[str, Value]) -> int:
    got = params[value.name] if isinstance(value, ParamRef) else value
    assert type(got) is int  # validation guarantees it
    return got


def effects(
    rs: RuleSet, params: dict[str, Value], actions: Sequence[Action], source: str
) -> Effects:
    if not actions:
        return NO_EFFECTS
    lists: dict[str, list[Reason]] = {"decline": [], "refer": [], "approve": []}
    gates: list[Gate] = []
    points = 0
    for a in actions:
        if isinstance(a, Decline | Refer | Approve):
            text = rs.reasons[a.reason]
            kind = type(a).__name__.lower()
            lists[kind].append(Reason(a.reason, kind, text.zh, text.en, source))  # type: ignore[arg-type]
        elif isinstance(a, RequireVerification):
            gate = rs.gates[a.gate]
            gates.append(Gate(a.gate, gate.zh, gate.en))
        elif isinstance(a, AdjustScore):
            points += int_value(a.points, params)
    return Effects(
        tuple(lists["decline"]),
        tuple(lists["refer"]),
        tuple(lists["approve"]),
        tuple(gates),
        points,
    )


def rule_steps(rule_id: str) -> tuple[TraceStep, TraceStep]:
    """Indexed by the rule's hit (False -> 0, True -> 1)."""
    return TraceStep("rule", rule_id, False, False), TraceStep("rule", rule_id, True, True)


def _default(rs: RuleSet, params: dict[str, Value], table: DecisionTable) -> Outcome:
    source = f"{table.id}/default"
    steps = (TraceStep("default", source, True, True),) if table.default else ()
    return steps, effects(rs, params, table.default, source)


def first_hit_plan(
    rs: RuleSet, params: dict[str, Value], table: DecisionTable
) -> tuple[Outcome, ...]:
    """Indexed by the first matching row; index -1 (the last entry) when none matched."""
    ids = [f"{table.id}/{r.id}" for r in table.rows]
    plans: list[Outcome] = [
        (
            tuple(TraceStep("row", ids[j], j == k, j == k) for j in range(k + 1)),
            effects(rs, params, row.then, ids[k]),
        )
        for k, row in enumerate(table.rows)
    ]
    steps, default_effects = _default(rs, params, table)
    plans.append((tuple(TraceStep("row", i, False, False) for i in ids) + steps, default_effects))
    return tuple(plans)


def table_plan(rs: RuleSet, params: dict[str, Value], table: DecisionTable) -> TablePlan:
    ids = [f"{table.id}/{r.id}" for r in table.rows]
    text = SYSTEM_REASONS["table_conflict"]
    return TablePlan(
        policy=table.hit_policy,
        steps=tuple(
            (
                TraceStep("row", i, False, False),
                TraceStep("row", i, True, False),
                TraceStep("row", i, True, True),
            )
            for i in ids
        ),
        effects=tuple(effects(rs, params, r.then, i) for r, i in zip(table.rows, ids, strict=True)),
        priorities=tuple(r.priority for r in table.rows),
        default=_default(rs, params, table),
        conflict=Effects(refers=(Reason("table_conflict", "refer", text.zh, text.en, table.id),)),
    )


def bin_plan(ch: Characteristic) -> tuple[tuple[tuple[TraceStep, ...], int], ...]:
    """Indexed by the first matching bin; -1 (the last entry) when none matched."""
    plans = []
    for k in [*range(len(ch.bins)), -1]:
        evaluated = ch.bins[: k + 1] if k >= 0 else ch.bins
        steps = tuple(
            TraceStep("bin", f"{ch.id}/{b.id}", j == k, j == k) for j, b in enumerate(evaluated)
        )
        plans.append((steps, ch.bins[k].points if k >= 0 else 0))
    return tuple(plans)


def apply_table(
    plan: TablePlan, hits: tuple[bool, ...], trace: list[TraceStep], fired: list[Effects]
) -> None:
    """Choose rows of a collect / unique / priority table, record the trace, queue the effects."""
    matched = [i for i, h in enumerate(hits) if h]
    chosen: list[int]
    if plan.policy == "collect" or (plan.policy == "unique" and len(matched) == 1):
        chosen = matched
    elif plan.policy == "priority" and matched:
        best = matched[0]
        for i in matched[1:]:
            if plan.priorities[i] > plan.priorities[best]:
                best = i
        chosen = [best]
    else:
        chosen = []
    for i, hit in enumerate(hits):
        trace.append(plan.steps[i][2 if i in chosen else hit])
    if chosen:
        fired.extend(plan.effects[i] for i in chosen)
    elif matched:  # unique with several rows: nobody wins, a person decides
        fired.append(plan.conflict)
    else:
        trace.extend(plan.default[0])
        fired.append(plan.default[1])
