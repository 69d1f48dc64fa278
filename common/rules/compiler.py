"""Compile a rule set once per version into one generated Python function 规则编译.

The generated source is built only from names we make ourselves (``s_bureau``, ``d_ltv``, ``k12``),
attribute names taken from the fact catalogue, derived names checked by validation against
``[a-z][a-z0-9_]*``, and operators from a fixed table. Every literal and parameter value is passed
in the function's namespace as a constant, never written into the text, so no user text is ever
evaluated. The function returns the trace, the effects of what fired (prepared once, in `plans`)
and the score-card score; `evaluator.evaluate` resolves them into a `Decision`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

import msgspec

from common.errors import DomainError
from common.rules import plans
from common.rules.decision import TraceStep
from common.rules.facts import FACT_FIELDS, OPTIONAL_SECTIONS, Facts
from common.rules.model import (
    All,
    AnyOf,
    Calc,
    Cond,
    Condition,
    Expr,
    FieldRef,
    Not,
    Operand,
    Operator,
    ParamRef,
    RuleSet,
)
from common.rules.plans import Effects
from common.rules.validation import CheckedRuleSet, field_kind, validate
from common.rules.values import Value, coerce, safe_div, to_decimal

_COMPARE: dict[Operator, str] = {
    "eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=",
}  # fmt: skip

# trace steps, fired effects, score before adjustments
Decide = Callable[[Facts], tuple[list[TraceStep], list[Effects], int]]


class CompiledRuleSet(msgspec.Struct, frozen=True):
    """A rule set ready to decide; build with `compile_ruleset`, use with `evaluate`."""

    version: int
    decide: Decide
    approve_min: int
    refer_min: int
    source: str  # the generated function, for review and debugging


def compile_ruleset(ruleset: RuleSet) -> CompiledRuleSet:
    """Validate (raises ``ruleset_invalid``) and compile. Call once per published version."""
    return _Compiler(validate(ruleset)).build()


class _Compiler:
    def __init__(self, checked: CheckedRuleSet) -> None:
        self.checked = checked
        self.rs = checked.ruleset
        self.params = checked.params
        self.consts: dict[str, object] = {}
        self.sections: set[str] = set()

    def const(self, value: object) -> str:
        name = f"k{len(self.consts)}"
        self.consts[name] = value
        return name

    def build(self) -> CompiledRuleSet:
        rs, params = self.rs, self.params
        body: list[str] = []
        for name in self.checked.derived_kinds:
            expr = next(d.expr for d in rs.derived if d.name == name)
            body.append(f"d_{name} = {self.expr(expr)}")
        rules = [r for r in rs.rules if r.enabled]
        for i, rule in enumerate(rules):
            body.append(f"h{i} = {self.cond(rule.when)}")
        steps = [f"{self.const(plans.rule_steps(r.id))}[h{i}]" for i, r in enumerate(rules)]
        body += [f"trace = [{', '.join(steps)}]", "fired = []"]
        for i, rule in enumerate(rules):
            effects = self.const(plans.effects(rs, params, rule.then, rule.id))
            body.append(f"if h{i}: fired.append({effects})")
        for t, table in enumerate(rs.tables):
            rows = [self.row(table.inputs, row.cells) for row in table.rows]
            if table.hit_policy == "first":
                body.append(f"t{t} = -1")
                for k, row_src in enumerate(rows):
                    body.append(f"{'if' if k == 0 else 'elif'} {row_src}:\n        t{t} = {k}")
                plan = self.const(plans.first_hit_plan(rs, params, table))
                body += [f"p = {plan}[t{t}]", "trace.extend(p[0])", "fired.append(p[1])"]
            else:
                plan = self.const(plans.table_plan(rs, params, table))
                body.append(
                    f"_apply_table({plan}, ({''.join(f'{r}, ' for r in rows)}), trace, fired)"
                )
        score = [self.const(plans.int_value(rs.scorecard.base, params))]
        for c, ch in enumerate(rs.scorecard.characteristics):
            body.append(f"b{c} = -1")
            for k, b in enumerate(ch.bins):
                test = "True" if b.op is None else self.test(ch.field, b.op, b.value)
                body.append(f"{'if' if k == 0 else 'elif'} {test}:\n        b{c} = {k}")
            body += [f"p = {self.const(plans.bin_plan(ch))}[b{c}]", "trace.extend(p[0])"]
            body.append(f"s{c} = p[1]")
            score.append(f"s{c}")
        head = [f"s_{s} = facts.{s}" for s in sorted(self.sections)]
        lines = [*head, *body, f"return trace, fired, {' + '.join(score)}"]
        source = "def decide(facts):\n" + "\n".join(f"    {line}" for line in lines)
        namespace: dict[str, object] = {
            **self.consts,
            "_div": safe_div,
            "_apply_table": plans.apply_table,
        }
        # Safe by construction: see the module docstring; the text holds no user-supplied strings.
        try:
            code = compile(source, f"<ruleset v{rs.version}>", "exec")
        except (RecursionError, SyntaxError, MemoryError):  # beyond what `bounds` foresaw
            raise DomainError(
                "ruleset_invalid", "规则集过于复杂，无法编译", "Too complex to compile",
                fields={"$": "too complex to compile"},
            ) from None  # fmt: skip
        exec(code, namespace)  # noqa: S102
        return CompiledRuleSet(
            version=rs.version,
            decide=namespace["decide"],  # type: ignore[arg-type]
            approve_min=plans.int_value(rs.scorecard.approve_min, params),
            refer_min=plans.int_value(rs.scorecard.refer_min, params),
            source=source,
        )

    # -- source generation -------------------------------------------------------------------------

    def field(self, path: str) -> str:
        if path.startswith("derived."):
            return f"d_{path.removeprefix('derived.')}"
        spec = FACT_FIELDS[path]
        self.sections.add(spec.section)
        return f"s_{spec.section}.{spec.name}"

    def _optional(self, path: str) -> str | None:
        """The section variable of a fact in a section that may be absent, else None."""
        spec = FACT_FIELDS.get(path)
        return f"s_{spec.section}" if spec and spec.section in OPTIONAL_SECTIONS else None

    def expr(self, expr: Expr) -> str:
        if isinstance(expr, FieldRef):
            section = self._optional(expr.path)
            if section is not None:  # an absent fact counts as zero in arithmetic
                zero = self.const(0 if FACT_FIELDS[expr.path].kind == "int" else Decimal(0))
                return f"({self.field(expr.path)} if {section} is not None else {zero})"
            return self.field(expr.path)
        if isinstance(expr, ParamRef):
            return self.const(self.checked.params[expr.name])
        if isinstance(expr, Calc):
            args = [self.expr(a) for a in expr.args]
            if expr.op == "div":
                return f"_div({args[0]}, {args[1]})"
            if expr.op in ("min", "max"):
                return f"{expr.op}({', '.join(args)})"
            sign = {"add": " + ", "sub": " - ", "mul": " * "}[expr.op]
            return f"({sign.join(args)})"
        return self.const(expr if type(expr) is int else to_decimal(expr))

    def cond(self, cond: Condition) -> str:
        if isinstance(cond, All):
            return "(" + " and ".join(self.cond(c) for c in cond.of) + ")"
        if isinstance(cond, AnyOf):
            return "(" + " or ".join(self.cond(c) for c in cond.of) + ")"
        if isinstance(cond, Not):
            return f"(not {self.cond(cond.of)})"
        assert isinstance(cond, Cond)
        return self.test(cond.field, cond.op, cond.value)

    def row(self, inputs: Sequence[str], cells: Sequence[object]) -> str:
        tests = [
            self.test(path, cell.op, cell.value)  # type: ignore[attr-defined]
            for path, cell in zip(inputs, cells, strict=True)
            if cell is not None
        ]
        return "(" + " and ".join(tests) + ")" if tests else "True"

    def test(self, path: str, op: Operator, value: Operand | None) -> str:
        section = self._optional(path)
        if section is not None:  # every test on an absent fact is false, negations too
            return f"({section} is not None and {self._test(path, op, value)})"
        return self._test(path, op, value)

    def _test(self, path: str, op: Operator, value: Operand | None) -> str:
        x = self.field(path)
        # == rather than `is`: a 1/0 from a careless provider must still trip a check
        if op == "is_true":
            return f"({x} == True)"
        if op == "is_false":
            return f"({x} == False)"
        values = operand_values(self.checked, path, value)
        if op in _COMPARE:
            return f"({x} {_COMPARE[op]} {self.const(values[0])})"
        if op == "between":
            return f"({self.const(values[0])} <= {x} <= {self.const(values[1])})"
        if op == "not_between":
            return f"(not {self.const(values[0])} <= {x} <= {self.const(values[1])})"
        if op == "in":
            return f"({x} in {self.const(frozenset(values))})"
        if op == "not_in":
            return f"({x} not in {self.const(frozenset(values))})"
        return f"{x}.startswith({self.const(tuple(values))})"


def operand_values(checked: CheckedRuleSet, path: str, value: Operand | None) -> list[Value]:
    """The typed constants a test compares with (parameters resolved, literals coerced)."""
    kind, choices = field_kind(path, checked.derived_kinds)
    items = value if isinstance(value, list) else [value]
    out: list[Value] = []
    for item in items:
        raw = checked.params[item.name] if isinstance(item, ParamRef) else item
        assert raw is not None
        out.append(raw if isinstance(raw, Decimal) else coerce(raw, kind, choices))
    return out


def _tuple(names: Sequence[str]) -> str:
    return "".join(f"{n}, " for n in names)
