"""A plain, slow interpreter of the rule-set model: the oracle the compiled rule set is tested
against. It walks the model for every decision and shares nothing with the compiler but the value
coercion and the arithmetic; keep it obvious rather than fast.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from common.rules.decision import Decision, Gate, Outcome, Reason, TraceStep
from common.rules.facts import ABSENT, FACT_FIELDS, Facts, fact_value
from common.rules.model import (
    SYSTEM_REASONS,
    Action,
    AdjustScore,
    All,
    AnyOf,
    Approve,
    Calc,
    Cond,
    Condition,
    Decline,
    Expr,
    FieldRef,
    Not,
    Operand,
    Operator,
    ParamRef,
    Refer,
    RequireVerification,
    RuleSet,
)
from common.rules.references import calc
from common.rules.validation import field_kind, validate
from common.rules.values import coerce, to_decimal


def interpret(ruleset: RuleSet, facts: Facts) -> Decision:
    checked = validate(ruleset)
    params = checked.params
    derived: dict[str, object] = {}
    exprs = {d.name: d.expr for d in ruleset.derived}

    def value_of(path: str) -> object:
        if path.startswith("derived."):
            return derived[path[len("derived.") :]]
        return fact_value(facts, path)

    def compute(expr: Expr) -> object:
        if isinstance(expr, FieldRef):
            got = value_of(expr.path)
            if got is ABSENT:  # an absent fact counts as zero in arithmetic
                return 0 if FACT_FIELDS[expr.path].kind == "int" else Decimal(0)
            return got
        if isinstance(expr, ParamRef):
            return params[expr.name]
        if isinstance(expr, Calc):
            return calc(expr.op, [compute(a) for a in expr.args])  # type: ignore[misc]
        return expr if type(expr) is int else to_decimal(expr)

    for name in checked.derived_kinds:
        derived[name] = compute(exprs[name])

    def constants(path: str, value: Operand | None) -> list[object]:
        kind, choices = field_kind(path, checked.derived_kinds)
        items = value if isinstance(value, list) else [value]
        out: list[object] = []
        for item in items:
            raw = params[item.name] if isinstance(item, ParamRef) else item
            out.append(raw if isinstance(raw, Decimal) else coerce(raw, kind, choices))
        return out

    def test(path: str, op: Operator, value: Operand | None) -> bool:
        x = value_of(path)
        if x is ABSENT:  # every test on an absent fact is false, negations too
            return False
        if op == "is_true":
            return x == True  # noqa: E712  (same semantics as the compiler: 1/0 count)
        if op == "is_false":
            return x == False  # noqa: E712
        c = constants(path, value)
        checks: dict[str, Callable[[], object]] = {
            "eq": lambda: x == c[0],
            "ne": lambda: x != c[0],
            "lt": lambda: x < c[0],  # type: ignore[operator]
            "le": lambda: x <= c[0],  # type: ignore[operator]
            "gt": lambda: x > c[0],  # type: ignore[operator]
            "ge": lambda: x >= c[0],  # type: ignore[operator]
            "between": lambda: c[0] <= x and x <= c[1],  # type: ignore[operator]
            "not_between": lambda: x < c[0] or x > c[1],  # type: ignore[operator]
            "in": lambda: any(x == v for v in c),
            "not_in": lambda: all(x != v for v in c),
            "starts_with": lambda: any(str(x).startswith(str(v)) for v in c),
        }
        return bool(checks[op]())

    def holds(cond: Condition) -> bool:
        if isinstance(cond, All):
            return all(holds(c) for c in cond.of)
        if isinstance(cond, AnyOf):
            return any(holds(c) for c in cond.of)
        if isinstance(cond, Not):
            return not holds(cond.of)
        assert isinstance(cond, Cond)
        return test(cond.field, cond.op, cond.value)

    trace: list[TraceStep] = []
    taken: list[tuple[Action, str]] = []
    for rule in ruleset.rules:
        if not rule.enabled:
            continue
        hit = holds(rule.when)
        trace.append(TraceStep("rule", rule.id, hit, hit))
        if hit:
            taken.extend((a, rule.id) for a in rule.then)

    for table in ruleset.tables:
        row_ids = [f"{table.id}/{r.id}" for r in table.rows]
        hits: list[bool] = []
        for row in table.rows:
            hit = all(
                cell is None or test(path, cell.op, cell.value)
                for path, cell in zip(table.inputs, row.cells, strict=True)
            )
            hits.append(hit)
            if hit and table.hit_policy == "first":
                break
        matched = [i for i, h in enumerate(hits) if h]
        if table.hit_policy in ("first", "priority"):
            chosen = matched[:1]
            if table.hit_policy == "priority" and matched:
                top = max(table.rows[i].priority for i in matched)
                chosen = [next(i for i in matched if table.rows[i].priority == top)]
        elif table.hit_policy == "collect":
            chosen = matched
        else:
            chosen = matched if len(matched) == 1 else []
        for i, hit in enumerate(hits):
            trace.append(TraceStep("row", row_ids[i], hit, i in chosen))
        for i in chosen:
            taken.extend((a, row_ids[i]) for a in table.rows[i].then)
        if table.hit_policy == "unique" and len(matched) > 1:
            taken.append((Refer(reason="table_conflict"), table.id))
        elif not chosen and table.default:
            trace.append(TraceStep("default", f"{table.id}/default", True, True))
            taken.extend((a, f"{table.id}/default") for a in table.default)

    def as_int(v: int | ParamRef) -> int:
        got = params[v.name] if isinstance(v, ParamRef) else v
        assert type(got) is int
        return got

    score = as_int(ruleset.scorecard.base)
    for ch in ruleset.scorecard.characteristics:
        for b in ch.bins:
            hit = b.op is None or test(ch.field, b.op, b.value)
            trace.append(TraceStep("bin", f"{ch.id}/{b.id}", hit, hit))
            if hit:
                score += b.points
                break

    reasons: dict[str, list[Reason]] = {"decline": [], "refer": [], "approve": []}
    gates: list[Gate] = []
    for action, source in taken:
        if isinstance(action, Decline | Refer | Approve):
            kind = type(action).__name__.lower()
            text = SYSTEM_REASONS.get(action.reason) or ruleset.reasons[action.reason]
            reasons[kind].append(Reason(action.reason, kind, text.zh, text.en, source))  # type: ignore[arg-type]
        elif isinstance(action, RequireVerification):
            text = ruleset.gates[action.gate]
            if all(g.code != action.gate for g in gates):
                gates.append(Gate(action.gate, text.zh, text.en))
        elif isinstance(action, AdjustScore):
            score += as_int(action.points)

    outcome: Outcome
    if reasons["decline"]:
        outcome = "declined"
    elif reasons["approve"]:
        outcome = "approved"
    elif reasons["refer"]:
        outcome = "referred"
    elif score >= as_int(ruleset.scorecard.approve_min):
        outcome = "approved"
    elif score >= as_int(ruleset.scorecard.refer_min):
        outcome = "referred"
        t = SYSTEM_REASONS["score_refer"]
        reasons["refer"].append(Reason("score_refer", "refer", t.zh, t.en, "scorecard"))
    else:
        outcome = "declined"
        t = SYSTEM_REASONS["score_too_low"]
        reasons["decline"].append(Reason("score_too_low", "decline", t.zh, t.en, "scorecard"))

    listed: list[Reason] = []
    for r in reasons["decline"] + reasons["refer"] + reasons["approve"]:
        if all(x.code != r.code for x in listed):
            listed.append(r)
    return Decision(
        outcome=outcome,
        score=score,
        reasons=tuple(listed),
        gates=tuple(gates),
        trace=tuple(trace),
        ruleset_version=ruleset.version,
    )
