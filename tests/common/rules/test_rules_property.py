"""Property: a compiled rule set and the plain interpreter give the same decision, trace included,
on random facts: for the default rule set, and for random rule sets over every field and operator.
"""

from __future__ import annotations

import typing
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.rules import FACT_FIELDS, compile_ruleset, default_ruleset, evaluate, interpret
from common.rules.facts import OPTIONAL_SECTIONS, Facts, FieldSpec, section_type
from common.rules.model import (
    Action,
    AdjustScore,
    All,
    AnyOf,
    Approve,
    Bin,
    Cell,
    Characteristic,
    Cond,
    DecisionTable,
    Decline,
    Not,
    Refer,
    RequireVerification,
    Row,
    Rule,
    RuleSet,
    ScoreCard,
    Text,
)
from common.rules.values import OPERATORS_BY_KIND

DEFAULT = default_ruleset()
DEFAULT_COMPILED = compile_ruleset(DEFAULT)

STRINGS = ["", "VW-LAVIDA", "BYD-QIN", "440300", "110000", "SHACMAN-X3000"]
# small values near the default thresholds so that both branches of most rules are taken
INTS = st.one_of(st.integers(0, 5), st.integers(0, 100), st.integers(300, 900))
DECIMALS = st.one_of(
    st.decimals(min_value=0, max_value=2, places=2),
    st.decimals(min_value=0, max_value=500000, places=0),
    st.sampled_from([Decimal(0), Decimal("0.55"), Decimal("0.70"), Decimal("1.30"), Decimal(60)]),
)


def value_of(spec: FieldSpec) -> st.SearchStrategy[Any]:
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "int":
        return INTS
    if spec.kind == "decimal":
        return DECIMALS
    if spec.kind == "enum":
        return st.sampled_from(spec.choices)
    return st.sampled_from(STRINGS)


@st.composite
def facts(draw: st.DrawFn) -> Facts:
    sections: dict[str, dict[str, Any]] = {}
    for spec in FACT_FIELDS.values():
        sections.setdefault(spec.section, {})[spec.name] = draw(value_of(spec))
    types = typing.get_type_hints(Facts)
    built = {s: section_type(types[s])(**values) for s, values in sections.items()}
    for s in OPTIONAL_SECTIONS:  # a vehicle, an asset, both or neither: absent facts too
        if draw(st.booleans()):
            built[s] = None
    return Facts(**built)


@settings(max_examples=100, deadline=None)
@given(facts())
def test_default_ruleset_compiled_equals_interpreted(f: Facts) -> None:
    assert evaluate(DEFAULT_COMPILED, f) == interpret(DEFAULT, f)


def literal_for(spec: FieldSpec) -> st.SearchStrategy[Any]:
    if spec.kind == "decimal":
        return DECIMALS.map(str)
    return value_of(spec)


@st.composite
def cell_test(draw: st.DrawFn, spec: FieldSpec) -> tuple[Any, Any]:
    op = draw(st.sampled_from(sorted(OPERATORS_BY_KIND[spec.kind])))
    if op in ("is_true", "is_false"):
        return op, None
    if op in ("between", "not_between"):
        lo, hi = sorted([draw(value_of(spec)), draw(value_of(spec))])
        return op, [
            str(lo) if spec.kind == "decimal" else lo,
            str(hi) if spec.kind == "decimal" else hi,
        ]
    if op in ("in", "not_in"):
        return op, draw(st.lists(literal_for(spec), min_size=1, max_size=3))
    return op, draw(literal_for(spec))


SPECS = list(FACT_FIELDS.values())


@st.composite
def condition(draw: st.DrawFn, depth: int = 0) -> Any:
    if depth < 2 and draw(st.integers(0, 3)) == 0:
        kind = draw(st.sampled_from(["all", "any", "not"]))
        if kind == "not":
            return Not(of=draw(condition(depth + 1)))
        parts = draw(st.lists(condition(depth + 1), min_size=1, max_size=3))
        return All(of=parts) if kind == "all" else AnyOf(of=parts)
    spec = draw(st.sampled_from(SPECS))
    op, value = draw(cell_test(spec))
    return Cond(field=spec.path, op=op, value=value)


ACTIONS: st.SearchStrategy[Action] = st.sampled_from(
    [Decline(reason="r1"), Refer(reason="r2"), Approve(reason="r3"), RequireVerification(gate="g1"),
     RequireVerification(gate="g2"), AdjustScore(points=-25), AdjustScore(points=15)]
)  # fmt: skip


@st.composite
def table(draw: st.DrawFn, index: int) -> DecisionTable:
    inputs = draw(st.lists(st.sampled_from(SPECS), min_size=1, max_size=3))
    rows = []
    for r in range(draw(st.integers(0, 4))):
        cells: list[Cell | None] = []
        for spec in inputs:
            if draw(st.booleans()):
                cells.append(None)
            else:
                op, value = draw(cell_test(spec))
                cells.append(Cell(op=op, value=value))
        rows.append(Row(id=f"r{r}", cells=cells, then=draw(st.lists(ACTIONS, max_size=2)),
                        priority=draw(st.integers(0, 2))))  # fmt: skip
    return DecisionTable(
        id=f"t{index}", label=Text(zh="表", en="t"), inputs=[s.path for s in inputs],
        hit_policy=draw(st.sampled_from(["first", "collect", "unique", "priority"])),
        rows=rows, default=draw(st.lists(ACTIONS, max_size=1)),
    )  # fmt: skip


@st.composite
def characteristic(draw: st.DrawFn, index: int) -> Characteristic:
    spec = draw(st.sampled_from(SPECS))
    bins = []
    for b in range(draw(st.integers(1, 3))):
        op, value = draw(cell_test(spec))
        bins.append(Bin(id=f"b{b}", op=op, value=value, points=draw(st.integers(-50, 50))))
    if draw(st.booleans()):
        bins.append(Bin(id="other", points=draw(st.integers(-50, 50))))
    return Characteristic(id=f"c{index}", field=spec.path, bins=bins)


@st.composite
def rulesets(draw: st.DrawFn) -> RuleSet:
    n_rules = draw(st.integers(0, 6))
    rules = [
        Rule(id=f"rule{i}", label=Text(zh="规则", en="rule"), when=draw(condition()),
             then=draw(st.lists(ACTIONS, min_size=1, max_size=2)), enabled=draw(st.booleans()))
        for i in range(n_rules)
    ]  # fmt: skip
    tables = [draw(table(i)) for i in range(draw(st.integers(0, 3)))]
    chars = [draw(characteristic(i)) for i in range(draw(st.integers(0, 3)))]
    return RuleSet(
        name="random", rules=rules, tables=tables,
        scorecard=ScoreCard(base=0, characteristics=chars, approve_min=20, refer_min=-20),
        reasons={c: Text(zh=c, en=c) for c in ("r1", "r2", "r3")},
        gates={g: Text(zh=g, en=g) for g in ("g1", "g2")},
    )  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rulesets(), st.lists(facts(), min_size=1, max_size=3))
def test_random_ruleset_compiled_equals_interpreted(rs: RuleSet, cases: list[Facts]) -> None:
    compiled = compile_ruleset(rs)
    for f in cases:
        assert evaluate(compiled, f) == interpret(rs, f)
