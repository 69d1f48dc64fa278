"""Intake HTTP: VIN scan, catalogue, valuation, quotes, applications, photos. Thin controllers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, cast

import anyio.to_thread
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.params import FromPath, HeaderParameter, Parameter
from litestar.response import File

from backend.auth.principal import Caller, UploadGrant
from backend.db.deps import Db
from backend.idempotency import run_idempotent
from backend.intake import applications, drafts, photo_store
from backend.intake.catalogue import Catalogue
from backend.intake.vin_scan import scan_vin
from backend.residual import valuation as valuations
from backend.residual.vehicles import to_value
from backend.risk.service import RiskEngine
from backend.security.pii import PiiCipher
from backend.settings import Settings
from common.api.auth import Role
from common.api.intake import (
    ApplicationDraft,
    ApplicationStatus,
    ApplicationSummary,
    ApplicationView,
    CatalogueModel,
    PhotoKind,
    PhotoView,
    UploadUrl,
    Valuation,
    ValuationRequest,
    VinScan,
)
from common.business_day import business_date
from common.errors import DomainError
from common.identity import model_year, validate_vin
from common.residual.inspection import Inspection
from common.residual.model import ResidualModel

JSON_LIMIT = 256 * 1024
PHOTO_LIMIT = 12 * 1024 * 1024
INTAKE = (Role.STAFF, Role.DEALER_ADMIN, Role.ADMIN)
READERS = (Role.STAFF, Role.DEALER_ADMIN, Role.RISK_OFFICER, Role.ADMIN)
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
IdempotencyKey = Annotated[str | None, HeaderParameter(name="Idempotency-Key", required=False)]


def _image_body_type(request: Request[Any, Any, Any]) -> None:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype and ctype not in IMAGE_TYPES and ctype != "application/octet-stream":
        raise DomainError(
            "unsupported_media_type",
            "只支持 JPEG、PNG、WebP 图片",
            "Only JPEG, PNG and WebP images are accepted",
            status=415,
        )


class VehicleController(Controller):
    path = "/api"
    tags = ["intake"]  # noqa: RUF012

    @post("/vin/scan", opt={"roles": INTAKE}, status_code=200, request_max_body_size=PHOTO_LIMIT)
    async def scan(
        self, request: Request[Any, Any, Any], catalogue: Catalogue, now: datetime
    ) -> VinScan:
        """Read the VIN barcode (Code 39/128, QR, DataMatrix) from a phone photo (raw body)."""
        _image_body_type(request)
        result = await anyio.to_thread.run_sync(scan_vin, await request.body())
        year = model_year(result.vin[9], as_of=business_date(now))
        matches = catalogue.for_vin(result.vin, year)
        return VinScan(
            vin=result.vin,
            symbology=result.symbology,
            check_digit_valid=result.check_digit_valid,
            maker=result.maker,
            model_year=year,
            catalogue_matches=[m.view() for m in matches],
        )

    @get("/vin/{vin:str}", opt={"roles": INTAKE})
    async def decode(self, vin: FromPath[str], catalogue: Catalogue, now: datetime) -> VinScan:
        """A typed VIN checked like a scanned one: maker, model year, catalogue matches."""
        check = validate_vin(vin[:40], as_of=business_date(now))
        check.raise_if_invalid("vin")
        facts = check.facts
        assert facts is not None  # a valid VIN always decodes
        matches = catalogue.for_vin(facts.vin, facts.model_year)
        return VinScan(
            vin=facts.vin,
            symbology="manual",
            check_digit_valid=facts.check_digit_valid,
            maker=facts.maker,
            model_year=facts.model_year,
            catalogue_matches=[m.view() for m in matches],
        )

    @get("/catalogue/models", opt={"roles": tuple(Role)})
    async def models(
        self, catalogue: Catalogue, maker: str | None = None, q: str | None = None
    ) -> list[CatalogueModel]:
        return [m.view() for m in catalogue.search(maker, q)]

    @post("/valuations", opt={"roles": READERS}, status_code=200, request_max_body_size=JSON_LIMIT)
    async def valuation(
        self, data: ValuationRequest, catalogue: Catalogue, residual: ResidualModel, now: datetime
    ) -> Valuation:
        """The vehicle's value on `as_of` (default today) with its interval, from the residual
        model; an inspection checklist, when given, sets the condition grade."""
        as_of = data.as_of or business_date(now)
        model, year = valuations.resolve(catalogue, None, data.model_id, data.model_year, as_of)
        found = data.inspection
        inspection = Inspection({str(k): v for k, v in found.items()}) if found else None
        vehicle = to_value(
            model, year, data.mileage_km, region_code=data.region_code,
            condition=inspection.grade if inspection else data.condition, accident=data.accident,
            battery_soh=None if data.battery_soh is None else Decimal(data.battery_soh),
        )  # fmt: skip
        return valuations.view(
            residual,
            model,
            vehicle,
            as_of,
            inspection_score=inspection.score if inspection else None,
        )


class ApplicationController(Controller):
    path = "/api/applications"
    tags = ["intake"]  # noqa: RUF012

    @post("/", opt={"roles": INTAKE}, request_max_body_size=JSON_LIMIT)
    async def create(
        self,
        request: Request[Any, Any, Any],
        data: ApplicationDraft,
        db: Db,
        pii: PiiCipher,
        catalogue: Catalogue,
        caller: Caller,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[bytes]:
        """Create a draft. With an Idempotency-Key a retry of the same body gets the same draft."""

        async def effect() -> tuple[int, ApplicationView]:
            return 201, await applications.create(db, pii, catalogue, caller, data)

        return await run_idempotent(
            db, caller, idempotency_key, "POST /api/applications", await request.body(), effect
        )

    @get("/", opt={"roles": READERS})
    async def index(
        self,
        db: Db,
        catalogue: Catalogue,
        caller: Caller,
        status: ApplicationStatus | None = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
    ) -> list[ApplicationSummary]:
        return await applications.list_for(
            db, caller, catalogue, status.value if status else None, limit
        )

    @get("/{application_id:str}", opt={"roles": READERS})
    async def show(
        self,
        application_id: FromPath[str],
        db: Db,
        pii: PiiCipher,
        catalogue: Catalogue,
        caller: Caller,
    ) -> ApplicationView:
        app = await applications.load(db, caller, application_id)
        return applications.view(app, pii, catalogue)

    @patch("/{application_id:str}", opt={"roles": INTAKE}, request_max_body_size=JSON_LIMIT)
    async def update(
        self,
        application_id: FromPath[str],
        data: ApplicationDraft,
        db: Db,
        pii: PiiCipher,
        catalogue: Catalogue,
        caller: Caller,
    ) -> ApplicationView:
        return await applications.update(db, pii, catalogue, caller, application_id, data)

    @delete("/{application_id:str}", opt={"roles": INTAKE}, status_code=204)
    async def delete_draft(
        self,
        application_id: FromPath[str],
        db: Db,
        settings: Settings,
        caller: Caller,
        now: datetime,
    ) -> None:
        """Delete an abandoned draft of the caller's shop (409 once submitted); audited."""
        await drafts.delete(db, settings, caller, application_id, now)

    @post("/{application_id:str}/submit", opt={"roles": INTAKE}, status_code=200)
    async def submit(
        self,
        application_id: FromPath[str],
        db: Db,
        pii: PiiCipher,
        catalogue: Catalogue,
        risk: RiskEngine,
        caller: Caller,
    ) -> ApplicationView:
        return await applications.submit(db, pii, catalogue, caller, application_id, risk)

    @post(
        "/{application_id:str}/photos/{kind:str}/upload-url", opt={"roles": INTAKE}, status_code=200
    )
    async def upload_url(
        self,
        application_id: FromPath[str],
        kind: FromPath[PhotoKind],
        db: Db,
        settings: Settings,
        caller: Caller,
    ) -> UploadUrl:
        await applications.load(db, caller, application_id)
        return photo_store.upload_url(settings, caller, application_id, kind)

    @put(
        "/{application_id:str}/photos/{kind:str}",
        opt={"roles": INTAKE, "upload_token": True},
        status_code=201,
        request_max_body_size=PHOTO_LIMIT,
    )
    async def put_photo(
        self,
        request: Request[Any, Any, Any],
        application_id: FromPath[str],
        kind: FromPath[PhotoKind],
        db: Db,
        settings: Settings,
        caller: Caller,
    ) -> PhotoView:
        """Raw image bytes as the body; authorised by bearer token or by a signed `?token=` URL."""
        _image_body_type(request)
        grant = cast("UploadGrant | None", request.scope.get("upload_grant"))
        return await photo_store.add(
            db, settings, caller, application_id, kind, await request.body(), grant
        )

    @delete("/{application_id:str}/photos/{photo_id:str}", opt={"roles": INTAKE}, status_code=204)
    async def delete_photo(
        self,
        application_id: FromPath[str],
        photo_id: FromPath[str],
        db: Db,
        settings: Settings,
        caller: Caller,
    ) -> None:
        await photo_store.remove(db, settings, caller, application_id, photo_id)


class PhotoController(Controller):
    path = "/api/photos"
    tags = ["intake"]  # noqa: RUF012

    @get("/{photo_id:str}", opt={"roles": READERS})
    async def image(
        self, photo_id: FromPath[str], db: Db, settings: Settings, caller: Caller
    ) -> File:
        path = await photo_store.open_file(db, settings, caller, photo_id, thumbnail=False)
        return File(path, media_type="image/jpeg", content_disposition_type="inline")

    @get("/{photo_id:str}/thumbnail", opt={"roles": READERS})
    async def thumbnail(
        self, photo_id: FromPath[str], db: Db, settings: Settings, caller: Caller
    ) -> File:
        path = await photo_store.open_file(db, settings, caller, photo_id, thumbnail=True)
        return File(path, media_type="image/jpeg", content_disposition_type="inline")


INTAKE_ROUTES = [VehicleController, ApplicationController, PhotoController]
