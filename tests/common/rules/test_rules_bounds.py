"""Numbers and nesting a rule set may not exceed are refused when it is validated, with paths."""

from __future__ import annotations

import msgspec
import pytest

from common.errors import DomainError
from common.rules import compile_ruleset, default_ruleset, load_ruleset
from common.rules.bounds import MAX_DEPTH, NUMBER_MAX, SCORE_MAX, too_big


def _with(**scorecard: object) -> bytes:
    body = msgspec.to_builtins(default_ruleset())
    body["scorecard"].update(scorecard)
    return msgspec.json.encode(body)


def _problems(data: bytes | str) -> dict[str, str]:
    with pytest.raises(DomainError) as caught:
        compile_ruleset(load_ruleset(data))
    assert caught.value.code == "ruleset_invalid"
    return caught.value.fields


def test_the_default_rule_set_is_within_bounds() -> None:
    compile_ruleset(default_ruleset())


@pytest.mark.parametrize("base", [SCORE_MAX + 1, -(SCORE_MAX + 1), 10**30, 2**63])
def test_a_score_figure_beyond_the_bound_is_refused(base: int) -> None:
    assert "scorecard.base" in _problems(_with(base=base))


def test_the_largest_score_figure_is_accepted() -> None:
    compile_ruleset(load_ruleset(_with(base=SCORE_MAX)))


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (NUMBER_MAX, False),
        (NUMBER_MAX + 1, True),
        (-NUMBER_MAX - 1, True),
        (1e300, True),
        (float("inf"), True),
        (True, False),
        ("1e30", False),  # text: checked once coerced to the kind it is compared with
    ],
)
def test_too_big(value: object, problem: bool) -> None:
    assert (too_big(value) is not None) is problem


def _deep_not(depth: int) -> bytes:
    cond = '{"kind":"cond","field":"applicant.id_valid","op":"is_false"}'
    for _ in range(depth):
        cond = '{"kind":"not","of":' + cond + "}"
    body = msgspec.to_builtins(default_ruleset())
    body["rules"][0]["when"] = "WHEN"
    return msgspec.json.encode(body).replace(b'"WHEN"', cond.encode())


def test_conditions_nested_up_to_the_bound_compile() -> None:
    compile_ruleset(load_ruleset(_deep_not(MAX_DEPTH - 1)))


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 200, 5000])
def test_conditions_nested_deeper_are_refused_with_the_path(depth: int) -> None:
    fields = _problems(_deep_not(depth))
    assert any(p.startswith("rules[0].when.of") for p in fields) or "$" in fields, fields


def test_a_decimal_operand_beyond_the_bound_is_refused_once_coerced() -> None:
    body = msgspec.to_builtins(default_ruleset())
    body["rules"][0]["when"] = {
        "kind": "cond", "field": "deal.principal", "op": "gt", "value": "1e30",
    }  # fmt: skip
    assert "rules[0].when.value" in _problems(msgspec.json.encode(body))


def test_load_ruleset_refuses_a_structure_too_deep_to_decode() -> None:
    expr = '{"kind":"field","path":"deal.principal"}'
    for _ in range(900):
        expr = '{"kind":"calc","op":"add","args":[' + expr + ",1]}"
    body = (
        '{"name":"deep","scorecard":{"base":0,"characteristics":[],"approve_min":0,'
        '"refer_min":0},"derived":[{"name":"x","expr":' + expr + "}]}"
    )
    with pytest.raises(DomainError) as caught:
        load_ruleset(body)
    assert caught.value.code == "ruleset_invalid"
