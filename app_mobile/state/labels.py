"""Codes of a rule set as people read them 规则代码的中文/英文名称: a label first, the code small
beside it (a risk officer still needs the code to find the rule).

Labels come from the rule set itself (rules, tables, rows, characteristics, bins, reasons,
gates) and from the engine's own reasons; a code nobody has named is shown as the code alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from common.rules.model import SYSTEM_REASONS

HIT_POLICIES: dict[str, tuple[str, str]] = {
    "first": ("首条命中", "first match"),
    "unique": ("唯一命中", "unique match"),
    "priority": ("优先级最高", "highest priority"),
    "collect": ("全部命中", "all matches"),
}
ACTIONS: dict[str, tuple[str, str]] = {
    "decline": ("拒绝", "Decline"),
    "refer": ("转人工", "Refer"),
    "approve": ("通过", "Approve"),
    "require_verification": ("追加核验", "Extra verification"),
    "adjust_score": ("调整评分", "Adjust score"),
}


@dataclass(frozen=True)
class Labelled:
    """A code with what people call it; ``text`` is the code itself when it has no label."""

    text: str
    code: str

    @property
    def named(self) -> bool:
        return self.text != self.code

    def plain(self) -> str:
        """One line for accessibility labels and copying: 未结清贷款较多 (many_loans)."""
        return f"{self.text} ({self.code})" if self.named else self.code


def _pick(text: dict[str, str] | None, key: str) -> str | None:
    return (text or {}).get(key) or None


def pair_label(pairs: dict[str, tuple[str, str]], code: str, language: str) -> Labelled:
    pair = pairs.get(code)
    if pair is None:
        return Labelled(code, code)
    return Labelled(pair[0] if language == "zh" else pair[1], code)


class Vocabulary:
    """The labels of one rule set (the JSON of `RuleSetDetail.ruleset`) in one language."""

    def __init__(self, ruleset: dict[str, Any] | None, language: str = "zh") -> None:
        self.language = language
        key = "zh" if language == "zh" else "en"
        ruleset = ruleset or {}
        self._steps: dict[str, str] = {}  # trace ids: rule, table/row, table/default, char/bin
        self._parts: dict[str, str] = {}  # the row or bin alone, within its table
        for rule in ruleset.get("rules", []):
            if name := _pick(rule.get("label"), key):
                self._steps[rule["id"]] = name
        for table in ruleset.get("tables", []):
            table_name = _pick(table.get("label"), key) or table["id"]
            self._steps[f"{table['id']}/default"] = table_name
            for row in table.get("rows", []):
                self._add(table["id"], table_name, row, key)
        for ch in ruleset.get("scorecard", {}).get("characteristics", []):
            ch_name = _pick(ch.get("label"), key) or ch["id"]
            for b in ch.get("bins", []):
                self._add(ch["id"], ch_name, b, key)
        self._reasons = {code: text.zh if key == "zh" else text.en
                         for code, text in SYSTEM_REASONS.items()}  # fmt: skip
        for code, text in ruleset.get("reasons", {}).items():
            if name := _pick(text, key):
                self._reasons[code] = name
        self._gates = {code: name for code, text in ruleset.get("gates", {}).items()
                       if (name := _pick(text, key))}  # fmt: skip

    def _add(self, owner: str, owner_name: str, item: dict[str, Any], key: str) -> None:
        step = f"{owner}/{item['id']}"
        name = _pick(item.get("label"), key)
        if name:
            self._parts[step] = name
        self._steps[step] = f"{owner_name} · {name or item['id']}"

    def step(self, step_id: str) -> Labelled:
        """A trace step: 征信信号 · 未结清贷款较多, code bureau_signals/many_loans."""
        return Labelled(self._steps.get(step_id, step_id), step_id)

    def row(self, table_id: str, row_id: str) -> Labelled:
        """A table row on its own (the table is already named around it)."""
        return Labelled(self._parts.get(f"{table_id}/{row_id}", row_id), row_id)

    def reason(self, code: str) -> Labelled:
        return Labelled(self._reasons.get(code, code), code)

    def gate(self, code: str) -> Labelled:
        return Labelled(self._gates.get(code, code), code)

    def hit_policy(self, code: str) -> Labelled:
        return pair_label(HIT_POLICIES, code, self.language)

    def action(self, code: str) -> Labelled:
        return pair_label(ACTIONS, code, self.language)
