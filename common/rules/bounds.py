"""How large a rule set may be 规则集取值与嵌套上限, checked first whenever one is saved.

A number beyond these bounds or a structure nested deeper than the compiler can turn into Python
would only fail at decision time (an OverflowError when a score of 10^30 is stored, a
RecursionError or "too many nested parentheses" while compiling); refused here, each problem is
reported with its path as ``ruleset_invalid``. The walk never descends past ``MAX_DEPTH``, so a
hostile structure cannot exhaust the stack.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation

from common.rules.model import (
    Action,
    AdjustScore,
    All,
    AnyOf,
    Calc,
    Condition,
    Expr,
    Not,
    Operand,
    RuleSet,
)

NUMBER_MAX = 10**12  # any literal or parameter value, in absolute value
SCORE_MAX = 10**6  # score-card base, thresholds, bin points, score adjustments, row priorities
MAX_DEPTH = 32  # nesting of all / any / not, and of calc
MAX_ARGS = 32  # arguments of one calc
MAX_ITEMS = 500  # rules, tables, rows of a table, characteristics, bins, parameters, derived
MAX_LIST = 1000  # values of one `in` list, conditions of one group, actions of one rule

Report = Callable[[str, str], object]


def too_big(value: object, limit: int = NUMBER_MAX) -> str | None:
    """The problem with a numeric literal, or None (non-numbers are not this check's business)."""
    if type(value) is bool:
        return None
    if type(value) is int:
        return None if -limit <= value <= limit else f"超出范围 / |{value}| exceeds {limit}"
    if type(value) is float:
        if not math.isfinite(value):
            return f"需要有限数字 / expected a finite number, got {value!r}"
        return None if abs(value) <= limit else f"超出范围 / |{value!r}| exceeds {limit}"
    if isinstance(value, Decimal):
        if not value.is_finite():
            return f"需要有限数字 / expected a finite number, got {value}"
        return None if abs(value) <= limit else f"超出范围 / |{value}| exceeds {limit}"
    return None


def _numeric_text(value: str) -> Decimal | None:
    try:
        return Decimal(value.strip())
    except InvalidOperation:
        return None


class Bounds:
    def __init__(self, report: Report) -> None:
        self.report = report

    def run(self, rs: RuleSet) -> None:
        for where, items in (
            ("parameters", rs.parameters),
            ("derived", rs.derived),
            ("rules", rs.rules),
            ("tables", rs.tables),
            ("scorecard.characteristics", rs.scorecard.characteristics),
        ):
            self.count(items, where, MAX_ITEMS)
        for i, p in enumerate(rs.parameters):
            self.expr(p.value, f"parameters[{i}].value", 1)
        for i, d in enumerate(rs.derived):
            self.expr(d.expr, f"derived[{i}].expr", 1)
        for i, rule in enumerate(rs.rules):
            self.cond(rule.when, f"rules[{i}].when", 1)
            self.actions(rule.then, f"rules[{i}].then")
        for t, table in enumerate(rs.tables):
            tpath = f"tables[{t}]"
            self.count(table.rows, f"{tpath}.rows", MAX_ITEMS)
            for r, row in enumerate(table.rows):
                rpath = f"{tpath}.rows[{r}]"
                self.score(row.priority, f"{rpath}.priority")
                self.count(row.cells, f"{rpath}.cells", MAX_ARGS)
                for c, cell in enumerate(row.cells):
                    if cell is not None:
                        self.operand(cell.value, f"{rpath}.cells[{c}].value")
                self.actions(row.then, f"{rpath}.then")
            self.actions(table.default, f"{tpath}.default")
        sc = rs.scorecard
        for name in ("base", "approve_min", "refer_min"):
            self.score(getattr(sc, name), f"scorecard.{name}")
        for c, ch in enumerate(sc.characteristics):
            cpath = f"scorecard.characteristics[{c}]"
            self.count(ch.bins, f"{cpath}.bins", MAX_ITEMS)
            for b, bin_ in enumerate(ch.bins):
                self.score(bin_.points, f"{cpath}.bins[{b}].points")
                self.operand(bin_.value, f"{cpath}.bins[{b}].value")

    def count(self, items: Sequence[object], path: str, limit: int) -> None:
        if len(items) > limit:
            self.report(path, f"项目过多 / {len(items)} items, at most {limit}")

    def score(self, value: object, path: str) -> None:
        problem = too_big(value, SCORE_MAX)
        if problem:
            self.report(path, problem)

    def number(self, value: object, path: str) -> None:
        if isinstance(value, str):
            value = _numeric_text(value)
        problem = too_big(value)
        if problem:
            self.report(path, problem)

    def expr(self, expr: Expr, path: str, depth: int) -> None:
        if isinstance(expr, Calc):
            if depth > MAX_DEPTH:
                self.report(path, f"嵌套过深 / calc nested deeper than {MAX_DEPTH}")
                return
            self.count(expr.args, f"{path}.args", MAX_ARGS)
            for i, arg in enumerate(expr.args[:MAX_ARGS]):
                self.expr(arg, f"{path}.args[{i}]", depth + 1)
        else:
            self.number(expr, path)

    def cond(self, cond: Condition, path: str, depth: int) -> None:
        if isinstance(cond, All | AnyOf | Not) and depth > MAX_DEPTH:
            self.report(path, f"嵌套过深 / conditions nested deeper than {MAX_DEPTH}")
            return
        if isinstance(cond, All | AnyOf):
            self.count(cond.of, f"{path}.of", MAX_LIST)
            for i, sub in enumerate(cond.of[:MAX_LIST]):
                self.cond(sub, f"{path}.of[{i}]", depth + 1)
        elif isinstance(cond, Not):
            self.cond(cond.of, f"{path}.of", depth + 1)
        else:
            self.operand(cond.value, f"{path}.value")

    def operand(self, value: Operand | None, path: str) -> None:
        """Literal ints and floats here; numeric strings are checked once coerced to a kind."""
        if isinstance(value, list):
            self.count(value, path, MAX_LIST)
            for j, item in enumerate(value[:MAX_LIST]):
                if type(item) in (int, float):
                    self.number(item, f"{path}[{j}]")
        elif type(value) in (int, float):
            self.number(value, path)

    def actions(self, actions: Sequence[Action], path: str) -> None:
        self.count(actions, path, MAX_LIST)
        for i, action in enumerate(actions):
            if isinstance(action, AdjustScore):
                self.score(action.points, f"{path}[{i}].points")
