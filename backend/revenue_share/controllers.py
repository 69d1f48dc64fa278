"""Revenue-sharing HTTP 电费分账: a contract's monthly revenue reports and the lessor's overview.
Thin: scoping (a lessee sees only their own contracts; others answer 404) and the money live in
the service; a report moves money, so it needs an `Idempotency-Key` and replays its answer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, HeaderParameter, Parameter

from backend.auth.principal import Caller
from backend.db.deps import Db
from backend.idempotency import run_idempotent
from backend.revenue_share import service, views
from common.api.auth import Role
from common.api.revenue_share import (
    OverdueReportView,
    RevenueMonthView,
    RevenueReportBody,
    RevenueReportsView,
    report_of,
)
from common.errors import DomainError
from common.revenue_share import ReportStatus

IdempotencyKey = Annotated[str | None, HeaderParameter(name="Idempotency-Key", required=False)]
StatusQuery = Annotated[ReportStatus | None, Parameter(required=False)]
LimitQuery = Annotated[int, Parameter(ge=1, le=1000, required=False)]
REPORTERS = (Role.LESSEE, Role.ADMIN, Role.MONITOR)  # the operator, or the lessor's staff for it
LESSOR = (Role.ADMIN, Role.MONITOR)


class RevenueReportController(Controller):
    path = "/api/contracts/{contract_id:str}/revenue-reports"
    tags = ["revenue share"]  # noqa: RUF012

    @post("/", opt={"roles": REPORTERS}, status_code=201)
    async def report(
        self, request: Request[Any, Any, Any], contract_id: FromPath[str],
        data: RevenueReportBody, db: Db, caller: Caller, now: datetime,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[bytes]:  # fmt: skip
        """电费收入报送 (`Idempotency-Key` required): 201 with the month's figures and the variable
        rent charged; 200 when the same figures were on file (nothing charged again); a
        different report is a correction (409 revenue_period_settled once it is paid)."""
        if not idempotency_key:
            raise DomainError("idempotency_key_required", "报送需要请求编号",
                              "Idempotency-Key is required", status=400)  # fmt: skip
        parsed = report_of(data)

        async def effect() -> tuple[int, RevenueMonthView]:
            done = await service.report(db, caller, contract_id, parsed, now)
            return (201 if done.written else 200), views.reported_view(done)

        return await run_idempotent(
            db, caller, idempotency_key, f"POST /api/contracts/{contract_id}/revenue-reports",
            await request.body(), effect,
        )  # fmt: skip

    @get("/", opt={"roles": REPORTERS})
    async def months(
        self, contract_id: FromPath[str], db: Db, caller: Caller, now: datetime
    ) -> RevenueReportsView:
        """Each month of the lease so far: floor, revenue, share, variable rent, status."""
        return await views.contract_months(db, caller, contract_id, now)


class RevenueShareController(Controller):
    path = "/api/revenue-share"
    tags = ["revenue share"]  # noqa: RUF012

    @get("/reports", opt={"roles": LESSOR})
    async def overview(
        self, db: Db, now: datetime, status: StatusQuery = None, limit: LimitQuery = 500
    ) -> list[OverdueReportView]:
        """分账报送总览: the months of every active revenue-sharing lease (e.g. status=overdue),
        the longest overdue first, at most `limit` of them."""
        return await views.overview(db, status, now, limit)


REVENUE_SHARE_ROUTES = [RevenueReportController, RevenueShareController]
