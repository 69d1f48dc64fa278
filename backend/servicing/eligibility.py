"""Extension eligibility 展期准入 as a rule set: data, versioned, validated, audited.

The rules are `common.rules.model.RuleSet` documents — the model the approval engine uses
(parameters, rules of all/any/not conditions, decline / refer / approve actions, reason texts),
with literals coerced and operators checked by `common.rules.values` exactly as there. The
approval engine's validator and compiler are bound to the application facts
(`common.rules.facts.Facts`), so this module checks and evaluates the same model against the
extension facts below (`EXTENSION_FIELDS`); decision tables and score-card bins are not used by
this kind and are refused. Outcome, like the approval engine: any decline -> declined; else any
approve -> approved; else any refer -> referred; with no rule firing, referred
(``no_rule_matched``: a person looks at what the rules did not foresee).

Versions are stored in `extension_rule_sets` (`backend.servicing.extensions`); the shipped
`DEFAULT` is version 1 until a risk officer publishes another.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from typing import Any, Literal

import msgspec

from common.errors import DomainError
from common.rules.decision import Decision, Outcome, Reason, TraceStep
from common.rules.model import (
    All,
    AnyOf,
    Approve,
    Cond,
    Condition,
    Decline,
    Not,
    Operand,
    Parameter,
    ParamRef,
    Refer,
    Rule,
    RuleSet,
    ScoreCard,
    Text,
)
from common.rules.values import MEMBERSHIP, OPERATORS_BY_KIND, RANGE, UNARY, ValueProblem, coerce

Bucket = Literal["M0", "M1", "M2", "M3", "M4", "M5", "M6", "M7"]


class ExtensionFacts(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What an extension request is judged on (section ``extension``)."""

    days_past_due: int
    bucket: Bucket
    months_elapsed: int  # instalments already due
    months_to_add: int
    on_time_payments: int  # instalments settled by their due date
    previous_extensions: int  # applied and not reversed
    months_added_before: int  # by those
    new_term_months: int  # the contract's term after it (its last instalment's number)
    months_beyond_policy: int  # all extensions together beyond the policy's limit (0: within)
    months_beyond_max_term: int  # the new term beyond the longest lease (0: within)


EXTENSION_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    f"extension.{name}": (
        ("enum", typing.get_args(tp)) if typing.get_origin(tp) is Literal else ("int", ())
    )
    for name, tp in typing.get_type_hints(ExtensionFacts).items()
}
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "extension.days_past_due": ("逾期天数", "Days past due"),
    "extension.bucket": ("逾期阶段", "Delinquency bucket"),
    "extension.months_elapsed": ("已到期期数", "Instalments already due"),
    "extension.months_to_add": ("本次展期月数", "Months to add"),
    "extension.on_time_payments": ("按时还款期数", "Instalments paid on time"),
    "extension.previous_extensions": ("已展期次数", "Extensions before"),
    "extension.months_added_before": ("此前累计展期月数", "Months added before"),
    "extension.new_term_months": ("展期后总期数", "Term after it (months)"),
    "extension.months_beyond_policy": ("超出产品展期上限的月数", "Months beyond the policy"),
    "extension.months_beyond_max_term": ("超出最长租期的月数", "Months beyond the longest lease"),
}  # what people call the fields; every one of EXTENSION_FIELDS has a name here
NO_RULE = Text(zh="无规则命中，转人工审核", en="No rule matched; referred to a person")
_AT = re.compile(r" - at `\$\.?(.*)`$")


def _invalid(fields: dict[str, str]) -> DomainError:
    return DomainError(
        "ruleset_invalid", "展期规则集有误", "the extension rule set is invalid", fields=fields
    )


def _params(ruleset: RuleSet) -> dict[str, object]:
    out: dict[str, object] = {}
    for p in ruleset.parameters:
        if p.type not in ("int", "str") or isinstance(p.value, ParamRef | dict | list):
            raise _invalid({f"parameters.{p.name}": "展期规则参数须为整数或文本常量"})
        out[p.name] = p.value
    return out


def parse(body: dict[str, Any]) -> RuleSet:
    """A candidate rule-set document as publishing takes it: the model first (a problem is
    reported at its path, e.g. ``rules[0].when.op``), then `validate`. Raises ruleset_invalid."""
    try:
        candidate = msgspec.convert(body, RuleSet)
    except msgspec.ValidationError as exc:
        text = str(exc)
        found = _AT.search(text)
        where = (found.group(1) or "ruleset") if found else "ruleset"
        message = text[: found.start()] if found else text
        raise DomainError(
            "ruleset_invalid", "展期规则集格式有误", text, fields={where: message}
        ) from None
    validate(candidate)
    return candidate


def validate(ruleset: RuleSet) -> None:
    """Every field, operator, literal, parameter and reason is known and fits; no tables or
    score-card bins (this kind does not use them). Raises ruleset_invalid listing each place."""
    problems: dict[str, str] = {}
    if ruleset.tables or ruleset.scorecard.characteristics:
        problems["tables"] = "展期规则不使用决策表与评分卡"
    params = _params(ruleset)

    def check(cond: Condition, where: str) -> None:
        if isinstance(cond, All | AnyOf):
            for k, c in enumerate(cond.of):
                check(c, f"{where}.of[{k}]")
            return
        if isinstance(cond, Not):
            check(cond.of, f"{where}.of")
            return
        spec = EXTENSION_FIELDS.get(cond.field)
        if spec is None:
            problems[f"{where}.field"] = f"未知字段 {cond.field}"
            return
        if cond.op not in OPERATORS_BY_KIND[spec[0]]:  # type: ignore[index]
            problems[f"{where}.op"] = f"字段 {cond.field} 不能用 {cond.op}"
            return
        try:
            _constants(cond.field, cond.value, params, cond.op)
        except (ValueProblem, KeyError) as exc:
            problems[f"{where}.value"] = str(exc)

    ids = set()
    for k, rule in enumerate(ruleset.rules):
        if rule.id in ids:
            problems[f"rules[{k}].id"] = "规则编号重复"
        ids.add(rule.id)
        check(rule.when, f"rules[{k}].when")
        for j, action in enumerate(rule.then):
            if not isinstance(action, Decline | Refer | Approve):
                problems[f"rules[{k}].then[{j}]"] = "展期规则只能通过、拒绝或转人工"
            elif action.reason not in ruleset.reasons:
                problems[f"rules[{k}].then[{j}]"] = f"未定义的原因 {action.reason}"
    if problems:
        raise _invalid(problems)


def _constants(
    path: str, value: Operand | None, params: dict[str, object], op: str
) -> list[object]:
    kind, choices = EXTENSION_FIELDS[path]
    if op in UNARY:
        return []
    items = value if isinstance(value, list) else [value]
    out: list[object] = []
    for item in items:
        raw = params[item.name] if isinstance(item, ParamRef) else item
        out.append(coerce(raw, kind, choices))  # type: ignore[arg-type]
    if (op in RANGE and len(out) != 2) or (op not in RANGE | MEMBERSHIP and len(out) != 1):
        raise ValueProblem(f"{op} 的取值个数不对")
    return out


def evaluate(ruleset: RuleSet, facts: ExtensionFacts) -> Decision:
    """Facts in, decision out (the rule set is validated first)."""
    validate(ruleset)
    params = _params(ruleset)

    def holds(cond: Condition) -> bool:
        if isinstance(cond, All):
            return all(holds(c) for c in cond.of)
        if isinstance(cond, AnyOf):
            return any(holds(c) for c in cond.of)
        if isinstance(cond, Not):
            return not holds(cond.of)
        assert isinstance(cond, Cond)
        x = getattr(facts, cond.field.split(".", 1)[1])
        c = _constants(cond.field, cond.value, params, cond.op)
        checks: dict[str, Callable[[], bool]] = {
            "eq": lambda: x == c[0],
            "ne": lambda: x != c[0],
            "lt": lambda: x < c[0],
            "le": lambda: x <= c[0],
            "gt": lambda: x > c[0],
            "ge": lambda: x >= c[0],
            "between": lambda: c[0] <= x <= c[1],
            "not_between": lambda: x < c[0] or x > c[1],
            "in": lambda: x in c,
            "not_in": lambda: x not in c,
            "starts_with": lambda: any(str(x).startswith(str(v)) for v in c),
        }
        return checks[cond.op]()

    trace, found = [], {"decline": [], "refer": [], "approve": []}  # type: ignore[var-annotated]
    for rule in ruleset.rules:
        if not rule.enabled:
            continue
        hit = holds(rule.when)
        trace.append(TraceStep("rule", rule.id, hit, hit))
        for action in rule.then if hit else ():
            kind = type(action).__name__.lower()
            text = ruleset.reasons[action.reason]  # type: ignore[union-attr]
            found[kind].append(Reason(action.reason, kind, text.zh, text.en, rule.id))  # type: ignore[union-attr, arg-type]
    outcome: Outcome
    if found["decline"]:
        outcome = "declined"
    elif found["approve"]:
        outcome = "approved"
    else:
        outcome = "referred"
        if not found["refer"]:
            found["refer"].append(Reason("no_rule_matched", "refer", NO_RULE.zh, NO_RULE.en, ""))
    listed: list[Reason] = []
    for r in found["decline"] + found["refer"] + found["approve"]:
        if all(x.code != r.code for x in listed):
            listed.append(r)
    return Decision(outcome=outcome, score=0, reasons=tuple(listed), gates=(), trace=tuple(trace),
                    ruleset_version=ruleset.version)  # fmt: skip


def _t(zh: str, en: str) -> Text:
    return Text(zh=zh, en=en)


def _c(field: str, op: str, value: Operand | None = None) -> Cond:
    return Cond(field=f"extension.{field}", op=op, value=value)  # type: ignore[arg-type]


def _p(name: str) -> ParamRef:
    return ParamRef(name=name)


DEFAULT = RuleSet(
    name="展期准入规则（默认）",
    version=1,
    scorecard=ScoreCard(base=0, characteristics=[], approve_min=0, refer_min=0),
    parameters=[
        Parameter(
            name="max_days_past_due",
            type="int",
            value=90,
            label=_t("可展期的最长逾期天数", "Longest days past due to extend"),
        ),
        Parameter(
            name="max_extensions",
            type="int",
            value=2,
            label=_t("最多展期次数", "Most extensions per contract"),
        ),
        Parameter(
            name="min_months_elapsed",
            type="int",
            value=6,
            label=_t("自动通过所需已还期数", "Instalments due before an automatic approval"),
        ),
        Parameter(
            name="min_on_time",
            type="int",
            value=3,
            label=_t("自动通过所需按时还款期数", "On-time instalments to approve"),
        ),
    ],
    rules=[
        Rule(
            id="deep_arrears",
            label=_t("逾期过久", "Too far past due"),
            when=_c("days_past_due", "gt", _p("max_days_past_due")),
            then=[Decline(reason="arrears_too_long")],
        ),
        Rule(
            id="too_many",
            label=_t("展期次数已满", "Extended too often"),
            when=_c("previous_extensions", "ge", _p("max_extensions")),
            then=[Decline(reason="too_many_extensions")],
        ),
        Rule(
            id="beyond_limits",
            label=_t("超过展期上限", "Beyond the limits"),
            when=AnyOf(
                of=[
                    _c("months_beyond_policy", "gt", 0),
                    _c("months_beyond_max_term", "gt", 0),
                ]
            ),
            then=[Decline(reason="term_too_long")],
        ),
        Rule(
            id="in_arrears",
            label=_t("当前逾期", "Past due now"),
            when=_c("days_past_due", "between", [1, _p("max_days_past_due")]),
            then=[Refer(reason="in_arrears")],
        ),
        Rule(
            id="early",
            label=_t("起租不久", "Early in the term"),
            when=_c("months_elapsed", "lt", _p("min_months_elapsed")),
            then=[Refer(reason="early_in_term")],
        ),
        Rule(
            id="good_payer",
            label=_t("按时还款且无逾期", "Paid on time, nothing past due"),
            when=All(
                of=[
                    _c("days_past_due", "eq", 0),
                    _c("on_time_payments", "ge", _p("min_on_time")),
                    _c("months_elapsed", "ge", _p("min_months_elapsed")),
                    _c("previous_extensions", "eq", 0),
                ]
            ),
            then=[Approve(reason="good_standing")],
        ),
    ],
    reasons={
        "arrears_too_long": _t("逾期超过可展期天数", "Past due beyond the extension limit"),
        "too_many_extensions": _t("展期次数已达上限", "The contract was extended too often"),
        "term_too_long": _t("展期月数或展期后期限超过上限", "Months added or new term too long"),
        "in_arrears": _t("当前有逾期，转人工审核", "Past due now; referred"),
        "early_in_term": _t("起租不久，转人工审核", "Early in the term; referred"),
        "good_standing": _t("按时还款，自动通过", "Paid on time; approved"),
    },
)
