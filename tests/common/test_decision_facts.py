"""Deciding a submission is pure: what was filed, our records and the providers' answers in, an
outcome out — no database, no clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from common.api.intake import ApplicationStatus
from common.decision_facts import CatalogueEntry, Filed, OwnRecords, facts_from
from common.products import DealLimits
from common.provider_answers import (
    NEUTRAL_CARRIER,
    NEUTRAL_PROFILE,
    NO_HISTORY,
    Answers,
    ApplicantProfile,
    BureauReport,
    CarrierCheck,
)
from common.rules import compile_ruleset
from common.rules.default import default_ruleset
from common.submission import decide_submission
from common.valuation import ValuationResult

TODAY = date(2026, 12, 1)
AS_OF = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
LAVIDA = CatalogueEntry("vw-lavida", ("LSV",), "passenger", Decimal(120000))
# the residual model's answer for the filed car, priced at 45,000 (the shell asks the model)
FAIR = ValuationResult(Decimal(48000), Decimal(42000), Decimal(55000), Decimal("3.9"), "test")
LIMITS = DealLimits(Decimal("0.15"), 60, Decimal(2000000))
OWN = OwnRecords(0, 0, 0, 0, False, "110105", False, None)  # the ID is from Beijing too
ANSWERS = Answers(
    BureauReport(720, 1, 0, 0, 1),
    None,
    CarrierCheck(True, 60),
    ApplicantProfile(Decimal(20000), Decimal(1000), 0, False),
    NO_HISTORY,
    pledged=False,
)


def _filed(**changes: object) -> Filed:
    base = {
        "customer_kind": "person",
        "id_number": "110105198506150014",
        "vin": "LSVAU218XN2183294",
        "model_year": 2022,
        "is_new": False,
        "mileage_km": 40000,
        "price_fen": 4_500_000,
        "model": LAVIDA,
        "quote": {"principal": "30000", "term_months": 36},
        "annualised_rate_percent": "6.1677",
        "monthly_payment_fen": 91_267,
        "limits": LIMITS,
        "valuation": FAIR,
    }
    return Filed(**{**base, **changes})  # type: ignore[arg-type]


def test_the_deal_is_judged_against_the_products_limits():
    deal = facts_from(_filed(), OWN, ANSWERS, TODAY).deal
    assert deal.down_payment_ratio == Decimal("0.3333")
    assert (deal.product_min_down_payment_ratio, deal.product_max_term_months) == (
        Decimal("0.15"),
        60,
    )


def test_a_car_sold_as_new_but_built_years_ago_does_not_match_its_age():
    vehicle = facts_from(_filed(is_new=True), OWN, ANSWERS, TODAY).vehicle
    assert vehicle.model_year_matches_age is False
    assert vehicle.age_years == 4


def test_a_bureau_that_did_not_answer_is_missing_not_a_score_of_zero_that_passes():
    answers = Answers(None, None, NEUTRAL_CARRIER, NEUTRAL_PROFILE, NO_HISTORY, False)
    assert facts_from(_filed(), OWN, answers, TODAY).bureau.missing is True


def test_an_outage_refers_what_the_rules_would_approve():
    ruleset = compile_ruleset(default_ruleset())
    answered = decide_submission(_filed(), OWN, ANSWERS, (), ruleset, 1, AS_OF)
    assert answered.status is ApplicationStatus.APPROVED, answered.decision.reasons
    outage = decide_submission(_filed(), OWN, ANSWERS, ("bureau",), ruleset, 1, AS_OF)
    assert outage.status is ApplicationStatus.IN_REVIEW
    assert outage.decision.reasons[-1].code == "provider_unavailable"


def test_a_rule_set_that_failed_to_compile_refers_the_case():
    outcome = decide_submission(_filed(), OWN, ANSWERS, (), ValueError("broken"), 7, AS_OF)
    assert outcome.status is ApplicationStatus.IN_REVIEW
    assert [r.code for r in outcome.decision.reasons] == ["engine_error"]
    assert isinstance(outcome.engine_failure, ValueError)


def test_the_vehicle_is_judged_against_the_valuation_interval():
    vehicle = facts_from(_filed(), OWN, ANSWERS, TODAY).vehicle
    assert (vehicle.valuation, vehicle.valuation_low, vehicle.valuation_high) == (
        48000,
        42000,
        55000,
    )
    assert vehicle.price_to_valuation_low == Decimal("1.0714")
    assert vehicle.price_to_valuation_high == Decimal("0.8182")


def test_without_a_catalogue_model_the_valuation_facts_are_zero():
    vehicle = facts_from(_filed(model=None), OWN, ANSWERS, TODAY).vehicle
    assert (vehicle.valuation, vehicle.valuation_low, vehicle.price_to_valuation_high) == (0, 0, 0)
