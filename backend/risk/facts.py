"""Assemble the decision facts 决策事实 of one application: providers (asked concurrently, each
with a timeout), our own records (velocity, encumbrance, region flags) and the catalogue.

A provider that does not answer never decides the case: its section gets neutral values (that
neither pass nor fail anything on their own) and its name goes into ``provider_errors``, which
makes the service refer the case to a person.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import String, and_, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Application, Customer, CustomerVersion, Organisation, RegionFlag
from backend.intake import customers
from backend.intake.catalogue import Catalogue
from backend.products import service as products
from backend.providers import Providers, ProviderUnavailable
from backend.providers.bureau import BureauReport
from backend.providers.history import RepaymentRecord
from backend.providers.identity import CarrierCheck, FaceMatch
from backend.providers.profile import ApplicantProfile
from backend.security.pii import PiiCipher
from common.identity import decode_vin, validate_resident_id, validate_uscc, validate_vin
from common.intake import FACE_PHOTO_KIND
from common.money import from_fen
from common.products import DealLimits, deal_limits
from common.rules import Facts
from common.rules.facts import (
    Applicant,
    Bureau,
    Deal,
    Documents,
    History,
    Identity,
    Region,
    Vehicle,
    Velocity,
)
from common.valuation import value_vehicle

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")
VELOCITY_WINDOW_DAYS = 30
NOT_COUNTED = ("draft", "withdrawn")  # statuses that are not "another application"
_PLACES = Decimal("0.0001")
_T = TypeVar("_T")


@dataclass(frozen=True)
class Assembled:
    facts: Facts
    provider_errors: tuple[str, ...]


@dataclass(frozen=True)
class Answers:
    bureau: BureauReport | None
    face: FaceMatch | None  # None: no face photo to check, or the provider did not answer
    carrier: CarrierCheck
    profile: ApplicantProfile
    history: RepaymentRecord
    pledged: bool


# Neutral stand-ins for a provider that did not answer (the case is referred anyway).
_NEUTRAL_CARRIER = CarrierCheck(True, 120)
_NEUTRAL_PROFILE = ApplicantProfile(Decimal(1), Decimal(0), 0, False)
_NEUTRAL_HISTORY = RepaymentRecord(0, 0, 0, 0)


def _ratio(a: Decimal, b: Decimal) -> Decimal:
    return (a / b).quantize(_PLACES, rounding=ROUND_HALF_EVEN) if b else Decimal(0)


async def _ask(
    name: str, call: Awaitable[_T], fallback: _T, timeout: float, errors: list[str]
) -> _T:
    try:
        return await asyncio.wait_for(call, timeout)
    except (ProviderUnavailable, TimeoutError):
        errors.append(name)
        return fallback


async def _no_face() -> FaceMatch | None:
    return None


async def ask_providers(
    providers: Providers,
    name: str,
    id_number: str,
    mobile: str,
    vin: str,
    id_photo_sha: str,
    face_photo_sha: str | None = None,
) -> tuple[Answers, tuple[str, ...]]:
    """Every provider at once; the identity provider only when there is a face photo."""
    errors: list[str] = []
    t = providers.timeout_s
    face_call = (
        providers.identity.face_match(id_number, id_photo_sha, face_photo_sha)
        if face_photo_sha
        else _no_face()
    )
    bureau, face, carrier, profile, history, pledged = await asyncio.gather(
        _ask("bureau", providers.bureau.report(id_number, name), None, t, errors),
        _ask("identity", face_call, None, t, errors),
        _ask("carrier", providers.carrier.three_elements(name, id_number, mobile),
             _NEUTRAL_CARRIER, t, errors),
        _ask("profile", providers.profile.profile(id_number, name), _NEUTRAL_PROFILE, t, errors),
        _ask("history", providers.history.history(id_number), _NEUTRAL_HISTORY, t, errors),
        _ask("vehicle_registry", providers.vehicles.pledged(vin), False, t, errors),
    )  # fmt: skip
    return Answers(bureau, face, carrier, profile, history, pledged), tuple(sorted(errors))


@dataclass(frozen=True)
class OwnRecords:
    same_vin: int
    same_id: int
    same_mobile: int
    dealer_today: int
    vin_under_lease: bool
    region_code: str
    region_flagged: bool


def business_day_start(now: datetime) -> datetime:
    """Midnight Asia/Shanghai of ``now``'s business day, as an aware datetime."""
    local = now.astimezone(BUSINESS_TZ)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


async def own_records(db: AsyncSession, app: Application, now: datetime) -> OwnRecords:
    """Velocity, dealer volume, whether the vehicle is already leased and the region's flag: one
    query over the applications that share the VIN, the customer or the shop (each filter uses
    an index).
    Mobiles and regions are those of the customer versions the applications were filed with."""
    since = now - timedelta(days=VELOCITY_WINDOW_DAYS)
    day_start = business_day_start(now)
    cust, filed = app.customer, app.customer_version
    recent = and_(Application.submitted_at >= since, Application.status.not_in(NOT_COUNTED))
    same_vin = Application.vin == app.vin
    same_id = Customer.id_hash == (cust.id_hash if cust else None)
    same_mobile = CustomerVersion.mobile_hash == (filed.mobile_hash if filed else None)
    shop_today = and_(
        Application.organisation_id == app.organisation_id, Application.submitted_at >= day_start
    )
    # The region is the filed customer's, else the shop's; its adaptive flag rides along.
    filed_region = filed.region_code if filed else None
    region = func.coalesce(
        literal(filed_region, String)
        if filed_region
        else select(Organisation.region_code)
        .where(Organisation.id == app.organisation_id)
        .scalar_subquery(),
        "000000",
    )
    flag = select(RegionFlag.flagged).where(RegionFlag.region_code == region).scalar_subquery()
    row = (
        await db.execute(
            select(
                func.count().filter(and_(recent, same_vin)),
                func.count().filter(and_(recent, same_id)),
                func.count().filter(and_(recent, same_mobile)),
                func.count().filter(shop_today),
                # Until contracts exist (a later issue), an approved application is an active lease.
                func.count().filter(and_(same_vin, Application.status == "approved")),
                region,
                flag,
            )
            .select_from(Application)
            .outerjoin(Customer, Customer.id == Application.customer_id)
            .outerjoin(CustomerVersion, CustomerVersion.id == Application.customer_version_id)
            .where(Application.id != app.id, or_(same_vin, same_id, same_mobile, shop_today))
        )
    ).one()
    *counts, region_code, flagged = row
    vin_apps, id_apps, mobile_apps, dealer_today, leased = (int(n or 0) for n in counts)
    return OwnRecords(
        vin_apps, id_apps, mobile_apps, dealer_today, bool(leased), region_code, bool(flagged)
    )


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
        age = _years_between(born, today)
        end = _add_months(today, term_months)
        age_end = _years_between(born, end)
        # Province level: people live and work away from where their ID was issued.
        region_matches = not check.region_code or check.region_code[:2] in (
            region_code[:2],
            "81",
            "82",
            "83",
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


def _years_between(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, min(d.day, 28))


def vehicle_section(
    app: Application, catalogue: Catalogue, today: date, pledged: bool, under_lease: bool
) -> Vehicle:
    vin = app.vin or ""
    check = validate_vin(vin, as_of=today)
    decoded = check.facts or (decode_vin(vin, as_of=today) if check.valid else None)
    model = catalogue.get(app.catalogue_model_id) if app.catalogue_model_id else None
    vin_year = decoded.model_year if decoded else None
    stated_year = app.model_year or vin_year or today.year
    year_ok = vin_year is None or vin_year == stated_year
    if app.is_new and vin_year is not None and vin_year < today.year - 1:
        year_ok = False  # sold as new, built years ago
    price = from_fen(app.price_fen) if app.price_fen is not None else Decimal(0)
    valuation = Decimal(0)
    if model is not None:
        valuation = value_vehicle(
            new_price=model.new_price_mid,
            vehicle_type=model.vehicle_type.value,
            model_year=stated_year,
            mileage_km=app.mileage_km,
            as_of=today,
            is_new=app.is_new,
        ).value
    return Vehicle(
        vin_valid=check.valid or check.reason == "vin_check_digit",
        vin_check_digit_valid=bool(decoded and decoded.check_digit_valid),
        maker_matches_catalogue=model is None or vin[:3].upper() in model.wmi,
        model_year_matches_age=year_ok,
        in_catalogue=model is not None,
        vehicle_type=model.vehicle_type.value if model else "passenger",
        model_code=model.id.upper() if model else "",  # the tables match upper-case codes
        age_years=max(0, today.year - stated_year),
        valuation=valuation,
        price_asked=price,
        price_to_valuation=_ratio(price, valuation),
        under_active_lease=under_lease,
        under_pledge=pledged,
    )


def identity_section(face: FaceMatch | None) -> Identity:
    if face is None:  # no face photo was taken (or no answer): neutral values, not checked
        return Identity(face_checked=False, face_match_score=Decimal(100), liveness_passed=True)
    return Identity(
        face_checked=True, face_match_score=face.score, liveness_passed=face.liveness_passed
    )


def deal_section(app: Application, price: Decimal, limits: DealLimits) -> Deal:
    """The deal against the limits of the product version it was quoted on."""
    quote = app.quote_request or {}
    principal = Decimal(str(quote.get("principal", "0")))
    return Deal(
        principal=principal,
        down_payment_ratio=_ratio(price - principal, price) if price else Decimal(0),
        term_months=int(quote.get("term_months", 0)),
        annual_rate=_ratio(Decimal(app.annualised_rate or "0"), Decimal(100)),
        product_min_down_payment_ratio=limits.min_down_payment_ratio,
        product_max_term_months=limits.max_term_months,
        product_max_principal=limits.max_principal,
    )


@dataclass(frozen=True)
class Snapshot:
    """What a decision needs from our own records, read before any provider is asked (so no
    connection is held while they answer)."""

    name: str
    id_number: str
    mobile: str
    customer_kind: str
    id_photo_sha: str
    face_photo_sha: str | None  # the customer's face photo, when the intake took one
    own: OwnRecords
    limits: DealLimits  # of the product version the application was quoted on


async def snapshot(db: AsyncSession, pii: PiiCipher, app: Application, now: datetime) -> Snapshot:
    if (
        app.customer is None
        or app.customer_version is None
        or app.vin is None
        or app.product_version_id is None
    ):
        raise ValueError("only a complete application quoted on a product can be decided")
    # The customer as filed with this application (its version), not as last filed anywhere.
    name, id_number, mobile = customers.reveal(pii, app.customer, app.customer_version)
    id_photo = next((p.sha256 for p in app.photos if p.kind == "id_front"), "")
    face_photo = next((p.sha256 for p in app.photos if p.kind == FACE_PHOTO_KIND), None)
    own = await own_records(db, app, now)
    _, product = await products.quoted_version(db, app.product_version_id)
    return Snapshot(
        name, id_number, mobile, app.customer_version.kind, id_photo, face_photo, own,
        deal_limits(product),
    )  # fmt: skip


async def ask_for(
    providers: Providers, snap: Snapshot, vin: str
) -> tuple[Answers, tuple[str, ...]]:
    return await ask_providers(
        providers, snap.name, snap.id_number, snap.mobile, vin, snap.id_photo_sha,
        snap.face_photo_sha,
    )  # fmt: skip


def facts_from(
    snap: Snapshot, app: Application, catalogue: Catalogue, answers: Answers, now: datetime
) -> Facts:
    """The decision facts of the snapshot and the providers' answers: no I/O (``app``'s loaded
    columns are read, nothing is loaded)."""
    today = now.astimezone(BUSINESS_TZ).date()
    own = snap.own
    vehicle = vehicle_section(app, catalogue, today, answers.pledged, own.vin_under_lease)
    deal = deal_section(app, vehicle.price_asked, snap.limits)
    monthly = from_fen(app.monthly_payment_fen or 0)
    b = answers.bureau
    h = answers.history
    return Facts(
        applicant=applicant_section(
            snap.customer_kind, snap.id_number, own.region_code, deal.term_months, today,
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


async def assemble(
    db: AsyncSession,
    pii: PiiCipher,
    catalogue: Catalogue,
    providers: Providers,
    app: Application,
    now: datetime,
) -> Assembled:
    """Snapshot, providers, facts in one call (our records are read before providers answer)."""
    snap = await snapshot(db, pii, app, now)
    answers, errors = await ask_for(providers, snap, app.vin or "")
    return Assembled(facts_from(snap, app, catalogue, answers, now), errors)
