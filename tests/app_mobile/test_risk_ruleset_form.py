"""The rule-set editor's form: typed fields over the rule-set JSON, never JSON in front of
people."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest

from app_mobile.state.ruleset import RuleSetForm, formula_text, parse_cell, parse_typed
from common.api.risk import RuleSetStatus, RuleSetSummary
from common.rules import compile_ruleset, default_ruleset, load_ruleset

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def summary(status: RuleSetStatus = RuleSetStatus.DRAFT) -> RuleSetSummary:
    return RuleSetSummary(id="rs-2", version=2, name="默认", status=status, active=False,
                          lock_version=1, based_on="rs-1", created_by=None, created_at=NOW,
                          updated_at=NOW)  # fmt: skip


def body() -> dict[str, Any]:
    data: dict[str, Any] = msgspec.to_builtins(default_ruleset())
    return data


def still_compiles(form: RuleSetForm) -> None:
    compile_ruleset(load_ruleset(msgspec.json.encode(form.body)))


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("18", "int", 18),
        (" -40 ", "int", -40),
        ("0.85", "decimal", "0.85"),  # decimals stay strings: never float
        ("1", "decimal", "1"),
        ("true", "bool", True),
        ("False", "bool", False),
        ("BYD", "str", "BYD"),
    ],
)
def test_typed_text_parses_by_the_declared_type(text: str, kind: str, value: object) -> None:
    assert parse_typed(text, kind) == value


@pytest.mark.parametrize(
    ("text", "kind"), [("18.5", "int"), ("", "int"), ("abc", "decimal"), ("NaN", "decimal"),
                       ("yes", "bool"), (" ", "str")],
)  # fmt: skip
def test_text_that_does_not_parse_is_refused(text: str, kind: str) -> None:
    with pytest.raises(ValueError):
        parse_typed(text, kind)


@pytest.mark.parametrize(
    ("text", "op", "old", "value"),
    [
        ("heavy_truck", "eq", "nev", "heavy_truck"),
        ("24", "le", 12, 24),
        ("13, 48", "between", [13, 36], [13, 48]),
        ("BYD，NIO, TESLA", "starts_with", ["BYD", "TESLA"], ["BYD", "NIO", "TESLA"]),
        ("", "is_true", None, None),
    ],
)
def test_a_cell_keeps_the_type_of_the_value_it_replaces(
    text: str, op: str, old: object, value: object
) -> None:
    assert parse_cell(text, op, old) == value


def test_parameters_come_with_their_chinese_labels_and_formulas_read_as_words() -> None:
    form = RuleSetForm(summary(), body())
    params = {p.name: p for p in form.parameters()}
    assert params["min_age"].label("zh") == "最低年龄"
    assert params["max_ltv"].type == "decimal"
    assert params["refer_min_score"].is_formula
    assert formula_text(params["refer_min_score"].value) == "approve_min_score - 60"


def test_editing_a_parameter_a_rule_and_table_rows_keeps_a_valid_rule_set() -> None:
    form = RuleSetForm(summary(), body())
    assert form.set_param("max_ltv", "0.80") is None
    assert form.set_param("min_age", "20") is None
    form.set_rule_enabled("id_invalid", False)
    assert form.set_points("vehicle_risk", "heavy_truck", 0, "-60") is None
    assert form.set_cell("vehicle_risk", "heavy_truck", 0, "cold_chain") is None
    assert form.set_cell("term_band", "medium", 0, "13, 48") is None
    form.set_gate("adaptive_gates", "flagged", 1, "vehicle_inspection")
    assert form.dirty and not form.errors
    rs = load_ruleset(msgspec.json.encode(form.body))
    assert next(p.value for p in rs.parameters if p.name == "max_ltv") == "0.80"
    assert next(r.enabled for r in rs.rules if r.id == "id_invalid") is False
    vehicle = next(t for t in rs.tables if t.id == "vehicle_risk")
    assert vehicle.rows[0].then[0].points == -60  # type: ignore[union-attr]
    gates = next(t for t in rs.tables if t.id == "adaptive_gates").rows[0].then
    assert [g.gate for g in gates] == ["video_interview", "vehicle_inspection"]  # type: ignore[union-attr]
    still_compiles(form)


def test_a_bad_value_is_reported_under_its_path_and_left_out_until_fixed() -> None:
    form = RuleSetForm(summary(), body())
    assert form.set_param("min_age", "十八") is not None
    assert "parameters[0].value" in form.errors
    assert form.body["parameters"][0]["value"] == 18
    assert form.messages(form.errors)[0].startswith("参数「最低年龄」：")
    assert form.set_param("min_age", "21") is None
    assert not form.errors


@pytest.mark.parametrize(
    ("path", "zh", "en"),
    [
        ("parameters[11].value", "参数「最高融资比例（LTV）」",
         "parameter “Highest loan to value”"),
        ("rules[0].when.field", "规则「身份证号码校验不通过」",
         "rule “Resident ID checksum or birth date invalid”"),
        ("tables[0].rows[1].cells[0].value", "决策表「车型/车辆类型风险权重」 第2行 第1列",
         "table “Vehicle model / type risk weight”, row 2, column 1"),
        ("scorecard.approve_min", "scorecard.approve_min", "scorecard.approve_min"),
    ],
)  # fmt: skip
def test_server_field_paths_are_named_in_words(path: str, zh: str, en: str) -> None:
    form = RuleSetForm(summary(), body())
    assert form.place(path, "zh") == zh
    assert form.place(path, "en") == en


def test_a_published_version_is_read_only_and_adopting_a_save_clears_the_edit_marks() -> None:
    assert not RuleSetForm(summary(RuleSetStatus.PUBLISHED), body()).editable
    form = RuleSetForm(summary(), body())
    form.set_param("min_age", "x")
    form.adopt(summary(), body())
    assert not form.dirty and not form.errors


def test_history_paths_read_with_the_items_labels() -> None:
    from app_mobile.views.risk.history import change_text, item_names
    from common.api.risk import FieldChange

    names = item_names(body(), "zh")
    change = FieldChange(path="$.parameters[name=approve_min_score].value", before=620, after=700)
    assert change_text(change, names) == "参数「自动通过分数线」.value: 620 → 700"
    assert change_text(change) == "parameters[name=approve_min_score].value: 620 → 700"
