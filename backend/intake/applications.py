"""Applications 进件: drafts, patches, completeness, submit. Scoped to the caller's shop."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import Application, ProductVersion, RiskDecision, RiskReview
from backend.intake import assets, customers, guarantors
from backend.intake.catalogue import Catalogue
from backend.products import quotes as product_quotes
from backend.products import service as products
from backend.residual import balloon
from backend.risk import service as risk_service
from backend.risk.service import RiskEngine
from backend.risk.views import decision_of
from backend.security.pii import PiiCipher
from common.api import limits
from common.api.auth import Role
from common.api.intake import (
    ApplicationDraft,
    ApplicationStatus,
    ApplicationSummary,
    ApplicationView,
    LeaseType,
    Missing,
    PhotoKind,
    PhotoView,
    VehicleInput,
    VehicleView,
)
from common.api.products import ProductQuoteRequest, ProductRef
from common.api.quotes import (
    QuoteRequest,
    QuoteResponse,
)
from common.business_day import business_date
from common.errors import Conflict, DomainError, NotFound
from common.identity import age_on, normalise_vin, validate_resident_id, validate_vin
from common.intake import IntakeSnapshot, missing_items
from common.money import from_fen, parse_money, to_fen
from common.products import Product, check_applicant_age, check_family, deal_limits
from common.vehicle_facts import is_new_by_model_year

# Roles that see every shop's applications (they decide on them); the rest see their own shop's.
SEES_ALL = (Role.RISK_OFFICER, Role.ADMIN)
APPLICATION_NOT_FOUND = NotFound("application_not_found", "找不到该申请", "Application not found")


def business_today() -> date:
    return business_date(datetime.now(UTC))


# What a view of an application shows, loaded with it (relationships never load lazily).
WHOLE = (
    joinedload(Application.customer),
    joinedload(Application.customer_version),
    selectinload(Application.photos),
    selectinload(Application.risk_decision),  # type: ignore[attr-defined]  # backrefs
    selectinload(Application.risk_review),  # type: ignore[attr-defined]
)
# A draft's: one statement, the application, its customer, version and photos; a draft has no
# decision or review yet.
DRAFT = (
    joinedload(Application.customer),
    joinedload(Application.customer_version),
    joinedload(Application.photos),
    joinedload(Application.product_version).joinedload(ProductVersion.product),
)


def scoped(principal: Principal) -> Select[Application]:
    query = select(Application)
    if principal.role not in SEES_ALL:
        query = query.where(Application.organisation_id == principal.organisation_id)
    return query


async def load(
    db: AsyncSession, principal: Principal, application_id: str, *, with_decision: bool = True
) -> Application:
    if len(application_id) > 64:
        raise APPLICATION_NOT_FOUND
    query = scoped(principal).where(Application.id == application_id)
    query = query.options(*(WHOLE if with_decision else DRAFT))
    app = (await db.execute(query)).unique().scalar_one_or_none()
    if app is None:  # another shop's application answers exactly like a missing one
        raise APPLICATION_NOT_FOUND
    return app


def audit_state(app: Application) -> dict[str, Any]:
    """The audited state of an application: no personal data, only references and figures."""
    return {
        "status": app.status,
        "lease_type": app.lease_type,
        "vin": app.vin,
        "catalogue_model_id": app.catalogue_model_id,
        "customer_id": app.customer_id,
        "customer_version_id": app.customer_version_id,
        "price_fen": app.price_fen,
        "quote": app.quote_request,
        "product_version_id": app.product_version_id,
        "quote_choice": app.quote_choice,
        "photos": sorted(p.id for p in app.photos),
        "product_family": app.product_family,
        "asset": app.asset,  # a company's receivable or equipment: no personal data
    }


async def audit_change(
    db: AsyncSession,
    actor: Principal,
    app: Application,
    action: str,
    before: dict[str, Any] | None,
    *,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Append the change of one application to the audit chain, in the caller's transaction."""
    await audit.record(
        db,
        actor=actor,
        action=action,
        entity_type="application",
        entity_id=app.id,
        before=before,
        after=audit_state(app),
        detail=detail,
        at=at,
    )


def _quote(app: Application) -> tuple[QuoteRequest | None, QuoteResponse | None]:
    if app.quote_request is None:
        return None, None
    req = msgspec.convert(app.quote_request, QuoteRequest)
    return req, product_quotes.quote_for(msgspec.json.encode(req))


def _product_quote(app: Application) -> tuple[ProductRef | None, ProductQuoteRequest | None]:
    if app.quote_choice is None:
        return None, None
    choice = app.quote_choice
    return (
        msgspec.convert(choice["product"], ProductRef),
        msgspec.convert(choice["request"], ProductQuoteRequest),
    )


def _vehicle_view(app: Application, catalogue: Catalogue) -> VehicleView | None:
    if app.vin is None:
        return None
    model = catalogue.get(app.catalogue_model_id) if app.catalogue_model_id else None
    return VehicleView(
        vin=app.vin,
        vin_valid=app.vin_valid,
        maker=app.maker,
        model_year=app.model_year,
        catalogue_model_id=app.catalogue_model_id,
        catalogue_model_name=model.name if model else None,
        vehicle_type=model.vehicle_type if model else None,
        mileage_km=app.mileage_km,
        price=str(from_fen(app.price_fen)) if app.price_fen is not None else None,
        is_new=app.is_new,
    )


def missing(app: Application, pii: PiiCipher) -> list[Missing]:
    name = id_number = mobile = kind = rep_name = rep_id = None
    if app.customer is not None and app.customer_version is not None:
        name, id_number, mobile = customers.reveal(pii, app.customer, app.customer_version)
        kind = app.customer_version.kind
        rep_name, rep_id = customers.representative(pii, app.customer_version)
    guarantor = guarantors.reveal(app, pii)
    snapshot = IntakeSnapshot(
        vin=app.vin,
        customer_kind=kind,
        customer_name=name,
        customer_id_number=id_number,
        customer_mobile=mobile,
        photo_kinds={p.kind for p in app.photos},
        has_quote=app.quote_request is not None,
        as_of=business_today(),
        representative_name=rep_name,
        representative_id_number=rep_id,
        guarantor=None if guarantor is None else (guarantor.id_number, guarantor.mobile),
        family=app.product_family,
        has_asset=app.asset is not None,
    )
    return [Missing(m.field, m.code, m.message, m.message_en) for m in missing_items(snapshot)]


def view(app: Application, pii: PiiCipher, catalogue: Catalogue) -> ApplicationView:
    quote_request, quote = _quote(app)
    product, product_quote = _product_quote(app)
    return ApplicationView(
        id=app.id,
        status=ApplicationStatus(app.status),
        lease_type=LeaseType(app.lease_type),
        vehicle=_vehicle_view(app, catalogue),
        customer=customers.view(app.customer, app.customer_version)
        if app.customer and app.customer_version
        else None,
        quote=quote,
        quote_request=quote_request,
        photos=[photo_view(p.id, p.kind, p.width, p.height) for p in app.photos],
        missing=missing(app, pii) if app.status == ApplicationStatus.DRAFT else [],
        version=app.version,
        created_at=app.created_at,
        updated_at=app.updated_at,
        submitted_at=app.submitted_at,
        created_by=app.created_by_id,
        organisation_id=app.organisation_id,
        decision=decision_of(app),
        product=product,
        product_quote=product_quote,
        guarantor=guarantors.view(app),
        product_family=assets.family_of(app),
        asset=assets.input_of(app),
    )


def photo_view(photo_id: str, kind: str, width: int, height: int) -> PhotoView:
    return PhotoView(
        id=photo_id,
        kind=PhotoKind(kind),
        width=width,
        height=height,
        url=f"/api/photos/{photo_id}",
        thumbnail_url=f"/api/photos/{photo_id}/thumbnail",
    )


def _filled(app: Application) -> list[str]:
    done = {
        "vehicle": app.vin is not None,
        "asset": app.asset is not None,
        "customer": app.customer_version_id is not None,
        "photos": bool(app.photos),
        "quote": app.quote_request is not None,
    }
    return [step for step, present in done.items() if present]


def summary(app: Application, catalogue: Catalogue) -> ApplicationSummary:
    model = catalogue.get(app.catalogue_model_id) if app.catalogue_model_id else None
    quote = _quote(app)[1]
    return ApplicationSummary(
        id=app.id,
        status=ApplicationStatus(app.status),
        vin=app.vin,
        customer_name=app.customer_version.name_masked if app.customer_version else None,
        monthly_payment=str(from_fen(app.monthly_payment_fen))
        if app.monthly_payment_fen is not None
        else None,
        annualised_rate_percent=app.annualised_rate,
        updated_at=app.updated_at,
        created_by=app.created_by_id,
        maker=model.maker if model else app.maker,
        model_name=model.name if model else None,
        model_year=app.model_year,
        financed=str(quote.principal) if quote else None,
        photo_count=len(app.photos),
        filled=_filled(app),
        product_family=assets.family_of(app),
    )


def _apply_vehicle(app: Application, data: VehicleInput | None, catalogue: Catalogue) -> None:
    if data is None:
        app.vin = app.maker = app.model_year = app.catalogue_model_id = app.price_fen = None
        app.vin_valid = False
        return
    today = business_today()
    vin = normalise_vin(data.vin)
    if not 1 <= len(vin) <= limits.VIN:
        raise DomainError(
            "vin_invalid",
            "车架号格式不正确",
            "The VIN is malformed",
            fields={"vehicle.vin": "vin_length"},
        )
    if data.model_year is not None and not limits.model_year_ok(data.model_year, today):
        raise DomainError(
            "model_year_invalid",
            "年款不合理",
            "The model year is out of range",
            fields={"vehicle.model_year": "range"},
        )
    check = validate_vin(vin, as_of=today)
    if data.catalogue_model_id is not None and catalogue.get(data.catalogue_model_id) is None:
        raise DomainError(
            "catalogue_model_unknown",
            "车型不在车型库中",
            "Unknown catalogue model",
            fields={"vehicle.catalogue_model_id": "unknown"},
        )
    price = parse_money(data.price) if data.price is not None else None
    if price is not None and price <= 0:
        raise DomainError(
            "price_invalid",
            "车价应大于0",
            "Price must be positive",
            fields={"vehicle.price": "range"},
        )
    facts = check.facts
    app.vin, app.vin_valid = vin, check.valid
    app.maker = facts.maker if facts else None
    app.model_year = data.model_year or (facts.model_year if facts else None)
    app.catalogue_model_id = data.catalogue_model_id
    if app.catalogue_model_id is None and check.valid:
        matches = catalogue.for_vin(vin, app.model_year)
        if len(matches) == 1:  # only an unambiguous match is filled in for the clerk
            app.catalogue_model_id = matches[0].id
    app.mileage_km = data.mileage_km
    app.price_fen = to_fen(price) if price is not None else None
    app.is_new = (
        data.is_new if data.is_new is not None else is_new_by_model_year(app.model_year, today)
    )


def _vehicle_kind(app: Application, catalogue: Catalogue) -> str | None:
    if assets.is_partner(app):
        return None
    model = catalogue.get(app.catalogue_model_id) if app.catalogue_model_id else None
    return model.vehicle_type.value if model else None


QUOTE_PRICE_DIFFERS = DomainError(
    "quote_price_differs",
    "报价所用价格与车辆价格（或融资标的金额）不一致，请重新报价",
    "The quote was made on another price than the vehicle's (or the asset's amount): quote again",
    fields={"quote.price": "quote_price_differs"},
)


async def _apply_quote(
    db: AsyncSession, app: Application, data: ProductQuoteRequest | None, catalogue: Catalogue
) -> None:
    """Price the clerk's choice on the product's active version, for this draft's vehicle."""
    if data is None:
        app.quote_request = app.monthly_payment_fen = app.annualised_rate = None
        app.product_version_id = app.quote_choice = app.quoted_principal_fen = None
        return
    if app.price_fen is None or parse_money(data.price, field="quote.price") != from_fen(
        app.price_fen
    ):
        raise QUOTE_PRICE_DIFFERS
    row, product = await products.for_quote(db, data.product_id)
    quoted_on = business_today()
    check_family(product, assets.family_of(app))
    assets.check_quote(app, product, data.start_date, quoted_on)
    terms, response = product_quotes.priced(
        product, data, quoted_on, is_new=_is_new(app), vehicle_type=_vehicle_kind(app, catalogue),
        residual_low=_residual_low(app, catalogue, data),
    )  # fmt: skip
    app.quote_request = msgspec.to_builtins(terms)
    app.quoted_principal_fen = to_fen(parse_money(terms.principal, field="quote.principal"))
    app.monthly_payment_fen = to_fen(response.quote.monthly_payment)
    app.annualised_rate = str(response.quote.annualised_rate_percent)
    app.product_version_id = row.id
    app.quote_choice = {
        "product": msgspec.to_builtins(response.product),
        "request": msgspec.to_builtins(data),
        "quoted_on": quoted_on.isoformat(),
    }


def _residual_low(
    app: Application, catalogue: Catalogue, data: ProductQuoteRequest
) -> Decimal | None:
    """The draft's vehicle's predicted low value at the end of a balloon lease (its own vehicle,
    whatever the request says; the customer's region when filed)."""
    if assets.is_partner(app):
        return None
    region = app.customer_version.region_code if app.customer_version else None
    return balloon.residual_low(
        catalogue, app.catalogue_model_id, app.model_year, app.mileage_km, region,
        data.start_date, data.term_months, data.method,
    )  # fmt: skip


def _is_new(app: Application) -> bool | None:
    """The vehicle the product must cover; a partner product covers its asset instead."""
    return None if assets.is_partner(app) else app.is_new


QUOTE_OUTDATED = DomainError(
    "quote_outdated",
    "车辆信息已变更，报价不再适用，请重新报价",
    "The vehicle changed since the quote: quote again",
    fields={"quote": "quote_outdated"},
)


def recheck_quote(
    app: Application, catalogue: Catalogue, id_number: str | None, today: date
) -> Product:
    """Before submit: the choice is still within the product version it was quoted on, for the
    vehicle and price the draft holds now, and the product is still on sale (422 otherwise)."""
    if app.product_version_id is None or app.quote_choice is None:
        raise DomainError(
            "quote_product_missing", "请选择金融产品后重新报价",
            "Choose a product and quote again", fields={"quote": "quote_product_missing"},
        )  # fmt: skip
    req = msgspec.convert(app.quote_choice["request"], ProductQuoteRequest)
    product = products.on_sale(app.product_version)  # loaded with the draft (DRAFT)
    quoted_on = date.fromisoformat(app.quote_choice["quoted_on"])
    if app.price_fen is None or parse_money(req.price) != from_fen(app.price_fen):
        raise QUOTE_OUTDATED
    check_family(product, assets.family_of(app))
    assets.check_quote(app, product, req.start_date, today)
    terms, _ = product_quotes.priced(
        product, req, quoted_on, is_new=_is_new(app), vehicle_type=_vehicle_kind(app, catalogue),
        residual_low=_residual_low(app, catalogue, req),
    )  # fmt: skip
    if msgspec.to_builtins(terms) != app.quote_request:
        raise QUOTE_OUTDATED
    if id_number is not None and app.customer_version and app.customer_version.kind == "person":
        born = validate_resident_id(id_number, as_of=today).birth_date
        if born is not None:
            check_applicant_age(product, age_on(born, today))
    return product


async def apply_draft(
    db: AsyncSession,
    pii: PiiCipher,
    catalogue: Catalogue,
    actor: Principal,
    app: Application,
    data: ApplicationDraft,
    *,
    creating: bool = False,
) -> None:
    """Only drafts are changed here. The customer's details are those of the version filed with
    this draft (see `customers.file`); submit freezes the application, and with it the version
    it shows and is decided on. The product family is set on create only."""
    if data.product_family is not msgspec.UNSET:
        assets.set_family(app, data.product_family, creating=creating)
    if data.lease_type is not msgspec.UNSET:
        app.lease_type = data.lease_type.value
    if data.vehicle is not msgspec.UNSET:
        if assets.is_partner(app) and data.vehicle is not None:
            raise assets.VEHICLE_NOT_APPLICABLE
        if not assets.is_partner(app):
            _apply_vehicle(app, data.vehicle, catalogue)
    if data.asset is not msgspec.UNSET:
        assets.apply(app, data.asset, business_today())
    if data.customer is not msgspec.UNSET:
        if data.customer is None:
            app.customer, app.customer_version = None, None
        else:
            app.customer, app.customer_version = await customers.file(
                db, pii, actor, app.organisation_id, data.customer, app.customer_version
            )
    if data.quote is not msgspec.UNSET:
        await _apply_quote(db, app, data.quote, catalogue)
    if data.guarantor is not msgspec.UNSET:
        guarantors.apply(app, pii, data.guarantor)


async def create(
    db: AsyncSession,
    pii: PiiCipher,
    catalogue: Catalogue,
    principal: Principal,
    data: ApplicationDraft,
) -> ApplicationView:
    app = Application(
        organisation_id=principal.organisation_id,
        created_by_id=principal.user_id,
        status=ApplicationStatus.DRAFT.value,
        lease_type=LeaseType.DIRECT_LEASE.value,
        # A new draft has none of these yet; set, they never need loading.
        customer=None,
        customer_version=None,
        photos=[],
        risk_decision=None,
        risk_review=None,
        product_family="vehicle",
    )
    db.add(app)
    await apply_draft(db, pii, catalogue, principal, app, data, creating=True)
    await db.flush()
    await audit_change(db, principal, app, "application.created", None)
    return view(app, pii, catalogue)


async def create_lead(
    db: AsyncSession,
    catalogue: Catalogue,
    principal: Principal,
    *,
    model_id: str,
    model_year: int,
    is_new: bool,
    lease_type: LeaseType,
    quote: ProductQuoteRequest,
    detail: dict[str, Any],
) -> Application:
    """A draft from a pre-screened need 预审转单 (the service assistant): the vehicle by its
    catalogue model, without a VIN (the shop scans it when the customer comes), priced on the
    product as the intake would price it. ``principal`` files it for its organisation."""
    app = Application(
        organisation_id=principal.organisation_id, created_by_id=principal.user_id,
        status=ApplicationStatus.DRAFT.value, lease_type=lease_type.value,
        customer=None, customer_version=None, photos=[], risk_decision=None, risk_review=None,
        product_family="vehicle", catalogue_model_id=model_id, model_year=model_year,
        is_new=is_new, mileage_km=0, price_fen=to_fen(parse_money(quote.price)),
    )  # fmt: skip
    if catalogue.get(model_id) is None:
        raise DomainError("catalogue_model_unknown", "车型不在车型库中", "Unknown catalogue model")
    db.add(app)
    await _apply_quote(db, app, quote, catalogue)
    await db.flush()
    await audit_change(db, principal, app, "application.created", None, detail=detail)
    return app


async def update(
    db: AsyncSession,
    pii: PiiCipher,
    catalogue: Catalogue,
    principal: Principal,
    application_id: str,
    data: ApplicationDraft,
) -> ApplicationView:
    app = await load(db, principal, application_id)
    if app.status != ApplicationStatus.DRAFT:
        raise Conflict(
            "application_not_draft", "申请已提交，不能再修改", "Only drafts can be changed"
        )
    if data.version is not msgspec.UNSET and data.version != app.version:
        raise Conflict(
            "version_conflict",
            "申请已在别处修改，请刷新后再试",
            "The application was changed elsewhere; reload and retry",
        )
    before = audit_state(app)
    await apply_draft(db, pii, catalogue, principal, app, data)
    app.updated_at = datetime.now(UTC)
    await db.flush()  # a concurrent writer's StaleDataError answers 409 (backend/errors.py)
    await audit_change(db, principal, app, "application.updated", before)  # the request commits
    return view(app, pii, catalogue)


async def submit(
    db: AsyncSession,
    pii: PiiCipher,
    catalogue: Catalogue,
    principal: Principal,
    application_id: str,
    risk: RiskEngine,
) -> ApplicationView:
    """Submitting twice is harmless: an application already past draft is returned as it is;
    a concurrent second submit loses the guarded update and answers 409."""
    app = await load(db, principal, application_id, with_decision=False)  # a draft has none
    if app.status != ApplicationStatus.DRAFT:
        for name, model in (("risk_decision", RiskDecision), ("risk_review", RiskReview)):
            row = await db.scalar(select(model).where(model.application_id == app.id))
            set_committed_value(app, name, row)
        return view(app, pii, catalogue)
    gaps = missing(app, pii)
    if gaps:
        raise DomainError(
            "application_incomplete",
            "申请信息不完整，请补充后再提交",
            "The application is incomplete",
            fields={m.field: m.message for m in gaps},
        )
    id_number = None
    if app.customer is not None and app.customer_version is not None:
        id_number = customers.reveal(pii, app.customer, app.customer_version)[1]
    product = recheck_quote(app, catalogue, id_number, business_today())
    # Risk reads what it needs, lets go of the database while providers answer, then writes the
    # status change, the decision and the audit events in one short transaction.
    await risk_service.submit(db, risk, principal, app, audit_state(app), deal_limits(product))
    return view(app, pii, catalogue)


async def list_for(
    db: AsyncSession, principal: Principal, catalogue: Catalogue, status: str | None, limit: int
) -> list[ApplicationSummary]:
    query = (
        scoped(principal)
        .options(joinedload(Application.customer_version), selectinload(Application.photos))
        .order_by(Application.updated_at.desc())
        .limit(limit)
    )
    if status:
        query = query.where(Application.status == status)
    return [summary(a, catalogue) for a in await db.scalars(query)]
