"""Hand-made facts for tests, demos and the benchmark: a clean applicant and named variations.

`example_facts()` is an ordinary, clean used-passenger-car case that the default rule set approves;
`with_changes(facts, {"bureau.score": 500})` makes a variation by dotted path.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def example_facts() -> Facts:
    return Facts(
        applicant=Applicant(
            age=35,
            age_at_term_end=38,
            id_valid=True,
            id_region_matches=True,
            name_id_mobile_match=True,
            mobile_months_in_service=60,
            monthly_income=Decimal("12000"),
            debt_to_income=Decimal("0.28"),
            blacklist_hits=0,
            court_dishonest=False,
        ),
        identity=Identity(
            face_checked=True, face_match_score=Decimal("92.5"), liveness_passed=True
        ),
        bureau=Bureau(
            missing=False,
            score=705,
            open_loans=2,
            overdue_count_24m=0,
            max_overdue_days_24m=0,
            inquiries_6m=1,
        ),
        vehicle=Vehicle(
            vin_valid=True,
            vin_check_digit_valid=True,
            maker_matches_catalogue=True,
            model_year_matches_age=True,
            in_catalogue=True,
            vehicle_type="passenger",
            model_code="VW-LAVIDA-2021",
            age_years=3,
            valuation=Decimal("98000"),
            valuation_low=Decimal("86000"),
            valuation_high=Decimal("112000"),
            price_asked=Decimal("95000"),
            price_to_valuation=Decimal("0.9694"),
            price_to_valuation_low=Decimal("1.1047"),
            price_to_valuation_high=Decimal("0.8482"),
            under_active_lease=False,
            under_pledge=False,
        ),
        deal=Deal(
            principal=Decimal("66500"),
            down_payment_ratio=Decimal("0.30"),
            term_months=36,
            annual_rate=Decimal("0.1180"),
            product_min_down_payment_ratio=Decimal("0.20"),
            product_max_term_months=48,
            product_max_principal=Decimal("300000"),
        ),
        history=History(contracts_count=0, on_time_streak=0, current_overdue_days=0,
                         overdue_count_ever=0),
        velocity=Velocity(window_days=30, same_vin_apps=0, same_id_apps=0, same_mobile_apps=0,
                          dealer_apps_today=4),
        region=Region(code="440300", adaptive_flag=False),
        documents=Documents(complete=True, missing_count=0),
    )  # fmt: skip


def with_changes(facts: Facts, changes: Mapping[str, object]) -> Facts:
    """A copy of ``facts`` with fields replaced by dotted path (``"vehicle.in_catalogue"``)."""
    sections: dict[str, dict[str, object]] = {}
    for path, value in changes.items():
        section, name = path.split(".", 1)
        sections.setdefault(section, {})[name] = value
    replaced = {
        section: msgspec.structs.replace(getattr(facts, section), **fields)
        for section, fields in sections.items()
    }
    return msgspec.structs.replace(facts, **replaced)


# Named cases with the outcome the default rule set gives them.
EXAMPLE_CASES: dict[str, tuple[Mapping[str, object], str]] = {
    "clean": ({}, "approved"),
    "toy_car_not_in_catalogue": (
        {"vehicle.in_catalogue": False, "vehicle.valuation": Decimal(0),
         "vehicle.valuation_low": Decimal(0), "vehicle.valuation_high": Decimal(0),
         "vehicle.price_to_valuation": Decimal(0), "vehicle.price_to_valuation_low": Decimal(0),
         "vehicle.price_to_valuation_high": Decimal(0)},
        "declined",
    ),
    "toy_car_overpriced": (
        {"vehicle.price_to_valuation": Decimal("4.5"),
         "vehicle.price_to_valuation_low": Decimal("5.1"),
         "vehicle.price_to_valuation_high": Decimal("3.9")},
        "declined",
    ),
    "blacklisted": ({"applicant.blacklist_hits": 1}, "declined"),
    "duplicate_vin": ({"velocity.same_vin_apps": 1}, "declined"),
    "thin_file": (
        {"bureau.missing": True, "bureau.score": 0, "bureau.open_loans": 0,
         "bureau.inquiries_6m": 0},
        "referred",
    ),
    "region_mismatch": ({"applicant.id_region_matches": False}, "referred"),
    "mediocre_score": (
        {"bureau.score": 640, "applicant.debt_to_income": Decimal("0.40"),
         "deal.down_payment_ratio": Decimal("0.25")},
        "referred",
    ),
    "weak_score": (
        {"bureau.score": 580, "applicant.debt_to_income": Decimal("0.44"),
         "deal.down_payment_ratio": Decimal("0.20"), "vehicle.vehicle_type": "heavy_truck",
         "vehicle.model_code": "DF-KL-2016"},
        "declined",
    ),
    "fast_lane_thin_file": (
        {"history.contracts_count": 2, "history.on_time_streak": 40, "bureau.missing": True,
         "bureau.score": 0},
        "approved",
    ),
}  # fmt: skip
