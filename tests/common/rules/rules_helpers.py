"""Helpers for the rule-engine tests (a module, not a conftest, so its name is unique).

Every decision is taken by both the compiled rule set and the plain interpreter; they must agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from common.rules import Decision, compile_ruleset, evaluate, interpret
from common.rules.examples import example_facts, with_changes
from common.rules.model import (
    Action,
    Condition,
    DecisionTable,
    Decline,
    Derived,
    Parameter,
    Rule,
    RuleSet,
    ScoreCard,
    Text,
)


def mini_ruleset(
    rules: Sequence[Rule] = (),
    tables: Sequence[DecisionTable] = (),
    parameters: Sequence[Parameter] = (),
    derived: Sequence[Derived] = (),
    scorecard: ScoreCard | None = None,
) -> RuleSet:
    """A small rule set whose score card approves by default (base 0, lines at 0)."""
    return RuleSet(
        name="test",
        version=7,
        parameters=list(parameters),
        derived=list(derived),
        rules=list(rules),
        tables=list(tables),
        scorecard=scorecard or ScoreCard(base=0, characteristics=[], approve_min=0, refer_min=-100),
        reasons={
            "r1": Text(zh="原因一", en="reason one"),
            "r2": Text(zh="原因二", en="reason two"),
            "fast": Text(zh="快速通道", en="fast lane"),
        },
        gates={
            "g1": Text(zh="关卡一", en="gate one"),
            "g2": Text(zh="关卡二", en="gate two"),
        },
    )


def rule(rule_id: str, when: Condition, *then: Action) -> Rule:
    return Rule(id=rule_id, label=Text(zh=rule_id, en=rule_id), when=when,
                then=list(then) or [Decline(reason="r1")])  # fmt: skip


def decide(ruleset: RuleSet, changes: Mapping[str, object] | None = None) -> Decision:
    """Decide the example facts with ``changes``, compiled and interpreted; they must agree."""
    facts = with_changes(example_facts(), changes or {})
    compiled = evaluate(compile_ruleset(ruleset), facts)
    assert compiled == interpret(ruleset, facts)
    return compiled
