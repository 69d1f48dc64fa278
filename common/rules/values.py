"""Typed values: which operators suit which field kind, and turning literals into field values.

Shared by validation (to refuse), the compiler and the interpreter (to use the same constants).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from common.rules.facts import FieldKind
from common.rules.model import Calc, Expr, FieldRef, Operator, ParamRef

Value = bool | int | Decimal | str

_ORDERED: frozenset[Operator] = frozenset(
    ["eq", "ne", "lt", "le", "gt", "ge", "between", "not_between", "in", "not_in"]
)
OPERATORS_BY_KIND: dict[FieldKind, frozenset[Operator]] = {
    "int": _ORDERED,
    "decimal": _ORDERED,
    "bool": frozenset(["eq", "ne", "is_true", "is_false"]),
    "str": frozenset(["eq", "ne", "in", "not_in", "starts_with"]),
    "enum": frozenset(["eq", "ne", "in", "not_in"]),
}
UNARY: frozenset[Operator] = frozenset(["is_true", "is_false"])
RANGE: frozenset[Operator] = frozenset(["between", "not_between"])
MEMBERSHIP: frozenset[Operator] = frozenset(["in", "not_in"])


class ValueProblem(ValueError):
    """A literal does not fit the kind it is compared with; the text is the user-facing message."""


def coerce(value: object, kind: FieldKind, choices: tuple[str, ...] = ()) -> Value:
    """Turn a JSON literal into the Python value of a field of ``kind``; ValueProblem if not."""
    if kind == "bool":
        if type(value) is bool:
            return value
        raise ValueProblem(f"需要布尔值 / expected true or false, got {value!r}")
    if kind == "int":
        if type(value) is int:
            return value
        raise ValueProblem(f"需要整数 / expected an integer, got {value!r}")
    if kind == "decimal":
        return to_decimal(value)
    if type(value) is not str:
        raise ValueProblem(f"需要文本 / expected a string, got {value!r}")
    if kind == "enum" and value not in choices:
        raise ValueProblem(f"取值无效 / {value!r} is not one of {', '.join(choices)}")
    return value


def to_decimal(value: object) -> Decimal:
    if type(value) is bool:
        raise ValueProblem(f"需要数字 / expected a number, got {value!r}")
    if type(value) is int:
        return Decimal(value)
    if isinstance(value, Decimal):
        result = value
    elif type(value) is float:
        result = Decimal(repr(value))  # the shortest text of the float: 0.55 -> Decimal("0.55")
    elif type(value) is str:
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValueProblem(f"需要数字 / expected a decimal number, got {value!r}") from None
    else:
        raise ValueProblem(f"需要数字 / expected a number, got {value!r}")
    if not result.is_finite():
        raise ValueProblem(f"需要有限数字 / expected a finite number, got {value!r}")
    return result


def literal_kind(value: object) -> FieldKind:
    """The kind of an expression literal: bool, int, decimal (float or numeric string), str."""
    if type(value) is bool:
        return "bool"
    if type(value) is int:
        return "int"
    if type(value) is float:
        return "decimal"
    if type(value) is str:
        try:
            to_decimal(value)
        except ValueProblem:
            return "str"
        return "decimal"
    raise ValueProblem(f"不支持的取值 / unsupported value {value!r}")


def expr_refs(expr: Expr) -> tuple[list[str], list[str]]:
    """(parameter names, field paths) an expression refers to, in order."""
    params: list[str] = []
    paths: list[str] = []
    stack: list[Expr] = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, ParamRef):
            params.append(e.name)
        elif isinstance(e, FieldRef):
            paths.append(e.path)
        elif isinstance(e, Calc):
            stack.extend(reversed(e.args))
    return params, paths


def safe_div(a: int | Decimal, b: int | Decimal) -> Decimal:
    """Division for derived values: x / 0 is 0, so a zero valuation reads as 'no value'."""
    if b == 0:
        return Decimal(0)
    return Decimal(a) / Decimal(b)
