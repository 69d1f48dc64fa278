"""The funder side HTTP 资金方: agreements and remittances (admins), and the funder's portfolio —
for its machines (``X-Api-Key``, like the funding API) and for a funder user in the app (bearer
token, role ``funder``), the same view, scoped to the caller's funder. Thin controllers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post, put
from litestar.params import FromPath, HeaderParameter

from backend.auth import service as auth
from backend.auth.principal import Caller
from backend.contracts import funding
from backend.db.deps import Db
from backend.funders import agreements, portfolio, remittances
from backend.idempotency import run_idempotent
from backend.settings import Settings
from common.api.auth import Role
from common.api.funders import (
    AgreementBody,
    AgreementView,
    Portfolio,
    PortfolioContractDetail,
    RemittanceBody,
    RemittanceView,
)
from common.business_day import business_date
from common.errors import DomainError, Forbidden, Unauthorized

ApiKey = Annotated[str, HeaderParameter(name="X-Api-Key", required=False)]
IdempotencyKey = Annotated[str | None, HeaderParameter(name="Idempotency-Key", required=False)]
NOT_A_FUNDER = Forbidden("forbidden", "您没有权限执行此操作", "You are not allowed to do this")


async def _funder_id(request: Request[Any, Any, Any], db: Db, settings: Settings,
                     api_key: str) -> str:  # fmt: skip
    """The caller's funder: by its API key, else by a signed-in funder user (401 without
    either; 403 for any other role)."""
    if api_key:
        return (await funding.funder_for(db, settings.secret_key, api_key)).organisation_id
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("unauthenticated", "请先登录", "Sign in first")
    principal = await auth.principal_from_access_token(db, settings, token.strip())
    if principal.role is not Role.FUNDER:
        raise NOT_A_FUNDER
    return principal.organisation_id


class FunderPortfolioController(Controller):
    path = "/api/funder"
    tags = ["funder"]  # noqa: RUF012

    @get("/portfolio", opt={"public": True})  # authenticated here: an API key or a funder user
    async def show(
        self, request: Request[Any, Any, Any], db: Db, settings: Settings, now: datetime,
        x_api_key: ApiKey = "",
    ) -> Portfolio:  # fmt: skip
        """Funded contracts, outstanding (whole and the funder's share), delinquency by bucket,
        repayments allocated to its share by month, what the lessor owes it now, the list."""
        funder_id = await _funder_id(request, db, settings, x_api_key)
        return await portfolio.portfolio(db, funder_id, business_date(now))

    @get("/portfolio/contracts/{contract_id:str}", opt={"public": True})
    async def contract(
        self, request: Request[Any, Any, Any], contract_id: FromPath[str], db: Db,
        settings: Settings, x_api_key: ApiKey = "",
    ) -> PortfolioContractDetail:  # fmt: skip
        funder_id = await _funder_id(request, db, settings, x_api_key)
        return await portfolio.contract(db, funder_id, contract_id)

    @get("/agreements/{funder_id:str}", opt={"roles": (Role.ADMIN,)})
    async def agreement(self, funder_id: FromPath[str], db: Db) -> AgreementView | None:
        await agreements.funder(db, funder_id)
        row = await agreements.in_force(db, funder_id)
        return None if row is None else agreements.view(row)

    @put("/agreements/{funder_id:str}", opt={"roles": (Role.ADMIN,)})
    async def save_agreement(
        self, funder_id: FromPath[str], data: AgreementBody, db: Db, caller: Caller,
        now: datetime,
    ) -> AgreementView:  # fmt: skip
        """A new version of the funder's agreement: contracts funded from now on take it."""
        return agreements.view(await agreements.save(db, funder_id, data, caller, now))

    @post("/remittances", opt={"roles": (Role.ADMIN,)}, status_code=201)
    async def remit(
        self, request: Request[Any, Any, Any], data: RemittanceBody, db: Db, caller: Caller,
        now: datetime, idempotency_key: IdempotencyKey = None,
    ) -> Response[bytes]:  # fmt: skip
        """Pay the funder everything owed to it now (``Idempotency-Key`` required)."""
        if not idempotency_key:
            raise DomainError("idempotency_key_required", "划款需要请求编号",
                              "Idempotency-Key is required", status=400)  # fmt: skip

        async def effect() -> tuple[int, RemittanceView]:
            row = await remittances.remit(db, data.funder_id, data.bank_reference, caller, now)
            return 201, remittances.view(row)

        return await run_idempotent(db, caller, idempotency_key, "POST /api/funder/remittances",
                                    await request.body(), effect)  # fmt: skip


FUNDER_ROUTES = [FunderPortfolioController]
