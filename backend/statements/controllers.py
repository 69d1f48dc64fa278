"""Dealer statements HTTP 对账单: the statement on screen or as a file, the monthly statements,
and large exports as jobs with a download link when done. Thin controllers.

A browser cannot send the bearer token, so files open through short-lived links (the contracts'
PDF pattern, `backend/security/tokens.py` "download"): the link's grant names what it opens — one
dealer's range (`statement:<dealer>:<from>:<to>`) or one export job's file — and a link is
refused (404) for anything else.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter

from backend.auth.principal import Caller, Principal
from backend.db.deps import Db
from backend.dealers import scope
from backend.security import tokens
from backend.settings import Settings
from backend.statements import exports, service
from backend.statements.files import MEDIA_TYPES, file_name
from common.api.auth import Role
from common.api.statements import (
    FILE_FORMATS,
    DownloadLink,
    ExportJobView,
    MonthView,
    StatementFormat,
    StatementLinkRequest,
    month_view,
    statement_view,
)
from common.business_day import business_date
from common.errors import DomainError
from common.statements import StatementRange

READERS = (Role.DEALER_ADMIN, Role.ADMIN)
LINK_TTL_S = 300
From = Annotated[str, QueryParameter(name="from", max_length=20)]
To = Annotated[str, QueryParameter(name="to", max_length=20)]
DealerId = Annotated[str | None, QueryParameter(name="dealer_id", max_length=64)]


FORMAT_INVALID = DomainError(
    "statement_format_invalid", "导出格式应为 json、csv、xlsx 或 pdf",
    "format is one of json, csv, xlsx, pdf", fields={"format": "statement_format_invalid"},
)  # fmt: skip


def _format(text: str) -> StatementFormat:
    try:
        return StatementFormat(text)
    except ValueError:
        raise FORMAT_INVALID from None


def _range_grant(dealer_id: str, period: StatementRange) -> str:
    return f"statement:{dealer_id}:{period.start:%Y%m%d}:{period.end:%Y%m%d}"


def _file(data: bytes, fmt: str, name: str) -> Response[bytes]:
    return Response(
        data,
        media_type=MEDIA_TYPES[fmt],
        headers={"Cache-Control": "no-store",
                 "Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip


def _link(
    settings: Settings, caller: Principal, grant: str, path: str, now: datetime
) -> DownloadLink:
    claims = {"sub": caller.user_id, "sid": caller.session_id, "contract": grant}
    token = tokens.issue(settings.secret_key, "download", claims, now, LINK_TTL_S)
    joiner = "&" if "?" in path else "?"
    return DownloadLink(url=f"{settings.public_url}{path}{joiner}token={token}",
                        expires_at=now + timedelta(seconds=LINK_TTL_S))  # fmt: skip


class StatementController(Controller):
    path = "/api/dealer/statements"
    tags = ["dealer statements"]  # noqa: RUF012

    @get("/", opt={"roles": READERS, "download_token": True})
    async def statement(
        self, request: Request[Any, Any, Any], db: Db, caller: Caller, now: datetime,
        start: From, end: To, format: str = "json", dealer_id: DealerId = None,
    ) -> Response[Any]:  # fmt: skip
        """对账单 for business dates `from`..`to` (both included, at most a year): JSON for the
        screen, or a file (csv with BOM, xlsx, pdf). A file of more than 2,000 rows answers 202
        with an export job instead (GET /exports/{id} shows its progress)."""
        fmt, period = _format(format), StatementRange.parse(start, end)
        dealer = await service.dealer_for(db, caller, dealer_id)
        grant = request.scope.get("download_grant")
        if grant is not None and grant != _range_grant(dealer.id, period):
            raise scope.DEALER_NOT_FOUND  # a link opens the one statement it was made for
        if fmt is StatementFormat.JSON:
            s = await service.statement(db, dealer, period)
            return Response(statement_view(s, dealer.name))
        if grant is None:
            rows = await service.row_count(db, dealer, period)
            if rows > exports.JOB_THRESHOLD:
                job = await exports.start(db, caller, dealer, period, fmt, rows, now)
                return Response(exports.view(job), status_code=202)
        s = await service.statement(db, dealer, period)
        data = exports.render(fmt, s, dealer.name, now)
        return _file(data, fmt, file_name(dealer.id, s, fmt))

    @post("/link", opt={"roles": READERS}, status_code=200)
    async def link(
        self, data: StatementLinkRequest, db: Db, settings: Settings, caller: Caller,
        now: datetime,
    ) -> Response[Any]:  # fmt: skip
        """A browser link to the statement's file (5 minutes); 202 with an export job instead
        when it has more than 2,000 rows."""
        period = data.period()
        if data.format not in FILE_FORMATS:
            raise FORMAT_INVALID  # a link is for a file
        dealer = await service.dealer_for(db, caller, data.dealer_id)
        rows = await service.row_count(db, dealer, period)
        if rows > exports.JOB_THRESHOLD:
            job = await exports.start(db, caller, dealer, period, data.format, rows, now)
            return Response(exports.view(job), status_code=202)
        query = {"from": period.start.isoformat(), "to": period.end.isoformat(),
                 "format": data.format.value}  # fmt: skip
        if caller.role == Role.ADMIN:
            query["dealer_id"] = dealer.id
        path = f"/api/dealer/statements?{urlencode(query)}"
        return Response(_link(settings, caller, _range_grant(dealer.id, period), path, now))

    @get("/months", opt={"roles": READERS})
    async def months(
        self, db: Db, caller: Caller, now: datetime, dealer_id: DealerId = None
    ) -> list[MonthView]:
        """月度对账单: the closed months with activity, newest first, each with its balances."""
        dealer = await service.dealer_for(db, caller, dealer_id)
        return [month_view(m) for m in await service.months(db, dealer, business_date(now))]

    @get("/exports/{job_id:str}", opt={"roles": READERS})
    async def export(self, job_id: FromPath[str], db: Db, caller: Caller) -> ExportJobView:
        return exports.view(await exports.get(db, caller, job_id))

    @post("/exports/{job_id:str}/link", opt={"roles": READERS}, status_code=200)
    async def export_link(
        self, job_id: FromPath[str], db: Db, settings: Settings, caller: Caller, now: datetime
    ) -> DownloadLink:
        """A browser link to the finished job's file (5 minutes); 409 while it is not done."""
        job = await exports.get(db, caller, job_id)
        exports.file_of(settings, job)  # refuses a job that is not done
        path = f"/api/dealer/statements/exports/{job.id}/file"
        return _link(settings, caller, exports.grant_of(job.id), path, now)

    @get("/exports/{job_id:str}/file", opt={"roles": READERS, "download_token": True})
    async def export_file(
        self, request: Request[Any, Any, Any], job_id: FromPath[str], db: Db,
        settings: Settings, caller: Caller,
    ) -> Response[bytes]:  # fmt: skip
        grant = request.scope.get("download_grant")
        if grant is not None and grant != exports.grant_of(job_id):
            raise exports.EXPORT_NOT_FOUND
        job = await exports.get(db, caller, job_id)
        data, name = exports.file_of(settings, job)
        return _file(data, job.format, name)


STATEMENT_ROUTES = [StatementController]
