"""The extension rules form 展期规则: every rule reads as a sentence in Chinese (or English), and
parameters, a rule's constants and its action are edited into a document the backend accepts
and that decides differently."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest

from app_mobile.state.extension_rules import ExtensionRulesForm
from backend.servicing import eligibility
from backend.servicing.extension_review import field_views
from common.api.servicing import ExtensionRuleSetView

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
GOOD = eligibility.ExtensionFacts(
    days_past_due=0, bucket="M0", months_elapsed=8, months_to_add=6, on_time_payments=8,
    previous_extensions=0, months_added_before=0, new_term_months=42, months_beyond_policy=0,
    months_beyond_max_term=0,
)  # fmt: skip


def view(body: dict[str, Any] | None = None) -> ExtensionRuleSetView:
    ruleset = body or msgspec.to_builtins(eligibility.DEFAULT)
    return ExtensionRuleSetView(version=1, ruleset=ruleset, note="", published_at=None,
                                fields=field_views())  # fmt: skip


def rule(form: ExtensionRulesForm, rule_id: str) -> dict[str, Any]:
    return next(r for r in form.rules() if r["id"] == rule_id)


def decide(form: ExtensionRulesForm, facts: eligibility.ExtensionFacts) -> str:
    """What the backend would decide by the edited document (parsed as publishing parses it)."""
    return eligibility.evaluate(eligibility.parse(form.body), facts).outcome


def test_the_rules_read_as_sentences_with_the_parameters_values() -> None:
    form = ExtensionRulesForm(view())
    assert form.rule_text(rule(form, "deep_arrears")) == (
        "当 逾期天数 > 可展期的最长逾期天数（90） → 拒绝：逾期超过可展期天数"
    )
    assert form.rule_text(rule(form, "in_arrears")) == (
        "当 逾期天数 介于 1 与 可展期的最长逾期天数（90） → 转人工：当前有逾期，转人工审核"
    )
    assert "超出产品展期上限的月数 > 0 或 超出最长租期的月数 > 0" in form.rule_text(
        rule(form, "beyond_limits")
    )
    good = form.rule_text(rule(form, "good_payer"))
    assert "逾期天数 = 0 且 按时还款期数 ≥ 自动通过所需按时还款期数（3）" in good
    assert good.endswith("→ 通过：按时还款，自动通过")
    assert form.rule_text(rule(form, "deep_arrears"), "en") == (
        "When Days past due > Longest days past due to extend (90) → Decline: "
        "Past due beyond the extension limit"
    )


def test_nested_and_negated_conditions_are_bracketed() -> None:
    body = msgspec.to_builtins(eligibility.DEFAULT)
    body["rules"][0]["when"] = {"kind": "not", "of": {"kind": "any", "of": [
        {"kind": "cond", "field": "extension.bucket", "op": "in", "value": ["M2", "M3"]},
        {"kind": "all", "of": [
            {"kind": "cond", "field": "extension.months_to_add", "op": "gt", "value": 6},
            {"kind": "cond", "field": "extension.previous_extensions", "op": "ge", "value": 1},
        ]},
    ]}}  # fmt: skip
    form = ExtensionRulesForm(view(body))
    assert form.condition_text(form.rules()[0]["when"]) == (
        "并非（逾期阶段 属于 M2、M3 或 （本次展期月数 > 6 且 已展期次数 ≥ 1））"
    )


def test_a_parameter_edit_changes_the_sentence_and_the_decision() -> None:
    form = ExtensionRulesForm(view())
    late = msgspec.structs.replace(GOOD, days_past_due=70, bucket="M3")
    assert decide(form, late) == "referred"
    assert form.set_param("max_days_past_due", "60") is None
    assert form.dirty and "（60）" in form.rule_text(rule(form, "deep_arrears"))
    assert decide(form, late) == "declined"


def test_a_constant_in_a_rule_is_edited_where_the_server_would_report_it() -> None:
    form = ExtensionRulesForm(view())
    (low,) = form.constants("in_arrears")  # between 1 and a parameter: only the 1 is typed
    assert (low.path, low.value, low.index) == ("rules[3].when.value[0]", 1, 0)
    assert [c.path for c in form.constants("good_payer")] == [
        "rules[5].when.of[0].value", "rules[5].when.of[3].value"]  # fmt: skip
    assert form.set_constant(low, "8") is None
    assert rule(form, "in_arrears")["when"]["value"][0] == 8
    a_week_late = msgspec.structs.replace(GOOD, days_past_due=5, bucket="M1")
    assert decide(form, a_week_late) == "referred"  # no rule fires: a person looks
    assert form.rule_text(rule(form, "in_arrears")).startswith("当 逾期天数 介于 8 与")


@pytest.mark.parametrize("text", ["", "八", "1.5", "-1"])
def test_a_constant_that_does_not_parse_is_reported_and_kept_out(text: str) -> None:
    form = ExtensionRulesForm(view())
    (low,) = form.constants("in_arrears")
    assert form.set_constant(low, text) is not None
    assert rule(form, "in_arrears")["when"]["value"][0] == 1
    assert list(form.errors) == ["rules[3].when.value[0]"]
    assert form.messages(form.errors)[0].startswith("规则「当前逾期」：")
    assert form.set_constant(low, "2") is None and not form.errors


def test_an_enum_constant_takes_one_of_its_values() -> None:
    body = msgspec.to_builtins(eligibility.DEFAULT)
    body["rules"][0]["when"] = {"kind": "cond", "field": "extension.bucket", "op": "in",
                                "value": ["M4", "M5"]}  # fmt: skip
    form = ExtensionRulesForm(view(body))
    first, _ = form.constants("deep_arrears")
    assert form.set_constant(first, "m3") is None
    assert form.rules()[0]["when"]["value"] == ["M3", "M5"]
    assert form.set_constant(first, "M9") is not None
    three_months = msgspec.structs.replace(GOOD, days_past_due=70, bucket="M3")
    assert decide(form, three_months) == "declined"


def test_changing_what_a_rule_does() -> None:
    form = ExtensionRulesForm(view())
    deep = msgspec.structs.replace(GOOD, days_past_due=120, bucket="M4")
    assert decide(form, deep) == "declined"
    form.set_action("deep_arrears", "refer")
    assert form.action_of("deep_arrears") == "refer"
    assert "→ 转人工：逾期超过可展期天数" in form.rule_text(rule(form, "deep_arrears"))
    assert decide(form, deep) == "referred"
    with pytest.raises(KeyError):
        form.set_action("deep_arrears", "adjust_score")


def test_switching_a_rule_off_and_adopting_what_was_published() -> None:
    form = ExtensionRulesForm(view())
    form.set_rule_enabled("good_payer", False)
    assert decide(form, GOOD) == "referred"
    published = msgspec.convert(
        {**msgspec.to_builtins(view(form.body)), "version": 2, "note": "停用自动通过",
         "published_at": NOW.isoformat()}, ExtensionRuleSetView, strict=False,
    )  # fmt: skip
    form.adopt(published)
    assert (form.version, form.note, form.published_at) == (2, "停用自动通过", NOW)
    assert not form.dirty and not form.errors
    assert rule(form, "good_payer")["enabled"] is False


def test_parameters_carry_their_chinese_labels() -> None:
    form = ExtensionRulesForm(view())
    labels = {p.name: p.label("zh") for p in form.parameters()}
    assert labels["max_days_past_due"] == "可展期的最长逾期天数"
    assert form.field_label("extension.bucket") == "逾期阶段"
    assert form.field_label("extension.bucket", "en") == "Delinquency bucket"
