"""The decision facts 决策事实 of one application, built purely from a snapshot of our records and
the providers' answers: no I/O, no clock (the business date comes in).

The shell (backend/risk/facts.py) reads the snapshot and asks the providers; a provider that did
not answer has given its neutral values (common.provider_answers), which neither pass nor fail
anything on their own, and its name is among the provider errors that refer the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from common.assets import FiledAsset, asset_facts
from common.daycount import add_months
from common.identity import age_on, decode_vin, validate_resident_id, validate_uscc, validate_vin
from common.money import from_fen
from common.products import DealLimits
from common.provider_answers import (
    Answers,
    ApplicantProfile,
    CarrierCheck,
    FaceMatch,
    RepaymentRecord,
)
from common.rules import Facts
from common.rules.facts import (
    Applicant,
    Asset,
    Bureau,
    Deal,
    Documents,
    History,
    Identity,
    Region,
    Vehicle,
    VehicleType,
    Velocity,
)
from common.valuation import ValuationResult
from common.vehicle_facts import stated_age_years

VELOCITY_WINDOW_DAYS = 30
_PLACES = Decimal("0.0001")
# Hong Kong, Macao and Taiwan residents' IDs match any region.
_ANY_REGION = ("81", "82", "83")


@dataclass(frozen=True)
class OwnRecords:
    """What our own records say (one query, backend/risk/facts.own_records)."""

    same_vin: int
    same_id: int
    same_mobile: int
    dealer_today: int
    vin_under_lease: bool
    region_code: str
    region_flagged: bool
    active_ruleset_id: str | None  # rides along: the snapshot is one query
    # The applicant's repayment record on our own books (their contracts' instalments); None
    # when they have no contract with us, and then the history source's answer stands.
    books: RepaymentRecord | None = None
    # A partner asset's debtor or shipper: on an approved application of ours before, and on
    # how many of our applications (0 and False for a vehicle lease).
    counterparty_known: bool = False
    counterparty_deals: int = 0


@dataclass(frozen=True)
class CatalogueEntry:
    """The catalogue model the vehicle was matched to."""

    id: str
    wmi: tuple[str, ...]
    vehicle_type: VehicleType
    new_price: Decimal  # the middle of its new-price band
    fuel: str = "petrol"
    tier: str = "B"  # the brand's retention tier 保值梯队
    new_price_band: tuple[Decimal, Decimal] | None = None


@dataclass(frozen=True)
class Filed:
    """What the application says, as filed (its customer's version, its vehicle, its quote)."""

    customer_kind: str  # person | company
    id_number: str
    vin: str
    model_year: int | None
    is_new: bool
    mileage_km: int
    price_fen: int | None
    model: CatalogueEntry | None
    quote: dict[str, Any]
    annualised_rate_percent: str | None
    monthly_payment_fen: int | None
    limits: DealLimits
    asset: FiledAsset | None = None  # a partner product's asset; then there is no vehicle
    # The residual model's valuation of the vehicle on the decision's day (the shell asks it);
    # None without a catalogue model, and then the valuation facts are 0.
    valuation: ValuationResult | None = None


def _ratio(a: Decimal, b: Decimal) -> Decimal:
    return (a / b).quantize(_PLACES, rounding=ROUND_HALF_EVEN) if b else Decimal(0)


def applicant_section(
    kind: str, id_number: str, region_code: str, term_months: int, today: date,
    carrier: CarrierCheck, profile: ApplicantProfile, monthly_payment: Decimal,
) -> Applicant:  # fmt: skip
    if kind == "company":  # a company has no age; its ID is the USCC
        id_valid, age, region_matches = validate_uscc(id_number).valid, 35, True
        age_end = age + (term_months + 11) // 12
    else:
        check = validate_resident_id(id_number, as_of=today)
        id_valid = check.valid
        born = check.birth_date or today
        age = age_on(born, today)
        age_end = age_on(born, add_months(today, term_months))
        # Province level: people live and work away from where their ID was issued.
        region_matches = not check.region_code or check.region_code[:2] in (
            region_code[:2],
            *_ANY_REGION,
        )
    debt = profile.monthly_debt + monthly_payment
    return Applicant(
        age=age,
        age_at_term_end=age_end,
        id_valid=id_valid,
        id_region_matches=region_matches,
        name_id_mobile_match=carrier.match,
        mobile_months_in_service=carrier.months_in_service,
        monthly_income=profile.monthly_income,
        debt_to_income=_ratio(debt, profile.monthly_income)
        if profile.monthly_income
        else Decimal(9),
        blacklist_hits=profile.blacklist_hits,
        court_dishonest=profile.court_dishonest,
    )


def vehicle_section(filed: Filed, today: date, pledged: bool, under_lease: bool) -> Vehicle:
    vin, model = filed.vin, filed.model
    check = validate_vin(vin, as_of=today)
    decoded = check.facts or (decode_vin(vin, as_of=today) if check.valid else None)
    vin_year = decoded.model_year if decoded else None
    stated_year = filed.model_year or vin_year or today.year
    year_ok = vin_year is None or vin_year == stated_year
    if filed.is_new and vin_year is not None and vin_year < today.year - 1:
        year_ok = False  # sold as new, built years ago
    price = from_fen(filed.price_fen) if filed.price_fen is not None else Decimal(0)
    v = filed.valuation if model is not None else None
    value, low, high = (v.value, v.low, v.high) if v else (Decimal(0),) * 3
    return Vehicle(
        vin_valid=check.valid or check.reason == "vin_check_digit",
        vin_check_digit_valid=bool(decoded and decoded.check_digit_valid),
        maker_matches_catalogue=model is None or vin[:3].upper() in model.wmi,
        model_year_matches_age=year_ok,
        in_catalogue=model is not None,
        vehicle_type=model.vehicle_type if model else "passenger",
        model_code=model.id.upper() if model else "",  # the tables match upper-case codes
        age_years=stated_age_years(stated_year, today),
        valuation=value,
        valuation_low=low,
        valuation_high=high,
        price_asked=price,
        price_to_valuation=_ratio(price, value),
        price_to_valuation_low=_ratio(price, low),
        price_to_valuation_high=_ratio(price, high),
        under_active_lease=under_lease,
        under_pledge=pledged,
    )


def identity_section(face: FaceMatch | None) -> Identity:
    if face is None:  # no face photo was taken (or no answer): neutral values, not checked
        return Identity(face_checked=False, face_match_score=Decimal(100), liveness_passed=True)
    return Identity(
        face_checked=True, face_match_score=face.score, liveness_passed=face.liveness_passed
    )


def deal_section(filed: Filed, price: Decimal) -> Deal:
    """The deal against the limits of the product it was quoted on."""
    principal = Decimal(str(filed.quote.get("principal", "0")))
    limits = filed.limits
    return Deal(
        principal=principal,
        down_payment_ratio=_ratio(price - principal, price) if price else Decimal(0),
        term_months=int(filed.quote.get("term_months", 0)),
        annual_rate=_ratio(Decimal(filed.annualised_rate_percent or "0"), Decimal(100)),
        product_min_down_payment_ratio=limits.min_down_payment_ratio,
        product_max_term_months=limits.max_term_months,
        product_max_principal=limits.max_principal,
    )


def _financed_of(
    filed: Filed, own: OwnRecords, today: date, answers: Answers
) -> tuple[Vehicle | None, Asset | None, Deal]:
    """What is financed: the vehicle of a vehicle lease, else the partner asset (whose amount
    is the quote's price, as a vehicle's price is)."""
    if filed.asset is None:
        vehicle = vehicle_section(filed, today, answers.pledged, own.vin_under_lease)
        return vehicle, None, deal_section(filed, vehicle.price_asked)
    deal = deal_section(filed, filed.asset.amount)
    asset = asset_facts(
        filed.asset, deal.principal, today, own.counterparty_deals, own.counterparty_known
    )
    return None, asset, deal


def facts_from(filed: Filed, own: OwnRecords, answers: Answers, today: date) -> Facts:
    """The decision facts of what was filed, our records and the providers' answers."""
    vehicle, asset, deal = _financed_of(filed, own, today, answers)
    monthly = from_fen(filed.monthly_payment_fen or 0)
    b = answers.bureau
    h = answers.history if own.books is None else own.books  # our books know best
    return Facts(
        applicant=applicant_section(
            filed.customer_kind, filed.id_number, own.region_code, deal.term_months, today,
            answers.carrier, answers.profile, monthly,
        ),
        identity=identity_section(answers.face),
        bureau=Bureau(missing=True, score=0, open_loans=0, overdue_count_24m=0,
                      max_overdue_days_24m=0, inquiries_6m=0)
        if b is None
        else Bureau(missing=False, score=b.score, open_loans=b.open_loans,
                    overdue_count_24m=b.overdue_count_24m,
                    max_overdue_days_24m=b.max_overdue_days_24m, inquiries_6m=b.inquiries_6m),
        vehicle=vehicle,
        asset=asset,
        deal=deal,
        history=History(contracts_count=h.contracts_count, on_time_streak=h.on_time_streak,
                        current_overdue_days=h.current_overdue_days,
                        overdue_count_ever=h.overdue_count_ever),
        velocity=Velocity(window_days=VELOCITY_WINDOW_DAYS, same_vin_apps=own.same_vin,
                          same_id_apps=own.same_id, same_mobile_apps=own.same_mobile,
                          dealer_apps_today=own.dealer_today),
        region=Region(code=own.region_code, adaptive_flag=own.region_flagged),
        documents=Documents(complete=True, missing_count=0),  # submit refuses incomplete ones
    )  # fmt: skip
