"""The extension rules form 展期规则: the rule set in force, read in words and edited into the
next version.

It is the same `RuleSet` model as the approval engine's (so `RuleSetBody` edits its parameters
and switches), limited to what the extension kind uses: rules of all / any / not conditions over
the `extension.*` fields the API lists (`ExtensionRuleSetView.fields`) and approve / refer /
decline actions. Besides parameters and switches, a rule's typed constants can be changed (a
threshold written into the rule rather than taken from a parameter) and so can its action.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app_mobile.state.labels import Vocabulary
from app_mobile.state.ruleset import RuleSetBody, parse_typed
from common.api.servicing import ExtensionFieldView, ExtensionRuleSetView

ACTIONS = ("approve", "refer", "decline")
OPS: dict[str, tuple[str, str]] = {
    "eq": ("=", "="),
    "ne": ("≠", "≠"),
    "lt": ("<", "<"),
    "le": ("≤", "≤"),
    "gt": (">", ">"),
    "ge": ("≥", "≥"),
    "between": ("介于", "between"),
    "not_between": ("不介于", "not between"),
    "in": ("属于", "in"),
    "not_in": ("不属于", "not in"),
}
JOINS = {"all": ("且", "and"), "any": ("或", "or")}


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[0] if language == "zh" else pair[1]


@dataclass(frozen=True)
class Constant:
    """A constant typed into a rule's condition (not a parameter: those are edited as such)."""

    rule_id: str
    path: str  # where the server would report it: rules[3].when.of[1].value[0]
    field: str  # extension.days_past_due
    op: str
    value: int | str
    node: dict[str, Any] = dataclasses.field(
        compare=False, repr=False
    )  # the condition, edited in place
    index: int | None = None  # the position in a list value (between, in)


class ExtensionRulesForm(RuleSetBody):
    """The extension rules in force, being read or edited into the next version."""

    def __init__(self, view: ExtensionRuleSetView) -> None:
        super().__init__(view.ruleset)
        self.adopt(view)

    def adopt(self, view: ExtensionRuleSetView) -> None:
        """What the server holds now (after loading or publishing): no local edits."""
        self.view = view
        self.fields: dict[str, ExtensionFieldView] = {f.path: f for f in view.fields}
        self.body = copy.deepcopy(view.ruleset)
        self.errors, self.dirty = {}, False

    @property
    def version(self) -> int:
        return self.view.version

    @property
    def note(self) -> str:
        return self.view.note

    @property
    def published_at(self) -> datetime | None:
        return self.view.published_at  # None: the shipped default, never published

    # -- in words ----------------------------------------------------------------------------
    def field_label(self, path: str, language: str = "zh") -> str:
        spec = self.fields.get(path)
        if spec is None:
            return path
        return spec.label_zh if language == "zh" else spec.label_en

    def _param(self, name: str) -> dict[str, Any] | None:
        return next((p for p in self.body.get("parameters", []) if p["name"] == name), None)

    def operand_text(self, value: Any, language: str = "zh") -> str:
        """90 / M1 / 可展期的最长逾期天数（90）: a parameter by its label and current value."""
        if isinstance(value, dict) and value.get("kind") == "param":
            p = self._param(value["name"])
            if p is None:
                return f"@{value['name']}"
            label = (p.get("label") or {}).get("zh" if language == "zh" else "en") or p["name"]
            return f"{label}（{p['value']}）" if language == "zh" else f"{label} ({p['value']})"
        return str(value)

    def condition_text(self, cond: dict[str, Any], language: str = "zh", top: bool = True) -> str:
        kind = cond.get("kind")
        if kind in JOINS:
            word = f" {_pick(JOINS[kind], language)} "
            text = word.join(self.condition_text(c, language, False) for c in cond["of"])
            return text if top or len(cond["of"]) < 2 else f"（{text}）"
        if kind == "not":
            inner = self.condition_text(cond["of"], language)  # bracketed here
            return f"并非（{inner}）" if language == "zh" else f"not ({inner})"
        name = self.field_label(cond["field"], language)
        op = _pick(OPS.get(cond["op"], (cond["op"], cond["op"])), language)
        value = cond.get("value")
        if cond["op"] in ("between", "not_between") and isinstance(value, list) and len(value) == 2:
            a, b = (self.operand_text(v, language) for v in value)
            return f"{name} {op} {a} 与 {b}" if language == "zh" else f"{name} {op} {a} and {b}"
        if isinstance(value, list):
            sep = "、" if language == "zh" else ", "
            return f"{name} {op} {sep.join(self.operand_text(v, language) for v in value)}"
        return f"{name} {op} {self.operand_text(value, language)}"

    def rule_text(self, rule: dict[str, Any], language: str = "zh") -> str:
        """当 逾期天数 > 可展期的最长逾期天数（90） → 拒绝：逾期超过可展期天数."""
        words = Vocabulary(self.body, language)
        colon, semi = ("：", "；") if language == "zh" else (": ", "; ")
        then = semi.join(
            f"{words.action(a['kind']).text}{colon}{words.reason(a.get('reason', '')).text}"
            for a in rule.get("then", [])
        )
        when = self.condition_text(rule["when"], language)
        return f"当 {when} → {then}" if language == "zh" else f"When {when} → {then}"

    # -- edits -------------------------------------------------------------------------------
    def constants(self, rule_id: str) -> list[Constant]:
        """The typed constants of one rule, in reading order."""
        k = self._index("id", self.body["rules"], rule_id, rule_id)
        out: list[Constant] = []

        def walk(cond: dict[str, Any], where: str) -> None:
            if cond.get("kind") in JOINS:
                for j, c in enumerate(cond["of"]):
                    walk(c, f"{where}.of[{j}]")
                return
            if cond.get("kind") == "not":
                walk(cond["of"], f"{where}.of")
                return
            value = cond.get("value")
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                if isinstance(item, int | str) and not isinstance(item, bool):
                    index = i if isinstance(value, list) else None
                    path = f"{where}.value" + (f"[{i}]" if index is not None else "")
                    out.append(
                        Constant(rule_id, path, cond["field"], cond["op"], item, cond, index)
                    )

        walk(self.body["rules"][k]["when"], f"rules[{k}].when")
        return out

    def set_constant(self, constant: Constant, text: str) -> str | None:
        """Type a constant anew: a whole number, or one of an enum's values (M0 ... M7)."""
        spec = self.fields.get(constant.field)

        def apply() -> None:
            if spec is not None and spec.kind == "enum":
                value: int | str = text.strip().upper()
                if value not in spec.choices:
                    raise ValueError(f"请选择：{'、'.join(spec.choices)} / choose one of these")
            else:
                number: int = parse_typed(text, "int")
                if number < 0:
                    raise ValueError("不能为负数 / must not be negative")
                value = number
            if constant.index is None:
                constant.node["value"] = value
            else:
                constant.node["value"][constant.index] = value

        return self._set(constant.path, apply)

    def action_of(self, rule_id: str, j: int = 0) -> str:
        rule = self.body["rules"][self._index("id", self.body["rules"], rule_id, rule_id)]
        return str(rule["then"][j]["kind"])

    def set_action(self, rule_id: str, kind: str, j: int = 0) -> None:
        """What a firing rule does: approve 通过 / refer 转人工 / decline 拒绝 (its reason kept)."""
        if kind not in ACTIONS:
            raise KeyError(kind)
        rule = self.body["rules"][self._index("id", self.body["rules"], rule_id, rule_id)]
        rule["then"][j]["kind"] = kind
        self.dirty = True
