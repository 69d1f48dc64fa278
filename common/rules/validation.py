"""Refuse a rule set that would not compile, with a precise message per place 规则集校验.

`validate(ruleset)` checks every name, type and reference and returns a `CheckedRuleSet` with the
parameter values resolved; it raises `DomainError("ruleset_invalid", fields={path: message})`
listing every problem found, so an editor can mark each one. This runs when a rule set is saved,
never at decision time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

import msgspec

from common.errors import DomainError
from common.rules.bounds import NUMBER_MAX, SCORE_MAX, Bounds, too_big
from common.rules.facts import FACT_FIELDS, FieldKind
from common.rules.model import (
    SYSTEM_REASONS,
    Action,
    AdjustScore,
    All,
    AnyOf,
    Approve,
    Cond,
    Condition,
    Decline,
    Not,
    Operand,
    Operator,
    ParamRef,
    Refer,
    RequireVerification,
    RuleSet,
)
from common.rules.references import ReferenceChecks
from common.rules.values import (
    MEMBERSHIP,
    OPERATORS_BY_KIND,
    RANGE,
    UNARY,
    Value,
    ValueProblem,
    coerce,
)

_NAME = re.compile(r"[a-z][a-z0-9_]{0,47}\Z")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]{0,63}\Z")


class CheckedRuleSet(msgspec.Struct, frozen=True):
    """A rule set that passed validation, with what the compiler and interpreter need."""

    ruleset: RuleSet
    params: dict[str, Value]
    derived_kinds: dict[str, FieldKind]  # in evaluation order (dependencies first)


def load_ruleset(data: bytes | str) -> RuleSet:
    """Decode JSON into a RuleSet, turning shape errors into ``ruleset_invalid``."""
    try:
        return msgspec.json.decode(data, type=RuleSet)
    except msgspec.ValidationError as exc:
        text = str(exc)
        path = text.rsplit(" - at `", 1)[1].rstrip("`") if " - at `" in text else "$"
        raise DomainError(
            "ruleset_invalid",
            "规则集格式错误",
            "The rule set is malformed",
            fields={path: text},
        ) from None
    except msgspec.DecodeError as exc:
        raise DomainError(
            "ruleset_invalid", "规则集不是有效的 JSON", "Not valid JSON", fields={"$": str(exc)}
        ) from None
    except RecursionError:
        raise DomainError(
            "ruleset_invalid", "规则集嵌套过深", "The rule set is nested too deeply",
            fields={"$": "nested too deeply"},
        ) from None  # fmt: skip


def validate(ruleset: RuleSet) -> CheckedRuleSet:
    # Sizes first: a structure too deep or too large is not walked any further.
    oversized: dict[str, str] = {}
    Bounds(oversized.setdefault).run(ruleset)
    if oversized:
        _refuse(oversized)
    checker = _Checker(ruleset)
    checked = checker.run()
    if checker.errors:
        _refuse(checker.errors)
    return checked


def _refuse(errors: dict[str, str]) -> None:
    raise DomainError(
        "ruleset_invalid",
        f"规则集有 {len(errors)} 处错误，未保存",
        f"The rule set has {len(errors)} problem(s) and was not saved",
        fields=errors,
    )


def field_kind(path: str, derived_kinds: dict[str, FieldKind]) -> tuple[FieldKind, tuple[str, ...]]:
    """The kind of a condition field; KeyError if unknown."""
    if path.startswith("derived."):
        return derived_kinds[path.removeprefix("derived.")], ()
    spec = FACT_FIELDS[path]
    return spec.kind, spec.choices


class _Checker(ReferenceChecks):
    def run(self) -> CheckedRuleSet:
        rs = self.rs
        self._unique([p.name for p in rs.parameters], "parameters", "name", _NAME)
        self._unique([d.name for d in rs.derived], "derived", "name", _NAME)
        self._unique([r.id for r in rs.rules], "rules", "id", _ID)
        self._unique([t.id for t in rs.tables], "tables", "id", _ID)
        for code in list(rs.reasons) + list(rs.gates):
            if not _NAME.match(code):
                self.err(f"reasons.{code}", "代码须为小写字母、数字、下划线 / codes are snake_case")
        for code in rs.reasons:
            if code in SYSTEM_REASONS:
                self.err(f"reasons.{code}", f"系统保留代码 / {code!r} is reserved by the engine")
        self._resolve_params()
        for i, p in enumerate(rs.parameters):
            problem = too_big(self.params.get(p.name), NUMBER_MAX)
            if problem:
                self.err(f"parameters[{i}].value", problem)
        self._resolve_derived()
        for i, rule in enumerate(rs.rules):
            self._condition(rule.when, f"rules[{i}].when")
            self._actions(rule.then, f"rules[{i}].then")
        for i in range(len(rs.tables)):
            self._table(i)
        self._scorecard()
        return CheckedRuleSet(rs, self.params, self.derived_kinds)

    def _unique(
        self, names: Sequence[str], where: str, attr: str, pattern: re.Pattern[str]
    ) -> None:
        seen: set[str] = set()
        for i, name in enumerate(names):
            if not pattern.match(name):
                self.err(f"{where}[{i}].{attr}", f"名称格式无效 / invalid {attr} {name!r}")
            elif name in seen:
                self.err(f"{where}[{i}].{attr}", f"重复 / duplicate {attr} {name!r}")
            seen.add(name)

    # -- parameters and derived values: resolve in dependency order, refuse cycles ---------------

    def _field(self, path_text: str, where: str) -> tuple[FieldKind, tuple[str, ...]] | None:
        try:
            return field_kind(path_text, self.derived_kinds)
        except KeyError:
            if path_text.startswith("derived."):
                name = path_text.removeprefix("derived.")
                if name in self._derived_index:
                    return None  # the derived value itself is broken and already reported
                self.err(where, f"未知派生值 / unknown derived value {name!r}")
            else:
                self.err(where, f"未知字段 / unknown field {path_text!r}")
            return None

    def _condition(self, cond: Condition, path: str) -> None:
        if isinstance(cond, All | AnyOf):
            if not cond.of:
                self.err(f"{path}.of", "条件组为空 / empty condition group")
            for i, sub in enumerate(cond.of):
                self._condition(sub, f"{path}.of[{i}]")
        elif isinstance(cond, Not):
            self._condition(cond.of, f"{path}.of")
        else:
            assert isinstance(cond, Cond)
            spec = self._field(cond.field, f"{path}.field")
            if spec is not None:
                self.check_test(spec, cond.op, cond.value, path)

    def check_test(
        self,
        spec: tuple[FieldKind, tuple[str, ...]],
        op: Operator,
        value: Operand | None,
        path: str,
    ) -> None:
        kind, choices = spec
        if op not in OPERATORS_BY_KIND[kind]:
            allowed = ", ".join(sorted(OPERATORS_BY_KIND[kind]))
            self.err(
                f"{path}.op", f"运算符不适用 / {op!r} does not apply to {kind} (use {allowed})"
            )
            return
        vpath = f"{path}.value"
        if op in UNARY:
            if value is not None:
                self.err(vpath, f"{op} 不需要取值 / {op} takes no value")
            return
        if value is None:
            self.err(vpath, f"缺少取值 / {op} needs a value")
            return
        many = op in RANGE or op in MEMBERSHIP or (op == "starts_with" and isinstance(value, list))
        if many != isinstance(value, list):
            wanted = "列表 / a list" if many else "单个值 / a single value"
            self.err(vpath, f"{op} 需要{wanted}")
            return
        items = value if isinstance(value, list) else [value]
        if op in RANGE and len(items) != 2:
            self.err(vpath, f"{op} 需要 [下限, 上限] / {op} needs [low, high]")
            return
        if not items:
            self.err(vpath, "列表为空 / empty list")
            return
        resolved: list[Value] = []
        for j, item in enumerate(items):
            ipath = f"{vpath}[{j}]" if isinstance(value, list) else vpath
            got = self.operand(item, kind, choices, ipath)
            if got is not None:
                resolved.append(got)
        if op in RANGE and len(resolved) == 2 and resolved[0] > resolved[1]:  # type: ignore[operator]
            self.err(vpath, f"下限大于上限 / low {resolved[0]} is above high {resolved[1]}")

    def operand(
        self,
        item: bool | int | float | str | ParamRef,
        kind: FieldKind,
        choices: tuple[str, ...],
        path: str,
    ) -> Value | None:
        if isinstance(item, ParamRef):
            if item.name not in self.param_types:
                self.err(path, f"未知参数 / unknown parameter {item.name!r}")
                return None
            ptype = self.param_types[item.name]
            fits = (
                ptype == kind
                or (ptype == "int" and kind == "decimal")
                or (ptype == "str" and kind == "enum")
            )
            if not fits:
                self.err(
                    path, f"参数类型不符 / parameter {item.name!r} is {ptype}, field is {kind}"
                )
                return None
            if item.name not in self.params:
                return None  # the parameter itself is broken and already reported
            item_value: bool | int | float | str | Decimal = self.params[item.name]
        else:
            item_value = item
        try:
            got = (
                item_value if isinstance(item_value, Decimal) else coerce(item_value, kind, choices)
            )
        except ValueProblem as exc:
            self.err(path, str(exc))
            return None
        problem = too_big(got, NUMBER_MAX)
        if problem:
            self.err(path, problem)
            return None
        return got

    def _actions(self, actions: Sequence[Action], path: str) -> None:
        for i, action in enumerate(actions):
            apath = f"{path}[{i}]"
            if isinstance(action, Decline | Refer | Approve):
                if action.reason not in self.rs.reasons:
                    self.err(f"{apath}.reason", f"未知原因代码 / unknown reason {action.reason!r}")
            elif isinstance(action, RequireVerification):
                if action.gate not in self.rs.gates:
                    self.err(f"{apath}.gate", f"未知核验关卡 / unknown gate {action.gate!r}")
            elif isinstance(action, AdjustScore):
                self._int_param(action.points, f"{apath}.points")

    def _int_param(self, value: int | ParamRef, path: str) -> None:
        """A score figure: a literal (bounded by `Bounds`) or an int parameter within SCORE_MAX."""
        if isinstance(value, ParamRef):
            problem = too_big(self.operand(value, "int", (), path), SCORE_MAX)
            if problem:
                self.err(path, problem)

    def _table(self, i: int) -> None:
        table = self.rs.tables[i]
        path = f"tables[{i}]"
        specs = []
        for j, inp in enumerate(table.inputs):
            specs.append(self._field(inp, f"{path}.inputs[{j}]"))
        self._unique([r.id for r in table.rows], f"{path}.rows", "id", _ID)
        for r, row in enumerate(table.rows):
            rpath = f"{path}.rows[{r}]"
            if len(row.cells) != len(table.inputs):
                self.err(
                    f"{rpath}.cells",
                    f"需要 {len(table.inputs)} 列 / expected "
                    f"{len(table.inputs)} cells, got {len(row.cells)}",
                )
                continue
            for c, cell in enumerate(row.cells):
                spec = specs[c]
                if cell is not None and spec is not None:
                    self.check_test(spec, cell.op, cell.value, f"{rpath}.cells[{c}]")
            self._actions(row.then, f"{rpath}.then")
        self._actions(table.default, f"{path}.default")

    def _scorecard(self) -> None:
        sc = self.rs.scorecard
        for name in ("base", "approve_min", "refer_min"):
            self._int_param(getattr(sc, name), f"scorecard.{name}")
        lo, hi = _int_value(sc.refer_min, self.params), _int_value(sc.approve_min, self.params)
        if lo is not None and hi is not None and lo > hi:
            self.err(
                "scorecard.refer_min", f"转人工线高于通过线 / refer_min {lo} > approve_min {hi}"
            )
        self._unique([c.id for c in sc.characteristics], "scorecard.characteristics", "id", _ID)
        for i, ch in enumerate(sc.characteristics):
            path = f"scorecard.characteristics[{i}]"
            spec = self._field(ch.field, f"{path}.field")
            self._unique([b.id for b in ch.bins], f"{path}.bins", "id", _ID)
            for j, b in enumerate(ch.bins):
                bpath = f"{path}.bins[{j}]"
                if b.op is None:
                    if j != len(ch.bins) - 1:
                        self.err(bpath, "兜底分箱须在最后 / the catch-all bin must be last")
                elif spec is not None:
                    self.check_test(spec, b.op, b.value, bpath)


def _int_value(value: int | ParamRef, params: dict[str, Value]) -> int | None:
    if isinstance(value, ParamRef):
        got = params.get(value.name)
        return got if type(got) is int else None
    return value
