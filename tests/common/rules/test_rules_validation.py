"""A rule set that would not compile is refused when saved, with a message per place."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest
from rules_helpers import mini_ruleset, rule

from common.errors import DomainError
from common.rules import compile_ruleset, default_ruleset, load_ruleset, validate
from common.rules.model import (
    AdjustScore,
    Bin,
    Calc,
    Cell,
    Characteristic,
    Cond,
    DecisionTable,
    Decline,
    Derived,
    FieldRef,
    Parameter,
    ParamRef,
    RequireVerification,
    Row,
    RuleSet,
    ScoreCard,
    Text,
)


def refused(rs: RuleSet) -> dict[str, str]:
    with pytest.raises(DomainError) as caught:
        compile_ruleset(rs)
    assert caught.value.code == "ruleset_invalid"
    assert caught.value.status == 422
    return caught.value.fields


def when(field: str, op: str, value: object = None) -> RuleSet:
    return mini_ruleset(
        [rule("r", Cond(field=field, op=op, value=value))],  # type: ignore[arg-type]
        parameters=[Parameter(name="flag", type="bool", value=True),
                    Parameter(name="limit", type="decimal", value="0.5")],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("rs", "path", "words"),
    [
        (when("bureau.scroe", "lt", 1), "rules[0].when.field", "unknown field 'bureau.scroe'"),
        (when("derived.nope", "lt", 1), "rules[0].when.field", "unknown derived value 'nope'"),
        (when("bureau.missing", "lt", 1), "rules[0].when.op", "'lt' does not apply to bool"),
        (when("vehicle.model_code", "gt", "A"), "rules[0].when.op", "does not apply to str"),
        (when("vehicle.vehicle_type", "starts_with", "n"), "rules[0].when.op", "enum"),
        (when("bureau.score", "lt", "700"), "rules[0].when.value", "expected an integer"),
        (when("bureau.score", "lt", 1.5), "rules[0].when.value", "expected an integer"),
        (when("bureau.score", "lt", True), "rules[0].when.value", "expected an integer"),
        (when("applicant.debt_to_income", "lt", "abc"), "rules[0].when.value", "decimal"),
        (when("applicant.debt_to_income", "lt", "NaN"), "rules[0].when.value", "finite"),
        (when("bureau.missing", "eq", 1), "rules[0].when.value", "true or false"),
        (when("vehicle.vehicle_type", "eq", "tank"), "rules[0].when.value", "not one of"),
        (when("bureau.score", "between", [1]), "rules[0].when.value", "[low, high]"),
        (when("bureau.score", "between", [9, 1]), "rules[0].when.value", "low 9 is above high 1"),
        (when("bureau.score", "in", 5), "rules[0].when.value", "list"),
        (when("bureau.score", "in", []), "rules[0].when.value", "empty list"),
        (when("bureau.score", "lt", [1, 2]), "rules[0].when.value", "single value"),
        (when("bureau.score", "lt"), "rules[0].when.value", "needs a value"),
        (when("bureau.missing", "is_true", True), "rules[0].when.value", "takes no value"),
        (when("bureau.score", "lt", ParamRef(name="nope")), "rules[0].when.value",
         "unknown parameter 'nope'"),
        (when("bureau.score", "lt", ParamRef(name="flag")), "rules[0].when.value",
         "parameter 'flag' is bool, field is int"),
        (when("bureau.score", "between", [1, ParamRef(name="limit")]), "rules[0].when.value[1]",
         "parameter 'limit' is decimal, field is int"),
    ],
)  # fmt: skip
def test_condition_errors_name_the_place(rs: RuleSet, path: str, words: str) -> None:
    fields = refused(rs)
    assert path in fields, fields
    assert words in fields[path]


def test_duplicate_ids_and_names() -> None:
    r = rule("same", Cond(field="bureau.score", op="lt", value=1))
    rs = mini_ruleset(
        [r, r],
        parameters=[
            Parameter(name="p", type="int", value=1),
            Parameter(name="p", type="int", value=2),
        ],
        derived=[Derived(name="d", expr=1), Derived(name="d", expr=2)],
    )
    fields = refused(rs)
    assert "duplicate id 'same'" in fields["rules[1].id"]
    assert "duplicate name 'p'" in fields["parameters[1].name"]
    assert "duplicate name 'd'" in fields["derived[1].name"]


def test_cycle_between_parameters() -> None:
    rs = mini_ruleset(
        parameters=[
            Parameter(name="a", type="int", value=Calc(op="add", args=[ParamRef(name="b"), 1])),
            Parameter(name="b", type="int", value=Calc(op="add", args=[ParamRef(name="a"), 1])),
        ]
    )
    (path, message), *_ = refused(rs).items()
    assert path.startswith("parameters[")
    assert "reference cycle: a -> b -> a" in message


def test_cycle_between_derived_values() -> None:
    rs = mini_ruleset(
        derived=[
            Derived(name="x", expr=Calc(op="mul", args=[FieldRef(path="derived.y"), 2])),
            Derived(name="y", expr=Calc(op="sub", args=[FieldRef(path="derived.x"), 1])),
        ]
    )
    assert "reference cycle: x -> y -> x" in refused(rs)["derived[0].expr"]


def test_derived_and_parameter_expression_errors() -> None:
    rs = mini_ruleset(
        parameters=[
            Parameter(name="reads_facts", type="int", value=FieldRef(path="bureau.score")),
            Parameter(name="wrong_type", type="int", value="0.5"),
        ],
        derived=[
            Derived(name="flagged", expr=FieldRef(path="bureau.missing")),
            Derived(name="typo", expr=FieldRef(path="bureau.scroe")),
        ],
    )
    fields = refused(rs)
    assert "cannot read facts" in fields["parameters[0].value"]
    assert "parameter is int" in fields["parameters[1].value"]
    assert "not a number" in fields["derived[0].expr"]
    assert "unknown field" in fields["derived[1].expr"]


def test_actions_must_use_known_reasons_gates_and_integer_points() -> None:
    yes = Cond(field="bureau.score", op="gt", value=0)
    rs = mini_ruleset(
        [rule("r", yes, Decline(reason="made_up"), RequireVerification(gate="nope"),
              AdjustScore(points=ParamRef(name="ratio")))],
        parameters=[Parameter(name="ratio", type="decimal", value="0.5")],
    )  # fmt: skip
    fields = refused(rs)
    assert "unknown reason 'made_up'" in fields["rules[0].then[0].reason"]
    assert "unknown gate 'nope'" in fields["rules[0].then[1].gate"]
    assert "is decimal, field is int" in fields["rules[0].then[2].points"]


def test_table_and_score_card_errors() -> None:
    table = DecisionTable(
        id="t", label=Text(zh="t", en="t"), inputs=["bureau.score", "nowhere.field"],
        hit_policy="first",
        rows=[Row(id="a", cells=[Cell(op="lt", value=1)], then=[]),
              Row(id="b", cells=[Cell(op="is_true"), None], then=[])],
    )  # fmt: skip
    card = ScoreCard(
        base=0, approve_min=10, refer_min=20,
        characteristics=[Characteristic(
            id="c", field="bureau.score",
            bins=[Bin(id="x", points=1), Bin(id="y", op="gt", value=1, points=2)])],
    )  # fmt: skip
    fields = refused(mini_ruleset(tables=[table], scorecard=card))
    assert "unknown field 'nowhere.field'" in fields["tables[0].inputs[1]"]
    assert "expected 2 cells" in fields["tables[0].rows[0].cells"]
    assert "does not apply to int" in fields["tables[0].rows[1].cells[0].op"]
    assert "refer_min 20 > approve_min 10" in fields["scorecard.refer_min"]
    assert "catch-all bin must be last" in fields["scorecard.characteristics[0].bins[0]"]


def test_reserved_reason_codes_cannot_be_redefined() -> None:
    rs = mini_ruleset()
    rs = msgspec.structs.replace(rs, reasons={**rs.reasons, "score_too_low": Text(zh="x", en="x")})
    assert "reserved" in refused(rs)["reasons.score_too_low"]


def test_every_problem_is_reported_at_once() -> None:
    rs = mini_ruleset([rule("a", Cond(field="x.y", op="lt", value=1)),
                       rule("b", Cond(field="bureau.score", op="is_true"))])  # fmt: skip
    assert set(refused(rs)) == {"rules[0].when.field", "rules[1].when.op"}


def test_load_ruleset_refuses_malformed_json_with_a_path() -> None:
    with pytest.raises(DomainError) as caught:
        load_ruleset(b'{"name": "x", "scorecard": {"base": "six"}}')
    assert caught.value.code == "ruleset_invalid"
    assert "$.scorecard.base" in caught.value.fields
    with pytest.raises(DomainError):
        load_ruleset(b"{not json")


def test_default_ruleset_round_trips_through_json() -> None:
    rs = default_ruleset()
    again = load_ruleset(msgspec.json.encode(rs))
    assert again == rs
    # a parameter defined from another: refer_dti = max_dti - 0.10
    assert validate(again).params["refer_dti"] == Decimal("0.45")
