"""What a decision 决策 reads and asks, before the pure part (common.decision_facts) builds its
facts: a snapshot of what was filed and of our own records (velocity, encumbrance, region flags,
the active rule set) in one statement, then every provider at once, each with a timeout.

A provider that does not answer never decides the case: its section gets neutral values (that
neither pass nor fail anything on their own) and its name goes into ``provider_errors``, which
makes the service refer the case to a person.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import BindParameter, Select, String, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from backend.db.models import (
    ActiveRuleSet,
    Application,
    Contract,
    ContractInstalment,
    Customer,
    CustomerVersion,
    Organisation,
    RegionFlag,
)
from backend.intake import assets, customers
from backend.intake.catalogue import Catalogue
from backend.providers import Providers, ProviderUnavailable
from backend.residual.vehicles import to_value
from backend.risk.cache import VEHICLE
from backend.security.pii import PiiCipher
from common.business_day import business_date, business_day_start
from common.contracts import ContractStatus
from common.decision_facts import (
    VELOCITY_WINDOW_DAYS,
    CatalogueEntry,
    Filed,
    OwnRecords,
)
from common.errors import DomainError
from common.intake import FACE_PHOTO_KIND
from common.products import DealLimits
from common.provider_answers import (
    NEUTRAL_CARRIER,
    NEUTRAL_PROFILE,
    NO_HISTORY,
    Answers,
    FaceMatch,
    RepaymentRecord,
)
from common.residual.model import ResidualModel
from common.servicing.policy import STANDARD
from common.valuation import ValuationResult, value_vehicle

NOT_COUNTED = ("draft", "withdrawn")  # statuses that are not "another application"
_T = TypeVar("_T")


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


async def _no_vehicle() -> bool:
    return False  # a partner asset is no vehicle: nothing to look up in the pledge registry


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
             NEUTRAL_CARRIER, t, errors),
        _ask("profile", providers.profile.profile(id_number, name), NEUTRAL_PROFILE, t, errors),
        _ask("history", providers.history.history(id_number), NO_HISTORY, t, errors),
        _ask("vehicle_registry", providers.vehicles.pledged(vin) if vin else _no_vehicle(), False,
             t, errors),
    )  # fmt: skip
    return Answers(bureau, face, carrier, profile, history, pledged), tuple(sorted(errors))


def _own_records_query() -> Select[Any]:
    """Built once, run with parameters: each count is a scalar subquery over one index (VIN;
    customer; the filed version's mobile; shop and day), so its cost follows the matches, not
    the size of the table; one statement, one round trip."""
    app_id: BindParameter[Any] = bindparam("app_id")
    vin: BindParameter[Any] = bindparam("vin")
    since: BindParameter[Any] = bindparam("since")
    day_start: BindParameter[Any] = bindparam("day_start")
    org: BindParameter[Any] = bindparam("organisation_id")
    party: BindParameter[Any] = bindparam("party_uscc", type_=String)

    def count(*where: Any) -> Any:
        return (
            select(func.count())
            .select_from(Application)
            .where(Application.id != app_id, *where)
            .scalar_subquery()
        )

    recent = (Application.submitted_at >= since, Application.status.not_in(NOT_COUNTED))
    same_customer = Application.customer_id.in_(
        select(Customer.id).where(Customer.id_hash == bindparam("id_hash"))
    )
    same_mobile = Application.customer_version_id.in_(
        select(CustomerVersion.id).where(CustomerVersion.mobile_hash == bindparam("mobile_hash"))
    )
    # The region is the filed customer's, else the shop's; its adaptive flag rides along.
    shop_region = select(Organisation.region_code).where(Organisation.id == org)
    region = func.coalesce(
        bindparam("filed_region", type_=String), shop_region.scalar_subquery(), "000000"
    )
    flag = select(RegionFlag.flagged).where(RegionFlag.region_code == region)
    active = select(ActiveRuleSet.ruleset_id).where(ActiveRuleSet.family == bindparam("family"))
    return select(
        count(Application.vin == vin, *recent),
        count(same_customer, *recent),
        count(same_mobile, *recent),
        count(Application.organisation_id == org, Application.submitted_at >= day_start),
        # Until contracts exist (a later issue), an approved application is an active lease.
        count(Application.vin == vin, Application.status == "approved"),
        region,
        flag.scalar_subquery(),
        active.scalar_subquery(),
        *_books(bindparam("id_hash"), bindparam("today"), bindparam("late_before")),
        # the debtor or shipper of a partner asset: approved before, and on our applications
        count(Application.asset_party_uscc == party, Application.status == "approved"),
        count(Application.asset_party_uscc == party, Application.status.not_in(NOT_COUNTED)),
    )


def _books(
    id_hash: BindParameter[Any], today: BindParameter[Any], late_before: BindParameter[Any]
) -> tuple[Any, ...]:
    """The applicant's record on our books, from their contracts' instalments in force: how
    many contracts (active or settled), the worst current days past due (the daily sweep's),
    instalments ever late (settled after the due date, or unsettled past the grace days: due
    before `late_before`), and the on-time streak (instalments due before today settled by
    their due date since the last late one). One unpaid within its grace is neither."""
    on_books = (ContractStatus.ACTIVE.value, ContractStatus.SETTLED.value)

    def booked(c: Any) -> tuple[Any, ...]:
        theirs = select(Customer.id).where(Customer.id_hash == id_hash)
        return c.customer_id.in_(theirs), c.status.in_(on_books)

    def past(c: Any, i: Any) -> Select[Any]:
        """Instalments in force due before today, of their contracts (`c`, `i` aliases, so a
        subquery inside another never correlates to it)."""
        return (
            select(func.count()).select_from(i).join(c, i.contract_id == c.id)
            .where(*booked(c), i.revision == c.revision, i.due_date < today)
        )  # fmt: skip

    def late(i: Any) -> Any:
        return or_(i.settled_on > i.due_date, i.settled_on.is_(None) & (i.due_date < late_before))

    c1, i1 = aliased(Contract), aliased(ContractInstalment)
    c2, i2 = aliased(Contract), aliased(ContractInstalment)
    last_late = past(c2, i2).with_only_columns(func.max(i2.due_date)).where(late(i2))
    streak = past(c1, i1).where(
        i1.settled_on <= i1.due_date,
        i1.due_date > func.coalesce(last_late.scalar_subquery(), date(1, 1, 1)),
    )
    c3, i3 = aliased(Contract), aliased(ContractInstalment)
    return (
        select(func.count()).select_from(c3).where(*booked(c3)).scalar_subquery(),
        select(func.max(c3.days_past_due)).where(*booked(c3)).scalar_subquery(),
        past(c3, i3).where(late(i3)).scalar_subquery(),
        streak.scalar_subquery(),
    )


OWN_RECORDS = _own_records_query()


async def own_records(db: AsyncSession, app: Application, now: datetime) -> OwnRecords:
    """Velocity, dealer volume, whether the vehicle is already leased, the region's flag and the
    active rule set. Mobiles and regions are those of the customer versions the applications
    were filed with."""
    cust, filed = app.customer, app.customer_version
    row = (
        await db.execute(
            OWN_RECORDS,
            {
                "app_id": app.id,
                "vin": app.vin,
                "since": now - timedelta(days=VELOCITY_WINDOW_DAYS),
                "day_start": business_day_start(now),
                "organisation_id": app.organisation_id,
                "id_hash": cust.id_hash if cust else None,
                "mobile_hash": filed.mobile_hash if filed else None,
                "filed_region": (filed.region_code if filed else None) or None,
                "today": business_date(now),
                "late_before": business_date(now) - timedelta(days=STANDARD.penalty.grace_days),
                "family": app.product_family,
                "party_uscc": app.asset_party_uscc,
            },
        )
    ).one()
    counts, (region_code, flagged, active_ruleset_id), books = row[:5], row[5:8], row[8:12]
    party_approved, party_deals = (int(n or 0) for n in row[12:14])
    vin_apps, id_apps, mobile_apps, dealer_today, leased = (int(n or 0) for n in counts)
    contracts, dpd, late, streak = (int(n or 0) for n in books)
    record = RepaymentRecord(contracts, streak, dpd, late) if contracts else None
    return OwnRecords(
        vin_apps, id_apps, mobile_apps, dealer_today, bool(leased), region_code, bool(flagged),
        active_ruleset_id, record, counterparty_known=party_approved > 0,
        counterparty_deals=party_deals,
    )  # fmt: skip


@dataclass(frozen=True)
class Snapshot:
    """What a decision needs from our own records, read before any provider is asked (so no
    connection is held while they answer): what the providers are asked about, what was filed
    and what our records say."""

    name: str
    mobile: str
    id_photo_sha: str
    face_photo_sha: str | None  # the customer's face photo, when the intake took one
    filed: Filed
    own: OwnRecords


def _catalogue_entry(catalogue: Catalogue, model_id: str | None) -> CatalogueEntry | None:
    model = catalogue.get(model_id) if model_id else None
    if model is None:
        return None
    return CatalogueEntry(
        model.id, model.wmi, model.vehicle_type.value, model.new_price_mid, model.fuel,
        model.tier, (model.new_price_min, model.new_price_max),
    )  # fmt: skip


def _valuation(
    residual: ResidualModel, catalogue: Catalogue, app: Application, region: str, today: date
) -> ValuationResult | None:
    """The residual model's valuation of the filed vehicle on the decision's day."""
    model = catalogue.get(app.catalogue_model_id) if app.catalogue_model_id else None
    if model is None or app.vin is None:
        return None
    year = app.model_year or today.year
    try:
        vehicle = to_value(model, year, app.mileage_km, region_code=region)
        return value_vehicle(residual, vehicle, today, is_new=app.is_new)
    except DomainError:  # an implausible year or region: no valuation, and the rules see 0
        return None


async def snapshot(
    db: AsyncSession,
    pii: PiiCipher,
    catalogue: Catalogue,
    app: Application,
    limits: DealLimits,
    now: datetime,
    residual: ResidualModel,
) -> Snapshot:
    """Reads only what ``app`` has not loaded: our own records (one query)."""
    partner = app.product_family != VEHICLE
    if app.customer is None or app.customer_version is None or (app.vin is None) != partner:
        raise ValueError("only a complete application can be decided")
    # The customer as filed with this application (its version), not as last filed anywhere.
    name, id_number, mobile = customers.reveal(pii, app.customer, app.customer_version)
    id_photo = next((p.sha256 for p in app.photos if p.kind == "id_front"), "")
    face_photo = next((p.sha256 for p in app.photos if p.kind == FACE_PHOTO_KIND), None)
    own = await own_records(db, app, now)
    valuation = _valuation(residual, catalogue, app, own.region_code, business_date(now))
    filed = Filed(
        customer_kind=app.customer_version.kind,
        id_number=id_number,
        vin=app.vin or "",
        model_year=app.model_year,
        is_new=app.is_new,
        mileage_km=app.mileage_km,
        price_fen=app.price_fen,
        model=_catalogue_entry(catalogue, app.catalogue_model_id),
        quote=dict(app.quote_request or {}),
        annualised_rate_percent=app.annualised_rate,
        monthly_payment_fen=app.monthly_payment_fen,
        limits=limits,
        asset=assets.filed_of(app) if partner else None,
        valuation=valuation,
    )
    return Snapshot(name, mobile, id_photo, face_photo, filed, own)


async def ask_for(providers: Providers, snap: Snapshot) -> tuple[Answers, tuple[str, ...]]:
    return await ask_providers(
        providers, snap.name, snap.filed.id_number, snap.mobile, snap.filed.vin, snap.id_photo_sha,
        snap.face_photo_sha,
    )  # fmt: skip
