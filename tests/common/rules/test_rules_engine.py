"""The engine: every operator, groups, actions and outcome precedence, hit policies, traces."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rules_helpers import decide, mini_ruleset, rule

from common.rules import TraceStep, compile_ruleset, evaluate
from common.rules.examples import example_facts
from common.rules.model import (
    AdjustScore,
    All,
    AnyOf,
    Approve,
    Bin,
    Calc,
    Cell,
    Characteristic,
    Cond,
    DecisionTable,
    Derived,
    FieldRef,
    Not,
    Parameter,
    ParamRef,
    Refer,
    RequireVerification,
    Row,
    ScoreCard,
    Text,
)

# example facts: bureau.score 705, debt_to_income 0.28, vehicle_type passenger,
# model_code VW-LAVIDA-2021, bureau.missing False, region 440300
OPERATOR_CASES = [
    ("bureau.score", "eq", 705, True),
    ("bureau.score", "eq", 704, False),
    ("bureau.score", "ne", 704, True),
    ("bureau.score", "lt", 706, True),
    ("bureau.score", "lt", 705, False),
    ("bureau.score", "le", 705, True),
    ("bureau.score", "gt", 705, False),
    ("bureau.score", "gt", 704, True),
    ("bureau.score", "ge", 705, True),
    ("bureau.score", "between", [700, 705], True),
    ("bureau.score", "between", [706, 800], False),
    ("bureau.score", "not_between", [700, 705], False),
    ("bureau.score", "not_between", [300, 704], True),
    ("bureau.score", "in", [1, 705], True),
    ("bureau.score", "not_in", [1, 705], False),
    ("applicant.debt_to_income", "eq", "0.280", True),
    ("applicant.debt_to_income", "lt", 0.29, True),
    ("applicant.debt_to_income", "ge", 1, False),
    ("applicant.debt_to_income", "between", ["0.28", "0.28"], True),
    ("applicant.debt_to_income", "in", ["0.1", "0.28"], True),
    ("bureau.missing", "is_false", None, True),
    ("bureau.missing", "is_true", None, False),
    ("bureau.missing", "eq", False, True),
    ("bureau.missing", "ne", False, False),
    ("vehicle.vehicle_type", "eq", "passenger", True),
    ("vehicle.vehicle_type", "ne", "passenger", False),
    ("vehicle.vehicle_type", "in", ["nev", "passenger"], True),
    ("vehicle.vehicle_type", "not_in", ["nev", "cold_chain"], True),
    ("vehicle.model_code", "starts_with", "VW-", True),
    ("vehicle.model_code", "starts_with", ["BYD", "VW"], True),
    ("vehicle.model_code", "starts_with", "BYD", False),
    ("region.code", "in", ["440300", "110000"], True),
    ("region.code", "not_in", ["440300"], False),
]


@pytest.mark.parametrize(("field", "op", "value", "fires"), OPERATOR_CASES)
def test_every_operator(field: str, op: str, value: object, fires: bool) -> None:
    rs = mini_ruleset([rule("r", Cond(field=field, op=op, value=value))])  # type: ignore[arg-type]
    d = decide(rs)
    assert d.trace == (TraceStep("rule", "r", fires, fires),)
    assert d.outcome == ("declined" if fires else "approved")


def test_groups_all_any_not() -> None:
    yes = Cond(field="bureau.score", op="gt", value=700)
    no = Cond(field="bureau.missing", op="is_true")
    rs = mini_ruleset(
        [
            rule("all_true", All(of=[yes, Not(of=no)])),
            rule("all_false", All(of=[yes, no])),
            rule("any_true", AnyOf(of=[no, yes])),
            rule("any_false", AnyOf(of=[no, Not(of=yes)])),
        ]
    )
    hits = {s.id: s.hit for s in decide(rs).trace}
    assert hits == {"all_true": True, "all_false": False, "any_true": True, "any_false": False}


def test_parameters_and_derived_values_feed_conditions() -> None:
    rs = mini_ruleset(
        [rule("ltv", Cond(field="derived.ltv", op="gt", value=ParamRef(name="max_ltv")))],
        parameters=[
            Parameter(name="base_ltv", type="decimal", value="0.5"),
            Parameter(
                name="max_ltv",
                type="decimal",
                value=Calc(op="add", args=[ParamRef(name="base_ltv"), "0.1"]),
            ),
        ],
        derived=[
            Derived(
                name="ltv",
                expr=Calc(
                    op="div",
                    args=[FieldRef(path="deal.principal"), FieldRef(path="vehicle.valuation")],
                ),
            )
        ],
    )
    # 66500 / 98000 = 0.678... > 0.6
    assert decide(rs).outcome == "declined"
    assert decide(rs, {"deal.principal": Decimal(50000)}).outcome == "approved"
    # a zero valuation divides to 0 rather than failing the decision
    assert decide(rs, {"vehicle.valuation": Decimal(0)}).outcome == "approved"


def test_outcome_precedence_decline_then_approve_then_refer_then_score() -> None:
    score = Cond(field="bureau.score", op="gt", value=0)
    refer = rule("refer", score, Refer(reason="r2"))
    approve = rule("approve", score, Approve(reason="fast"))
    decline = rule("decline", score)
    assert decide(mini_ruleset([refer, approve, decline])).outcome == "declined"
    assert decide(mini_ruleset([refer, approve])).outcome == "approved"
    d = decide(mini_ruleset([refer]))
    assert (d.outcome, [r.code for r in d.reasons]) == ("referred", ["r2"])


def test_reasons_list_declines_first_each_code_once_with_chinese_text() -> None:
    score = Cond(field="bureau.score", op="gt", value=0)
    rs = mini_ruleset(
        [
            rule("a", score, Refer(reason="r2")),
            rule("b", score),
            rule("c", score),
        ]
    )
    d = decide(rs)
    assert [(r.code, r.kind, r.zh, r.source) for r in d.reasons] == [
        ("r1", "decline", "原因一", "b"),
        ("r2", "refer", "原因二", "a"),
    ]


def test_score_card_bins_adjustments_and_lines() -> None:
    card = ScoreCard(
        base=ParamRef(name="base"),
        approve_min=600,
        refer_min=550,
        characteristics=[
            Characteristic(
                id="bs",
                field="bureau.score",
                bins=[Bin(id="hi", op="ge", value=750, points=50),
                      Bin(id="mid", op="ge", value=650, points=10), Bin(id="other", points=-50)],
            )
        ],
    )  # fmt: skip
    adjust = rule("adj", Cond(field="bureau.missing", op="is_false"), AdjustScore(points=-30))
    rs = mini_ruleset(
        [adjust], parameters=[Parameter(name="base", type="int", value=600)], scorecard=card
    )
    d = decide(rs)  # 600 + 10 - 30
    assert (d.outcome, d.score) == ("referred", 580)
    assert [r.code for r in d.reasons] == ["score_refer"]
    assert d.trace[1:] == (
        TraceStep("bin", "bs/hi", False, False),
        TraceStep("bin", "bs/mid", True, True),
    )
    low = decide(rs, {"bureau.score": 500})  # 600 - 50 - 30
    assert (low.outcome, low.score, low.reasons[0].code) == ("declined", 520, "score_too_low")
    assert low.trace[-1] == TraceStep("bin", "bs/other", True, True)
    assert decide(rs, {"bureau.score": 800}).outcome == "approved"  # 620


def _table(policy: Any, rows: list[Row], default: list[Any] | None = None) -> DecisionTable:
    return DecisionTable(
        id="t", label=Text(zh="表", en="table"), inputs=["vehicle.vehicle_type", "bureau.score"],
        hit_policy=policy, rows=rows, default=default or [],
    )  # fmt: skip


def _row(
    row_id: str, vtype: str | None, min_score: int | None, points: int, priority: int = 0
) -> Row:
    cells = [
        Cell(op="eq", value=vtype) if vtype else None,
        Cell(op="ge", value=min_score) if min_score is not None else None,
    ]
    return Row(id=row_id, cells=cells, then=[AdjustScore(points=points)], priority=priority)


ROWS = [
    _row("truck", "heavy_truck", None, -40),
    _row("car_good", "passenger", 700, 5, priority=1),
    _row("car", "passenger", None, 3, priority=2),
    _row("any_good", None, 600, 1),
]


def test_first_hit_policy_stops_at_the_first_matching_row() -> None:
    d = decide(mini_ruleset(tables=[_table("first", ROWS)]))
    assert d.score == 5
    assert d.trace == (
        TraceStep("row", "t/truck", False, False),
        TraceStep("row", "t/car_good", True, True),
    )


def test_collect_policy_applies_every_matching_row() -> None:
    d = decide(mini_ruleset(tables=[_table("collect", ROWS)]))
    assert d.score == 5 + 3 + 1
    assert [(s.id, s.hit, s.applied) for s in d.trace] == [
        ("t/truck", False, False), ("t/car_good", True, True), ("t/car", True, True),
        ("t/any_good", True, True),
    ]  # fmt: skip


def test_priority_policy_applies_the_highest_priority_match_ties_by_order() -> None:
    d = decide(mini_ruleset(tables=[_table("priority", ROWS)]))
    assert d.score == 3
    assert [(s.id, s.hit, s.applied) for s in d.trace] == [
        ("t/truck", False, False), ("t/car_good", True, False), ("t/car", True, True),
        ("t/any_good", True, False),
    ]  # fmt: skip
    tie = [_row("a", "passenger", None, 7), _row("b", "passenger", None, 9)]
    assert decide(mini_ruleset(tables=[_table("priority", tie)])).score == 7


def test_unique_policy_applies_a_single_match_and_refers_a_conflict() -> None:
    single = decide(mini_ruleset(tables=[_table("unique", [ROWS[0], ROWS[2]])]))
    assert (single.outcome, single.score) == ("approved", 3)
    conflict = decide(mini_ruleset(tables=[_table("unique", ROWS)]))
    assert conflict.outcome == "referred"
    assert [(r.code, r.source) for r in conflict.reasons] == [("table_conflict", "t")]
    assert not any(s.applied for s in conflict.trace)


@pytest.mark.parametrize("policy", ["first", "collect", "unique", "priority"])
def test_default_actions_apply_when_no_row_matches(policy: str) -> None:
    rows = [_row("truck", "heavy_truck", None, -40)]
    d = decide(
        mini_ruleset(tables=[_table(policy, rows, default=[RequireVerification(gate="g2")])])
    )
    assert [g.code for g in d.gates] == ["g2"]
    assert d.trace == (
        TraceStep("row", "t/truck", False, False),
        TraceStep("default", "t/default", True, True),
    )


def test_gates_are_collected_once_in_order_whatever_the_outcome() -> None:
    yes = Cond(field="bureau.score", op="gt", value=0)
    rs = mini_ruleset(
        [
            rule("a", yes, RequireVerification(gate="g2"), RequireVerification(gate="g1")),
            rule("b", yes, RequireVerification(gate="g2")),
        ]
    )
    d = decide(rs)
    assert (d.outcome, [(g.code, g.zh) for g in d.gates]) == (
        "approved",
        [("g2", "关卡二"), ("g1", "关卡一")],
    )


def test_disabled_rules_are_neither_evaluated_nor_traced() -> None:
    r = rule("off", Cond(field="bureau.score", op="gt", value=0))
    rs = mini_ruleset(
        [r.__class__(id=r.id, label=r.label, when=r.when, then=r.then, enabled=False)]
    )
    d = decide(rs)
    assert (d.outcome, d.trace) == ("approved", ())


def test_decision_carries_the_ruleset_version_and_compiles_once() -> None:
    compiled = compile_ruleset(
        mini_ruleset([rule("r", Cond(field="bureau.score", op="lt", value=0))])
    )
    assert "def decide(facts)" in compiled.source
    facts = example_facts()
    assert evaluate(compiled, facts) == evaluate(compiled, facts)
    assert evaluate(compiled, facts).ruleset_version == 7


def test_facts_round_trip_through_plain_data_and_bad_types_are_refused() -> None:
    import msgspec

    from common.errors import DomainError
    from common.rules.facts import facts_from_builtins

    data = msgspec.to_builtins(example_facts())
    assert facts_from_builtins(data) == example_facts()
    data["applicant"]["id_valid"] = "yes"
    with pytest.raises(DomainError) as caught:
        facts_from_builtins(data)
    assert caught.value.code == "facts_invalid"
    assert "$.applicant.id_valid" in caught.value.fields


def test_boolean_checks_still_trip_on_integer_flags() -> None:
    rs = mini_ruleset([rule("r", Cond(field="applicant.id_valid", op="is_false"))])
    assert decide(rs, {"applicant.id_valid": 0}).outcome == "declined"
