"""The rule-set model 规则集: rules are data, not code.

A `RuleSet` is what a risk officer edits and what is stored per version. It holds named parameters
(thresholds), derived values computed from facts, rules (condition -> actions), decision tables, one
score card, and the catalogues of reason codes and verification gates the actions may use.

Conditions compare one field (a fact path such as ``bureau.score`` or ``derived.<name>``) with a
literal or a parameter reference; groups combine them with all / any / not. Nothing is ever
evaluated as text: `validation.validate` checks every name and type and `compiler.compile_ruleset`
turns the checked model into Python callables.

Decimal literals are best written as strings (``"0.55"``); JSON numbers with a fraction are read
through their shortest decimal text, so ``0.55`` means exactly 0.55.
"""

from __future__ import annotations

from typing import Annotated, Literal, TypeAlias

import msgspec

from common.api import limits

Operator = Literal[
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "between",  # inclusive [lo, hi]
    "not_between",
    "in",
    "not_in",
    "starts_with",  # str fields; value is a prefix or a list of prefixes
    "is_true",
    "is_false",
]
HitPolicy = Literal["first", "collect", "unique", "priority"]
ParamType = Literal["int", "decimal", "bool", "str"]


# Texts shown to people: one line, no control characters, bounded (common.api.limits).
Label = Annotated[str, limits.line(limits.RULESET_TEXT)]


class _Model(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    pass


class _Tagged(_Model, frozen=True, tag_field="kind"):
    pass


class Text(_Model, frozen=True):
    """A label in Chinese and English."""

    zh: Label
    en: Label


class ParamRef(_Tagged, frozen=True, tag="param"):
    """A reference to a named parameter: ``{"kind": "param", "name": "max_dti"}``."""

    name: str


class FieldRef(_Tagged, frozen=True, tag="field"):
    """A fact path or ``derived.<name>`` inside an expression."""

    path: str


class Calc(_Tagged, frozen=True, tag="calc"):
    """Arithmetic over numbers; division by zero yields 0 (a zero valuation must not crash)."""

    op: Literal["add", "sub", "mul", "div", "min", "max"]
    args: list[Expr]


Scalar: TypeAlias = bool | int | float | str
Expr: TypeAlias = bool | int | float | str | ParamRef | FieldRef | Calc
Operand: TypeAlias = bool | int | float | str | ParamRef | list[bool | int | float | str | ParamRef]


class Parameter(_Model, frozen=True):
    """A named threshold 参数, changed by risk officers without a release.

    ``value`` is a literal or an expression over other parameters (no facts), e.g. a band's upper
    bound defined from its lower bound.
    """

    name: str
    type: ParamType
    value: Expr
    label: Text | None = None


class Derived(_Model, frozen=True):
    """A number computed per decision from facts, parameters and other derived values."""

    name: str
    expr: Expr
    label: Text | None = None


class Cond(_Tagged, frozen=True, tag="cond"):
    field: str
    op: Operator
    value: Operand | None = None


class All(_Tagged, frozen=True, tag="all"):
    of: list[Condition]


class AnyOf(_Tagged, frozen=True, tag="any"):
    of: list[Condition]


class Not(_Tagged, frozen=True, tag="not"):
    of: Condition


Condition: TypeAlias = Cond | All | AnyOf | Not


class Decline(_Tagged, frozen=True, tag="decline"):
    reason: str


class Refer(_Tagged, frozen=True, tag="refer"):
    """Send to a person 转人工审核."""

    reason: str


class Approve(_Tagged, frozen=True, tag="approve"):
    """Approve outright (fast lane); a decline still wins."""

    reason: str


class RequireVerification(_Tagged, frozen=True, tag="require_verification"):
    gate: str


class AdjustScore(_Tagged, frozen=True, tag="adjust_score"):
    points: int | ParamRef


Action: TypeAlias = Decline | Refer | Approve | RequireVerification | AdjustScore


class Rule(_Model, frozen=True):
    id: str
    label: Text
    when: Condition
    then: list[Action]
    enabled: bool = True


class Cell(_Model, frozen=True):
    """One input cell of a table row; a missing cell (null) matches anything (DMN ``-``)."""

    op: Operator
    value: Operand | None = None


class Row(_Model, frozen=True):
    id: str
    cells: list[Cell | None]
    then: list[Action]
    priority: int = 0  # used by the ``priority`` hit policy: highest wins, ties by order
    label: Text | None = None  # what people read in traces and tables; the id stays the key


class DecisionTable(_Model, frozen=True):
    """决策表. ``unique`` with more than one matching row refers the case (``table_conflict``)."""

    id: str
    label: Text
    inputs: list[str]
    hit_policy: HitPolicy
    rows: list[Row]
    default: list[Action] = msgspec.field(default_factory=list)


class Bin(_Model, frozen=True):
    """A score-card bin; ``op`` None is the catch-all."""

    id: str
    points: int
    op: Operator | None = None
    value: Operand | None = None
    label: Text | None = None


class Characteristic(_Model, frozen=True):
    id: str
    field: str
    bins: list[Bin]
    label: Text | None = None


class ScoreCard(_Model, frozen=True):
    """评分卡: base plus the first matching bin of each characteristic plus score adjustments.

    Without a decline, approve or refer, the score decides: >= approve_min approved,
    >= refer_min referred, below declined.
    """

    base: int | ParamRef
    characteristics: list[Characteristic]
    approve_min: int | ParamRef
    refer_min: int | ParamRef


class RuleSet(_Model, frozen=True):
    name: Annotated[str, limits.line(limits.RULESET_NAME, min_length=1)]  # a column of its own
    scorecard: ScoreCard
    version: int = 0
    parameters: list[Parameter] = msgspec.field(default_factory=list)
    derived: list[Derived] = msgspec.field(default_factory=list)
    rules: list[Rule] = msgspec.field(default_factory=list)
    tables: list[DecisionTable] = msgspec.field(default_factory=list)
    reasons: dict[str, Text] = msgspec.field(default_factory=dict)
    gates: dict[str, Text] = msgspec.field(default_factory=dict)


# Reasons the engine itself gives; a rule set may not redefine them.
SYSTEM_REASONS: dict[str, Text] = {
    "score_refer": Text(
        zh="综合评分未达自动通过线，转人工审核", en="Score below auto-approval line"
    ),
    "score_too_low": Text(zh="综合评分过低", en="Score below the referral line"),
    "table_conflict": Text(
        zh="决策表命中多行（唯一命中策略冲突），转人工审核",
        en="Decision table matched several rows under the unique hit policy",
    ),
    # given by the backend when evaluation itself fails (backend/risk/service.py)
    "engine_error": Text(
        zh="规则引擎出错，转人工审核",
        en="The rule engine failed on this case; referred to a person",
    ),
}


def encode_ruleset(ruleset: RuleSet) -> bytes:
    return msgspec.json.encode(ruleset)
