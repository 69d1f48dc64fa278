"""The rule-set editor's form 规则集编辑: parameters, rule switches and table rows as fields.

The form holds the rule set as the plain JSON the API sends (`RuleSetDetail.ruleset`) and edits
it in place, one typed value at a time, so a risk officer never sees or writes JSON. Text typed
into a field is parsed by the type the value already has (a parameter's declared type, a cell's
existing value); what does not parse is kept out of the rule set and reported under its path.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from common.api.risk import RuleSetStatus, RuleSetSummary
from common.rules.facts import FACT_FIELDS

# Chinese / English names of the fact fields that decision tables read.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "vehicle.vehicle_type": ("车辆类型", "Vehicle type"),
    "vehicle.model_code": ("车型代码", "Model code"),
    "region.adaptive_flag": ("地区异常标记", "Region flagged"),
    "deal.term_months": ("租期（月）", "Term (months)"),
    "bureau.open_loans": ("未结清贷款数", "Open loans"),
    "bureau.inquiries_6m": ("近6个月查询次数", "Inquiries, 6 months"),
    "bureau.missing": ("无征信记录", "No bureau file"),
}
CHOICE_LABELS: dict[str, tuple[str, str]] = {
    "passenger": ("乘用车", "Passenger car"),
    "nev": ("新能源车", "New-energy vehicle"),
    "light_truck": ("轻型货车", "Light truck"),
    "heavy_truck": ("重型货车", "Heavy truck"),
    "cold_chain": ("冷链车", "Cold-chain vehicle"),
}
OPERATORS: dict[str, str] = {
    "eq": "=",
    "ne": "≠",
    "lt": "<",
    "le": "≤",
    "gt": ">",
    "ge": "≥",
    "between": "介于 between",
    "not_between": "不介于 not between",
    "in": "属于 in",
    "not_in": "不属于 not in",
    "starts_with": "开头为 starts with",
    "is_true": "是 yes",
    "is_false": "否 no",
}
LIST_OPS = frozenset({"between", "not_between", "in", "not_in"})
NO_VALUE_OPS = frozenset({"is_true", "is_false"})
_INDEX = re.compile(r"^(\w+)\[(\d+)\](.*)$")


@dataclass(frozen=True)
class ParamField:
    name: str
    type: str  # int | decimal | bool | str
    label_zh: str
    label_en: str
    value: Any  # a literal, or an expression over other parameters (shown, not edited)

    @property
    def is_formula(self) -> bool:
        return isinstance(self.value, dict)

    def label(self, language: str) -> str:
        return self.label_zh if language == "zh" else self.label_en


def value_text(value: Any) -> str:
    """How a literal or list reads in a field: 12 / 0.85 / BYD, TESLA."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, dict) and value.get("kind") == "param":
        return f"@{value['name']}"
    return str(value)


def formula_text(value: Any) -> str:
    """A parameter expression in words: approve_min_score - 60."""
    if not isinstance(value, dict):
        return value_text(value)
    if value.get("kind") == "param":
        return str(value["name"])
    symbol = {"add": "+", "sub": "-", "mul": "×", "div": "÷"}.get(value.get("op", ""))
    args = [formula_text(a) for a in value.get("args", [])]
    if symbol:
        return f" {symbol} ".join(args)
    return f"{value.get('op')}({', '.join(args)})"


def parse_typed(text: str, kind: str) -> Any:
    """Parse field text as int / decimal (kept as a string, never float) / bool / str."""
    text = text.strip()
    if kind == "int":
        if not re.fullmatch(r"-?\d+", text):
            raise ValueError("请输入整数 / enter a whole number")
        return int(text)
    if kind == "decimal":
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError("请输入数字 / enter a number") from None
        if not number.is_finite():
            raise ValueError("请输入数字 / enter a number")
        return text
    if kind == "bool":
        if text.lower() not in ("true", "false"):
            raise ValueError("请选择是或否 / choose yes or no")
        return text.lower() == "true"
    if not text:
        raise ValueError("必填 / required")
    return text


def _kind_of_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "decimal"
    if isinstance(value, str):
        try:
            Decimal(value)
        except InvalidOperation:
            return "str"
        return "decimal"
    return "str"


def parse_cell(text: str, op: str, old: Any) -> Any:
    """A cell value from text, typed like the value it replaces (lists split on commas)."""
    if op in NO_VALUE_OPS:
        return None
    if op in LIST_OPS or isinstance(old, list):
        parts = [p for p in re.split(r"[,，]", text) if p.strip()]
        if not parts:
            raise ValueError("至少填写一个值 / enter at least one value")
        kinds = [_kind_of_literal(v) for v in old] if isinstance(old, list) and old else ["str"]
        return [parse_typed(p, kinds[min(i, len(kinds) - 1)]) for i, p in enumerate(parts)]
    return parse_typed(text, _kind_of_literal(old))


class RuleSetBody:
    """A rule-set document (`common.rules.model.RuleSet` as JSON) edited one typed value at a
    time: its parameters and rule switches, and where a problem sits in words. The approval
    engine's versions (`RuleSetForm`) and the extension rules build on it."""

    def __init__(self, ruleset: dict[str, Any]) -> None:
        self.body: dict[str, Any] = copy.deepcopy(ruleset)
        self.errors: dict[str, str] = {}  # path -> message, from typing or from the server
        self.dirty = False

    @property
    def editable(self) -> bool:
        return True

    def parameters(self) -> list[ParamField]:
        out = []
        for p in self.body.get("parameters", []):
            label = p.get("label") or {"zh": p["name"], "en": p["name"]}
            out.append(ParamField(p["name"], p["type"], label["zh"], label["en"], p["value"]))
        return out

    def rules(self) -> list[dict[str, Any]]:
        return list(self.body.get("rules", []))

    def _index(self, key: str, items: list[dict[str, Any]], ident: str, value: str) -> int:
        for i, item in enumerate(items):
            if item[key] == value:
                return i
        raise KeyError(ident)

    def _set(self, path: str, apply: Callable[[], None]) -> str | None:
        try:
            apply()
        except ValueError as exc:
            self.errors[path] = str(exc)
            return str(exc)
        self.errors.pop(path, None)
        self.dirty = True
        return None

    def set_param(self, name: str, text: str) -> str | None:
        """Type the parameter's new value; returns the message when it does not parse."""
        params = self.body["parameters"]
        i = self._index("name", params, name, name)
        param = params[i]

        def apply() -> None:
            param["value"] = parse_typed(text, param["type"])

        return self._set(f"parameters[{i}].value", apply)

    def set_rule_enabled(self, rule_id: str, enabled: bool) -> None:
        rules = self.body["rules"]
        rules[self._index("id", rules, rule_id, rule_id)]["enabled"] = enabled
        self.dirty = True

    # -- messages ----------------------------------------------------------------------------
    def place(self, path: str, language: str = "zh") -> str:
        """Where `path` is, in words: 参数「最低年龄」 / 决策表「…」第2行 第1列."""
        zh = language == "zh"
        m = _INDEX.match(path)
        if m is None:
            return path
        section, index, rest = m.group(1), int(m.group(2)), m.group(3)
        items = self.body.get(section, [])
        item = items[index] if index < len(items) else {}
        label = (item.get("label") or {}).get("zh" if zh else "en") or item.get("name") or ""
        if section == "parameters":
            return f"参数「{label}」" if zh else f"parameter “{label}”"
        if section == "rules":
            return f"规则「{label}」" if zh else f"rule “{label}”"
        if section == "tables":
            where = f"决策表「{label}」" if zh else f"table “{label}”"
            row = re.match(r"^\.rows\[(\d+)\](?:\.cells\[(\d+)\])?", rest)
            if row:
                where += f" 第{int(row.group(1)) + 1}行" if zh else f", row {int(row.group(1)) + 1}"
                if row.group(2) is not None:
                    col = int(row.group(2)) + 1
                    where += f" 第{col}列" if zh else f", column {col}"
            return where
        return path

    def messages(self, fields: dict[str, str], language: str = "zh") -> list[str]:
        """Server or local field errors as lines a risk officer can act on."""
        return [f"{self.place(path, language)}：{text}" for path, text in fields.items()]


class RuleSetForm(RuleSetBody):
    """One rule-set version of the approval engine being viewed or edited."""

    def __init__(self, summary: RuleSetSummary, ruleset: dict[str, Any]) -> None:
        super().__init__(ruleset)
        self.summary = summary

    # -- what the form shows -------------------------------------------------------------
    @property
    def editable(self) -> bool:
        return self.summary.status == RuleSetStatus.DRAFT

    def tables(self) -> list[dict[str, Any]]:
        return list(self.body.get("tables", []))

    def gates(self) -> dict[str, dict[str, str]]:
        return dict(self.body.get("gates", {}))

    def table(self, table_id: str) -> dict[str, Any]:
        for t in self.body.get("tables", []):
            if t["id"] == table_id:
                return t  # type: ignore[no-any-return]
        raise KeyError(table_id)

    def row(self, table_id: str, row_id: str) -> dict[str, Any]:
        for r in self.table(table_id)["rows"]:
            if r["id"] == row_id:
                return r  # type: ignore[no-any-return]
        raise KeyError(row_id)

    # -- edits -----------------------------------------------------------------------------
    def set_cell(self, table_id: str, row_id: str, cell: int, text: str) -> str | None:
        t_i = self._index("id", self.body["tables"], table_id, table_id)
        rows = self.body["tables"][t_i]["rows"]
        r_i = self._index("id", rows, row_id, row_id)
        current = rows[r_i]["cells"][cell]
        path = f"tables[{t_i}].rows[{r_i}].cells[{cell}].value"
        if current is None:
            return None  # "any" cells are structure, not values

        def apply() -> None:
            current["value"] = parse_cell(text, current["op"], current.get("value"))

        return self._set(path, apply)

    def set_points(self, table_id: str, row_id: str, action: int, text: str) -> str | None:
        """The score adjustment of a row, e.g. a vehicle type's risk weight 风险权重."""
        t_i = self._index("id", self.body["tables"], table_id, table_id)
        rows = self.body["tables"][t_i]["rows"]
        r_i = self._index("id", rows, row_id, row_id)
        act = rows[r_i]["then"][action]

        def apply() -> None:
            act["points"] = parse_typed(text, "int")

        return self._set(f"tables[{t_i}].rows[{r_i}].then[{action}].points", apply)

    def set_gate(self, table_id: str, row_id: str, action: int, gate: str) -> None:
        """Which verification gate 核验关卡 a row requires."""
        if gate not in self.gates():
            raise KeyError(gate)
        self.row(table_id, row_id)["then"][action]["gate"] = gate
        self.dirty = True

    def adopt(self, summary: RuleSetSummary, ruleset: dict[str, Any]) -> None:
        """What the server holds after a save: the new lock version, no local errors."""
        self.summary, self.body = summary, copy.deepcopy(ruleset)
        self.errors, self.dirty = {}, False


def field_label(path: str, language: str = "zh") -> str:
    pair = FIELD_LABELS.get(path)
    if pair is None:
        return path
    return pair[0] if language == "zh" else pair[1]


def field_choices(path: str) -> tuple[str, ...]:
    spec = FACT_FIELDS.get(path)
    return spec.choices if spec else ()


def choice_label(choice: str, language: str = "zh") -> str:
    pair = CHOICE_LABELS.get(choice)
    if pair is None:
        return choice
    return pair[0] if language == "zh" else pair[1]
