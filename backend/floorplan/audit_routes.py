"""Stock-audit HTTP 盘库: an admin opens (and may close) an audit; the dealer scans its units with
a photo each (raw image bytes as the body, the VIN as `?vin=`); both read the audit and the
sold-out-of-trust alerts, and the scans' photos and thumbnails. Another dealer's audit answers
404, and so do its photos."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, Parameter
from litestar.response import File

from backend.auth.principal import Caller
from backend.db.deps import Db
from backend.floorplan import audits, lines
from backend.floorplan.controllers import READERS, DealerQuery
from backend.settings import Settings
from common.api import limits
from common.api.auth import Role
from common.api.floorplan import AlertView, AuditBody, AuditView
from common.errors import DomainError

PHOTO_LIMIT = 12 * 1024 * 1024
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "application/octet-stream"}


class FloorplanAuditController(Controller):
    path = "/api/floorplan"
    tags = ["floorplan"]  # noqa: RUF012

    @post("/audits", opt={"roles": (Role.ADMIN,)}, status_code=201)
    async def open_audit(self, data: AuditBody, db: Db, caller: Caller, now: datetime) -> AuditView:
        """开启盘库 for a dealer, due by `deadline` (inclusive)."""
        row = await audits.open_audit(db, data.dealer_id, data.deadline, now, caller)
        return await audits.view(db, row)

    @get("/audits", opt={"roles": READERS})
    async def list_audits(
        self, db: Db, caller: Caller, dealer_id: DealerQuery = None
    ) -> list[AuditView]:
        dealer = lines.dealer_of(caller, dealer_id)
        return [await audits.view(db, row) for row in await audits.list_audits(db, dealer)]

    @get("/audits/{audit_id:str}", opt={"roles": READERS})
    async def show_audit(self, audit_id: FromPath[str], db: Db, caller: Caller) -> AuditView:
        return await audits.view(db, await audits.load(db, caller, audit_id))

    @post(
        "/audits/{audit_id:str}/scans", opt={"roles": (Role.DEALER_ADMIN,)}, status_code=201,
        request_max_body_size=PHOTO_LIMIT,
    )  # fmt: skip
    async def scan(
        self, request: Request[Any, Any, Any], audit_id: FromPath[str], db: Db, caller: Caller,
        settings: Settings, now: datetime,
        vin: Annotated[str, Parameter(min_length=1,
                                      max_length=limits.VIN_INPUT)],
    ) -> AuditView:  # fmt: skip
        """扫码盘点: one financed unit seen on the lot, with its photo as the body."""
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype not in IMAGE_TYPES:
            raise DomainError(
                "unsupported_media_type",
                "只支持 JPEG、PNG、WebP 图片",
                "Only JPEG, PNG and WebP images are accepted",
                status=415,
            )
        row = await audits.scan(db, settings, caller, audit_id, vin, await request.body(), now)
        return await audits.view(db, row)

    @get("/audits/{audit_id:str}/scans/{scan_id:str}/photo", opt={"roles": READERS})
    async def scan_photo(
        self, audit_id: FromPath[str], scan_id: FromPath[str], db: Db, settings: Settings,
        caller: Caller,
    ) -> File:  # fmt: skip
        """盘库照片: a scan's photo (JPEG, metadata stripped), for the audit's readers."""
        path = await audits.photo_file(db, settings, caller, audit_id, scan_id, thumbnail=False)
        return File(path, media_type="image/jpeg", content_disposition_type="inline")

    @get("/audits/{audit_id:str}/scans/{scan_id:str}/thumbnail", opt={"roles": READERS})
    async def scan_thumbnail(
        self, audit_id: FromPath[str], scan_id: FromPath[str], db: Db, settings: Settings,
        caller: Caller,
    ) -> File:  # fmt: skip
        path = await audits.photo_file(db, settings, caller, audit_id, scan_id, thumbnail=True)
        return File(path, media_type="image/jpeg", content_disposition_type="inline")

    @post("/audits/{audit_id:str}/close", opt={"roles": (Role.ADMIN,)}, status_code=200)
    async def close(
        self, audit_id: FromPath[str], db: Db, caller: Caller, now: datetime
    ) -> AuditView:
        """Close before the deadline: the units not scanned become sold-out-of-trust alerts."""
        row = await audits.load(db, caller, audit_id)
        await audits.close(db, row, now, caller)
        return await audits.view(db, row)

    @get("/alerts", opt={"roles": READERS})
    async def alerts(
        self, db: Db, caller: Caller, dealer_id: DealerQuery = None
    ) -> list[AlertView]:
        """Sold-out-of-trust alerts 疑似售出未还款 of the dealer's units."""
        return await audits.alerts_of(db, lines.dealer_of(caller, dealer_id))
