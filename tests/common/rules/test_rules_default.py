"""The seeded default rule set on hand-made facts: approved, referred and declined for visible
reasons; the toy car, the fast lane (F11) and the adaptive gates (F12)."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest
from rules_helpers import decide

from common.rules import compile_ruleset, default_ruleset, evaluate
from common.rules.examples import EXAMPLE_CASES, example_facts, with_changes
from common.rules.model import Parameter
from common.rules.simulate import diff_outcomes

DEFAULT = default_ruleset()


def codes(changes: dict[str, object]) -> list[str]:
    return [r.code for r in decide(DEFAULT, changes).reasons]


@pytest.mark.parametrize("name", list(EXAMPLE_CASES))
def test_example_cases_get_their_outcome(name: str) -> None:
    changes, outcome = EXAMPLE_CASES[name]
    assert decide(DEFAULT, dict(changes)).outcome == outcome


def test_has_at_least_twenty_named_cross_checks_each_with_its_reason() -> None:
    rules = DEFAULT.rules
    assert len(rules) >= 20
    for r in rules:
        assert r.label.zh
        assert r.label.en
        for action in r.then:
            reason = getattr(action, "reason", None)
            assert reason is None or reason in DEFAULT.reasons


def test_clean_applicant_is_approved_without_reasons_or_gates() -> None:
    d = decide(DEFAULT)
    assert (d.outcome, d.score, d.reasons, d.gates) == ("approved", 690, (), ())
    assert len([s for s in d.trace if s.kind == "rule"]) == len(DEFAULT.rules)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"vehicle.in_catalogue": False}, "vehicle_not_in_catalogue"),
        ({"vehicle.price_to_valuation_low": Decimal("0.05")}, "price_outside_valuation_band"),
        ({"vehicle.price_to_valuation_high": Decimal("1.16")}, "price_outside_valuation_band"),
    ],
)
def test_toy_car_is_declined(changes: dict[str, object], reason: str) -> None:
    d = decide(DEFAULT, changes)
    assert d.outcome == "declined"
    assert reason in [r.code for r in d.reasons]
    assert any(r.zh.endswith("（疑似虚假抵押物）") for r in d.reasons)


def test_price_at_the_interval_band_edges_is_accepted() -> None:
    at_low = {"vehicle.price_to_valuation_low": Decimal("0.80")}
    at_high = {"vehicle.price_to_valuation_high": Decimal("1.15")}
    for edge in (at_low, at_high):
        assert decide(DEFAULT, edge).outcome == "approved"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "reason", "outcome"),
    [
        ({"applicant.id_valid": False}, "id_invalid", "declined"),
        ({"applicant.age_at_term_end": 66}, "age_at_term_end", "declined"),
        ({"applicant.name_id_mobile_match": False}, "name_id_mobile_mismatch", "declined"),
        ({"identity.face_match_score": Decimal("70")}, "face_match_weak", "referred"),
        ({"identity.face_match_score": Decimal("40")}, "face_match_failed", "declined"),
        ({"vehicle.vin_check_digit_valid": False}, "vin_check_digit", "declined"),
        ({"vehicle.maker_matches_catalogue": False}, "vin_maker_mismatch", "declined"),
        ({"vehicle.under_pledge": True}, "vehicle_encumbered", "declined"),
        ({"velocity.same_id_apps": 2}, "duplicate_id", "referred"),
        ({"velocity.dealer_apps_today": 31}, "dealer_velocity", "referred"),
        ({"deal.down_payment_ratio": Decimal("0.15")}, "down_payment_below_product", "declined"),
        ({"deal.term_months": 60}, "term_above_product", "declined"),
        ({"applicant.debt_to_income": Decimal("0.60")}, "dti_too_high", "declined"),
        ({"applicant.debt_to_income": Decimal("0.50")}, "dti_elevated", "referred"),
        ({"bureau.overdue_count_24m": 3}, "bureau_overdue_24m", "declined"),
        ({"bureau.max_overdue_days_24m": 91}, "bureau_overdue_24m", "declined"),
        ({"bureau.score": 540}, "bureau_score_low", "declined"),
        ({"applicant.court_dishonest": True}, "court_dishonest", "declined"),
        ({"history.current_overdue_days": 5}, "overdue_with_us", "declined"),
        ({"documents.complete": False}, "documents_incomplete", "declined"),
        ({"deal.annual_rate": Decimal("0.25")}, "rate_above_cap", "declined"),
    ],
)  # fmt: skip
def test_cross_checks(changes: dict[str, object], reason: str, outcome: str) -> None:
    d = decide(DEFAULT, changes)
    assert (d.outcome, d.reasons[0].code) == (outcome, reason)


@pytest.mark.parametrize(
    ("changes", "reason", "outcome"),
    [
        ({"identity.liveness_passed": False}, "liveness_failed", "declined"),
        ({"identity.face_match_score": Decimal("59.9")}, "face_match_failed", "declined"),
        ({"identity.face_match_score": Decimal("79.9")}, "face_match_weak", "referred"),
    ],
)
def test_a_checked_face_still_decides(
    changes: dict[str, object], reason: str, outcome: str
) -> None:
    d = decide(DEFAULT, {"identity.face_checked": True, **changes})
    assert (d.outcome, d.reasons[0].code) == (outcome, reason)


@pytest.mark.parametrize(
    "changes",
    [
        {"identity.liveness_passed": False},
        {"identity.face_match_score": Decimal("0")},
        {"identity.face_match_score": Decimal("70"), "identity.liveness_passed": False},
    ],
)
def test_face_rules_do_not_fire_when_no_face_was_checked(changes: dict[str, object]) -> None:
    d = decide(DEFAULT, {"identity.face_checked": False, **changes})
    assert d.outcome == "approved" and d.reasons == ()
    fired = {s.id for s in d.trace if s.kind == "rule" and s.hit}
    assert not fired & {"liveness_failed", "face_match_failed", "face_match_weak"}


def test_the_face_rules_say_they_need_a_checked_face() -> None:
    face_rules = [r for r in DEFAULT.rules if r.id.startswith(("liveness", "face_match"))]
    assert len(face_rules) == 3
    for r in face_rules:
        assert "identity.face_checked" in msgspec.json.encode(r.when).decode()


def test_vin_model_year_mismatch_refers_and_asks_for_an_inspection() -> None:
    d = decide(DEFAULT, {"vehicle.model_year_matches_age": False})
    assert d.outcome == "referred"
    assert [g.code for g in d.gates] == ["vehicle_inspection"]


FAST_LANE = {"history.contracts_count": 3, "history.on_time_streak": 36}


def test_fast_lane_approves_a_long_on_time_history_over_referrals() -> None:
    d = decide(DEFAULT, {**FAST_LANE, "velocity.dealer_apps_today": 80})
    assert d.outcome == "approved"
    assert [r.code for r in d.reasons] == ["dealer_velocity", "fast_lane"]


@pytest.mark.parametrize(
    "spoiler",
    [
        {"history.on_time_streak": 35},
        {"history.overdue_count_ever": 1},
        {"deal.principal": Decimal("300001"), "vehicle.valuation": Decimal("400000")},
    ],
)
def test_fast_lane_needs_the_streak_a_clean_record_and_product_limits(
    spoiler: dict[str, object],
) -> None:
    d = decide(DEFAULT, {**FAST_LANE, "velocity.dealer_apps_today": 80, **spoiler})
    assert "fast_lane" not in [r.code for r in d.reasons]
    assert d.outcome != "approved"


def test_fast_lane_does_not_override_a_decline() -> None:
    d = decide(DEFAULT, {**FAST_LANE, "applicant.blacklist_hits": 2})
    assert d.outcome == "declined"


def test_flagged_region_requires_two_extra_gates_until_the_flag_clears() -> None:
    flagged = decide(DEFAULT, {"region.adaptive_flag": True})
    assert flagged.outcome == "approved"
    assert [g.code for g in flagged.gates] == ["video_interview", "field_visit"]
    assert [g.zh for g in flagged.gates] == ["视频面签", "实地家访及验车"]
    assert decide(DEFAULT, {"region.adaptive_flag": False}).gates == ()


def test_vehicle_type_and_model_weigh_on_the_score() -> None:
    base = decide(DEFAULT).score
    assert decide(DEFAULT, {"vehicle.vehicle_type": "heavy_truck"}).score == base - 40
    liquid = {"vehicle.vehicle_type": "heavy_truck", "vehicle.model_code": "SHACMAN-X3000"}
    assert decide(DEFAULT, liquid).score == base - 25
    assert decide(DEFAULT, {"vehicle.vehicle_type": "nev"}).score == base - 10
    mainstream = {"vehicle.vehicle_type": "nev", "vehicle.model_code": "BYD-QIN-PLUS"}
    assert decide(DEFAULT, mainstream).score == base


def test_simulation_counts_changed_outcomes_and_approval_rates() -> None:
    old = compile_ruleset(DEFAULT)
    params = [
        p if p.name != "max_dti" else Parameter(name="max_dti", type="decimal", value="0.40")
        for p in DEFAULT.parameters
    ]
    stricter = compile_ruleset(msgspec.structs.replace(DEFAULT, parameters=params, version=2))
    cases = [with_changes(example_facts(), dict(ch)) for ch, _ in EXAMPLE_CASES.values()]
    cases.append(with_changes(example_facts(), {"applicant.debt_to_income": Decimal("0.42")}))
    result = diff_outcomes(old, stricter, cases, case_ids=[*EXAMPLE_CASES, "dti_042"])
    assert result.total == len(cases)
    # 0.42 was approved, now above max_dti 0.40: declined; mediocre (0.40) stays referred
    changed = {c.case_id: (c.before, c.after) for c in result.changed}
    assert changed == {"dti_042": ("approved", "declined")}
    assert result.changed_count == 1
    assert result.approval_rate_before == Decimal("0.2727")  # 3 of 11
    assert result.approval_rate_after == Decimal("0.1818")
    assert result.outcomes_after["declined"] == result.outcomes_before["declined"] + 1
    assert diff_outcomes(old, old, []).approval_rate_before == Decimal("0.0000")


def test_same_decision_on_every_call() -> None:
    compiled = compile_ruleset(DEFAULT)
    facts = example_facts()
    assert evaluate(compiled, facts) == evaluate(compiled, facts)
