"""The rule engine's pre-screen subset: the checks a visitor's answers decide, nothing else."""

from __future__ import annotations

from decimal import Decimal

from common.rules import compile_ruleset, evaluate
from common.rules.default import default_ruleset
from common.rules.facts import Deal, Region, Vehicle
from common.rules.prescreen import (
    PRESCREEN_FACTS,
    _cond_paths,
    prescreen_facts,
    prescreen_rule_ids,
    prescreen_subset,
)

SUBSET = prescreen_subset(default_ruleset())
CHECKS = compile_ruleset(SUBSET)


def _vehicle(price: str = "100000", valuation: str = "100000", age: int = 0) -> Vehicle:
    """The valuation with an interval of ±15 % (the residual model's 80 % interval)."""
    asked, value = Decimal(price), Decimal(valuation)
    low, high = value * Decimal("0.85"), value * Decimal("1.15")
    return Vehicle(
        vin_valid=True, vin_check_digit_valid=True, maker_matches_catalogue=True,
        model_year_matches_age=True, in_catalogue=True, vehicle_type="passenger",
        model_code="SAICVW-LAVIDA", age_years=age, valuation=value, valuation_low=low,
        valuation_high=high, price_asked=asked, price_to_valuation=asked / value,
        price_to_valuation_low=asked / low, price_to_valuation_high=asked / high,
        under_active_lease=False, under_pledge=False,
    )  # fmt: skip


def _deal(principal: str = "70000", down: str = "0.3", term: int = 36) -> Deal:
    return Deal(
        principal=Decimal(principal), down_payment_ratio=Decimal(down), term_months=term,
        annual_rate=Decimal("0.08"), product_min_down_payment_ratio=Decimal("0.2"),
        product_max_term_months=36, product_max_principal=Decimal("2000000"),
    )  # fmt: skip


def _decide(vehicle: Vehicle, deal: Deal, flagged: bool = False) -> tuple[str, list[str]]:
    decision = evaluate(
        CHECKS, prescreen_facts(vehicle, deal, Region(code="110105", adaptive_flag=flagged))
    )
    return decision.outcome, [r.code for r in decision.reasons] + [g.code for g in decision.gates]


def test_the_subset_reads_only_what_a_visitor_tells():
    derived = {f"derived.{d.name}" for d in SUBSET.derived}
    for rule in SUBSET.rules:
        assert set(_cond_paths(rule.when)) <= PRESCREEN_FACTS | derived, rule.id
    for table in SUBSET.tables:
        assert set(table.inputs) <= PRESCREEN_FACTS
    assert SUBSET.scorecard.characteristics == []
    ids = prescreen_rule_ids(SUBSET)
    assert {"price_outside_valuation_band", "down_payment_below_product", "ltv_high",
            "vehicle_too_old", "adaptive_gates"} <= set(ids)  # fmt: skip
    assert not {"bureau_score_low", "blacklist_hit", "duplicate_vin", "fast_lane"} & set(ids)


def test_a_plain_need_passes_and_each_check_says_why_it_does_not():
    assert _decide(_vehicle(), _deal()) == ("approved", [])
    assert _decide(_vehicle(price="300000"), _deal("210000")) == (
        "declined", ["price_outside_valuation_band", "ltv_high"])  # fmt: skip
    assert _decide(_vehicle(), _deal("90000", "0.1"))[1][0] == "down_payment_below_product"
    assert _decide(_vehicle(age=12), _deal()) == ("referred", ["vehicle_too_old"])
    assert _decide(_vehicle(), _deal(), flagged=True) == (
        "approved", ["video_interview", "field_visit"])  # fmt: skip
