"""Parameters and derived values: resolve them in dependency order and refuse reference cycles.

Part of validation (`validation._Checker` builds on this); kept apart because it is its own concern:
a small graph walk over names.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from common.rules.facts import FACT_FIELDS, FieldKind
from common.rules.model import Calc, Expr, FieldRef, ParamRef, RuleSet
from common.rules.values import Value, ValueProblem, coerce, literal_kind, safe_div, to_decimal

_NUMERIC: frozenset[FieldKind] = frozenset(["int", "decimal"])


class ReferenceChecks:
    """Collects problems in ``errors`` (path -> message); resolves parameters and derived kinds."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.rs = ruleset
        self.errors: dict[str, str] = {}
        self.params: dict[str, Value] = {}
        self.param_types = {p.name: p.type for p in ruleset.parameters}
        self.derived_kinds: dict[str, FieldKind] = {}  # in dependency order
        self._derived_index: dict[str, int] = {}

    def err(self, path: str, message: str) -> None:
        self.errors.setdefault(path, message)

    def _resolve_params(self) -> None:
        index = {p.name: i for i, p in enumerate(self.rs.parameters)}
        state: dict[str, str] = {}  # visiting / done

        def visit(name: str, trail: list[str]) -> None:
            if state.get(name) == "done":
                return
            i = index[name]
            path = f"parameters[{i}].value"
            if state.get(name) == "visiting":
                cycle = [*trail[trail.index(name) :], name]
                self.err(path, "循环引用 / reference cycle: " + " -> ".join(cycle))
                raise _CycleError
            state[name] = "visiting"
            param = self.rs.parameters[i]
            try:
                value = self._param_expr(param.value, path, [*trail, name], visit)
            finally:
                state[name] = "done"
            if value is None:
                return
            try:
                self.params[name] = (
                    to_decimal(value) if param.type == "decimal" else coerce(value, param.type)
                )
            except ValueProblem as exc:
                self.err(path, f"参数类型 {param.type} / parameter is {param.type}: {exc}")

        for name in index:
            try:
                visit(name, [])
            except _CycleError:
                continue

    def _param_expr(self, expr: Expr, path: str, trail: list[str], visit: object) -> Value | None:
        if isinstance(expr, FieldRef):
            self.err(path, f"参数不能引用事实 / parameters cannot read facts ({expr.path})")
            return None
        if isinstance(expr, ParamRef):
            if expr.name not in self.param_types:
                self.err(path, f"未知参数 / unknown parameter {expr.name!r}")
                return None
            if expr.name not in self.params:
                visit(expr.name, trail)  # type: ignore[operator]
            return self.params.get(expr.name)
        if isinstance(expr, Calc):
            got = [self._param_expr(a, path, trail, visit) for a in expr.args]
            args = [a for a in got if a is not None]
            if len(args) != len(got):
                return None
            try:
                return calc_values(expr.op, args)
            except ValueProblem as exc:
                self.err(path, str(exc))
                return None
        if isinstance(expr, float):
            return to_decimal(expr)
        return expr

    def _resolve_derived(self) -> None:
        by_name = {d.name: i for i, d in enumerate(self.rs.derived)}
        state: dict[str, str] = {}

        def visit(name: str, trail: list[str]) -> FieldKind | None:
            i = by_name[name]
            if state.get(name) == "done":
                return self.derived_kinds.get(name)
            path = f"derived[{i}].expr"
            if state.get(name) == "visiting":
                cycle = [*trail[trail.index(name) :], name]
                self.err(path, "循环引用 / reference cycle: " + " -> ".join(cycle))
                return None
            state[name] = "visiting"
            kind = self._derived_expr(self.rs.derived[i].expr, path, [*trail, name], visit)
            state[name] = "done"
            if kind is not None:
                self.derived_kinds[name] = kind
            return kind

        self._derived_index = by_name
        for name in by_name:
            visit(name, [])

    def _derived_expr(
        self, expr: Expr, path: str, trail: list[str], visit: object
    ) -> FieldKind | None:
        if isinstance(expr, FieldRef):
            if expr.path.startswith("derived."):
                name = expr.path.removeprefix("derived.")
                if name not in self._derived_index:
                    self.err(path, f"未知派生值 / unknown derived value {name!r}")
                    return None
                return visit(name, trail)  # type: ignore[operator, no-any-return]
            spec = FACT_FIELDS.get(expr.path)
            if spec is None:
                self.err(path, f"未知字段 / unknown field {expr.path!r}")
                return None
            if spec.kind not in _NUMERIC:
                self.err(path, f"派生值只能用数字字段 / {expr.path!r} is {spec.kind}, not a number")
                return None
            return spec.kind
        if isinstance(expr, ParamRef):
            if expr.name not in self.param_types:
                self.err(path, f"未知参数 / unknown parameter {expr.name!r}")
                return None
            ptype = self.param_types[expr.name]
            if ptype not in _NUMERIC:
                self.err(path, f"参数 {expr.name!r} 不是数字 / parameter is {ptype}, not a number")
                return None
            return ptype
        if isinstance(expr, Calc):
            if not expr.args or (expr.op in ("sub", "div") and len(expr.args) != 2):
                self.err(path, f"{expr.op} 参数个数不对 / wrong number of arguments")
                return None
            kinds = [self._derived_expr(a, path, trail, visit) for a in expr.args]
            if any(k is None for k in kinds):
                return None
            return "decimal" if expr.op == "div" or "decimal" in kinds else "int"
        try:
            kind = literal_kind(expr)
        except ValueProblem as exc:
            self.err(path, str(exc))
            return None
        if kind not in _NUMERIC:
            self.err(path, f"派生值只能用数字 / expected a number, got {expr!r}")
            return None
        return kind

    # -- conditions, operands, actions ------------------------------------------------------------


class _CycleError(Exception):
    pass


def calc_values(op: str, args: list[Value]) -> int | Decimal:
    nums: list[int | Decimal] = []
    for a in args:
        if type(a) is bool or isinstance(a, str):
            if isinstance(a, str):
                nums.append(to_decimal(a))
                continue
            raise ValueProblem(f"需要数字 / expected a number, got {a!r}")
        nums.append(a)
    return calc(op, nums)


def calc(op: str, args: Sequence[int | Decimal]) -> int | Decimal:
    """The one arithmetic of expressions, shared by parameters, compiler and interpreter."""
    if op == "add":
        return sum(args[1:], args[0])
    if op == "sub":
        return args[0] - args[1]
    if op == "mul":
        out = args[0]
        for a in args[1:]:
            out = out * a
        return out
    if op == "div":
        return safe_div(args[0], args[1])
    if op == "min":
        return min(args)
    return max(args)
