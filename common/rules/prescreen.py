"""The pre-screen subset 预审规则子集: the checks of a rule set a visitor's few answers can decide.

A visitor tells the vehicle, its price, the down payment, the term and the city: the facts in
`PRESCREEN_FACTS`. The subset keeps the rules, and the decision tables, that read only those
facts (directly or through derived values) and that decline, refer or ask for a verification
gate; scores are left out, since the score card weighs the credit report the visitor has not
given. Its outcome is indicative only: the full rule set decides the application.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import msgspec

from common.rules.facts import (
    Applicant,
    Bureau,
    Deal,
    Documents,
    Facts,
    History,
    Identity,
    Region,
    Vehicle,
    Velocity,
)
from common.rules.model import (
    AdjustScore,
    All,
    AnyOf,
    Calc,
    Cond,
    Condition,
    DecisionTable,
    Derived,
    Expr,
    FieldRef,
    Not,
    RuleSet,
    ScoreCard,
)

PRESCREEN_FACTS = frozenset({
    "vehicle.in_catalogue", "vehicle.vehicle_type", "vehicle.model_code", "vehicle.age_years",
    "vehicle.valuation", "vehicle.price_asked", "vehicle.price_to_valuation",
    "vehicle.valuation_low", "vehicle.valuation_high", "vehicle.price_to_valuation_low",
    "vehicle.price_to_valuation_high",
    "deal.principal", "deal.down_payment_ratio", "deal.term_months", "deal.annual_rate",
    "deal.product_min_down_payment_ratio", "deal.product_max_term_months",
    "deal.product_max_principal", "region.code", "region.adaptive_flag",
})  # fmt: skip
_NO_SCORE = ScoreCard(base=0, characteristics=[], approve_min=0, refer_min=0)


def _expr_paths(expr: Expr) -> Iterator[str]:
    if isinstance(expr, FieldRef):
        yield expr.path
    elif isinstance(expr, Calc):
        for arg in expr.args:
            yield from _expr_paths(arg)


def _cond_paths(cond: Condition) -> Iterator[str]:
    if isinstance(cond, Cond):
        yield cond.field
    elif isinstance(cond, All | AnyOf):
        for part in cond.of:
            yield from _cond_paths(part)
    elif isinstance(cond, Not):
        yield from _cond_paths(cond.of)


def _known_derived(derived: list[Derived]) -> set[str]:
    """The derived values computed from pre-screen facts only (in their declared order)."""
    known: set[str] = set()
    for d in derived:
        if all(p in PRESCREEN_FACTS or p in known for p in _expr_paths(d.expr)):
            known.add(f"derived.{d.name}")
    return known


def prescreen_subset(ruleset: RuleSet) -> RuleSet:
    """The checks of ``ruleset`` that only the pre-screen's facts decide, without scores."""
    known = _known_derived(ruleset.derived)
    readable = PRESCREEN_FACTS | known

    def reads_only_known(paths: Iterator[str]) -> bool:
        return all(p in readable for p in paths)

    rules = [
        msgspec.structs.replace(r, then=[a for a in r.then if not isinstance(a, AdjustScore)])
        for r in ruleset.rules
        if r.enabled and reads_only_known(_cond_paths(r.when))
        and any(not isinstance(a, AdjustScore) for a in r.then)
    ]  # fmt: skip
    tables = [t for t in ruleset.tables if _decides(t) and reads_only_known(iter(t.inputs))]
    return msgspec.structs.replace(
        ruleset,
        name=f"{ruleset.name}（预审子集）"[:200],
        scorecard=_NO_SCORE,
        derived=[d for d in ruleset.derived if f"derived.{d.name}" in known],
        rules=rules,
        tables=tables,
    )


def _decides(table: DecisionTable) -> bool:
    actions = [a for row in table.rows for a in row.then] + list(table.default)
    return bool(actions) and not any(isinstance(a, AdjustScore) for a in actions)


def prescreen_rule_ids(subset: RuleSet) -> list[str]:
    return [r.id for r in subset.rules] + [t.id for t in subset.tables]


# What the subset never reads (it reads only PRESCREEN_FACTS): neutral values that decide
# nothing, so that the facts are whole.
_UNREAD_APPLICANT = Applicant(
    age=35, age_at_term_end=38, id_valid=True, id_region_matches=True,
    name_id_mobile_match=True, mobile_months_in_service=60, monthly_income=Decimal(0),
    debt_to_income=Decimal(0), blacklist_hits=0, court_dishonest=False,
)  # fmt: skip
_UNREAD_BUREAU = Bureau(missing=True, score=0, open_loans=0, overdue_count_24m=0,
                        max_overdue_days_24m=0, inquiries_6m=0)  # fmt: skip


def prescreen_facts(vehicle: Vehicle, deal: Deal, region: Region) -> Facts:
    """Whole facts around what the visitor told (``vehicle``'s VIN fields are not read)."""
    return Facts(
        applicant=_UNREAD_APPLICANT,
        identity=Identity(face_match_score=Decimal(100), liveness_passed=True, face_checked=False),
        bureau=_UNREAD_BUREAU,
        vehicle=vehicle,
        deal=deal,
        history=History(contracts_count=0, on_time_streak=0, current_overdue_days=0,
                        overdue_count_ever=0),
        velocity=Velocity(window_days=30, same_vin_apps=0, same_id_apps=0, same_mobile_apps=0,
                          dealer_apps_today=0),
        region=region,
        documents=Documents(complete=True, missing_count=0),
    )  # fmt: skip
