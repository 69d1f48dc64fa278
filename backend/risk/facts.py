"""What a decision 决策 reads and asks, before the pure part (common.decision_facts) builds its
facts: a snapshot of what was filed and of our own records (velocity, encumbrance, region flags,
the active rule set) in one query, then every provider at once, each with a timeout.

A provider that does not answer never decides the case: its section gets neutral values (that
neither pass nor fail anything on their own) and its name goes into ``provider_errors``, which
makes the service refer the case to a person.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import String, and_, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import (
    ActiveRuleSet,
    Application,
    Customer,
    CustomerVersion,
    Organisation,
    RegionFlag,
)
from backend.intake import customers
from backend.intake.catalogue import Catalogue
from backend.providers import Providers, ProviderUnavailable
from backend.risk.cache import ACTIVE_ROW
from backend.security.pii import PiiCipher
from common.business_day import business_day_start
from common.decision_facts import (
    VELOCITY_WINDOW_DAYS,
    CatalogueEntry,
    Filed,
    OwnRecords,
)
from common.intake import FACE_PHOTO_KIND
from common.products import DealLimits
from common.provider_answers import (
    NEUTRAL_CARRIER,
    NEUTRAL_PROFILE,
    NO_HISTORY,
    Answers,
    FaceMatch,
)

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
        _ask("vehicle_registry", providers.vehicles.pledged(vin), False, t, errors),
    )  # fmt: skip
    return Answers(bureau, face, carrier, profile, history, pledged), tuple(sorted(errors))


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
    active = select(ActiveRuleSet.ruleset_id).where(ActiveRuleSet.id == ACTIVE_ROW)
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
                active.scalar_subquery(),
            )
            .select_from(Application)
            .outerjoin(Customer, Customer.id == Application.customer_id)
            .outerjoin(CustomerVersion, CustomerVersion.id == Application.customer_version_id)
            .where(Application.id != app.id, or_(same_vin, same_id, same_mobile, shop_today))
        )
    ).one()
    *counts, region_code, flagged, active_ruleset_id = row
    vin_apps, id_apps, mobile_apps, dealer_today, leased = (int(n or 0) for n in counts)
    return OwnRecords(
        vin_apps, id_apps, mobile_apps, dealer_today, bool(leased), region_code, bool(flagged),
        active_ruleset_id,
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
    return CatalogueEntry(model.id, model.wmi, model.vehicle_type.value, model.new_price_mid)


async def snapshot(
    db: AsyncSession,
    pii: PiiCipher,
    catalogue: Catalogue,
    app: Application,
    limits: DealLimits,
    now: datetime,
) -> Snapshot:
    """Reads only what ``app`` has not loaded: our own records (one query)."""
    if app.customer is None or app.customer_version is None or app.vin is None:
        raise ValueError("only a complete application can be decided")
    # The customer as filed with this application (its version), not as last filed anywhere.
    name, id_number, mobile = customers.reveal(pii, app.customer, app.customer_version)
    id_photo = next((p.sha256 for p in app.photos if p.kind == "id_front"), "")
    face_photo = next((p.sha256 for p in app.photos if p.kind == FACE_PHOTO_KIND), None)
    filed = Filed(
        customer_kind=app.customer_version.kind,
        id_number=id_number,
        vin=app.vin,
        model_year=app.model_year,
        is_new=app.is_new,
        mileage_km=app.mileage_km,
        price_fen=app.price_fen,
        model=_catalogue_entry(catalogue, app.catalogue_model_id),
        quote=dict(app.quote_request or {}),
        annualised_rate_percent=app.annualised_rate,
        monthly_payment_fen=app.monthly_payment_fen,
        limits=limits,
    )
    own = await own_records(db, app, now)
    return Snapshot(name, mobile, id_photo, face_photo, filed, own)


async def ask_for(providers: Providers, snap: Snapshot) -> tuple[Answers, tuple[str, ...]]:
    return await ask_providers(
        providers, snap.name, snap.filed.id_number, snap.mobile, snap.filed.vin, snap.id_photo_sha,
        snap.face_photo_sha,
    )  # fmt: skip
