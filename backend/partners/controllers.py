"""Partner notification HTTP 合作方通知: the admin manages partner organisations, their webhook
endpoints (the secret shown once, at creation and at rotation) and a contract's partners; the
monitor (and the admin) reads the delivery log and sends a delivery again. In demo mode, the
demo receiver and its page."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, patch, post, put
from litestar.params import FromPath, Parameter

from backend.auth.principal import Caller
from backend.db.deps import Db
from backend.partners import receiver, service
from backend.partners.ssrf import UrlPolicy, demo_mode
from backend.security.pii import PiiCipher
from backend.settings import Settings
from common import webhooks
from common.api import limits
from common.api.auth import Role
from common.api.partners import (
    ContractPartnerRequest,
    ContractPartnerView,
    DeliveryStatus,
    DeliveryView,
    EndpointChange,
    EndpointRequest,
    EndpointSecret,
    EndpointView,
    PartnerRequest,
    PartnerView,
    RotateRequest,
)
from common.errors import NotFound

ADMIN = (Role.ADMIN,)
READERS = (Role.MONITOR, Role.ADMIN)  # 租后管理 watches the deliveries
JSON_LIMIT = 256 * 1024  # a body is a few hundred bytes; the bad-input corpus sends ~200 KB
Query = Annotated[str | None, Parameter(max_length=64, pattern=limits.LINE_PATTERN)]


class PartnerController(Controller):
    path = "/api/partners"
    tags = ["partners"]  # noqa: RUF012

    @post("/organisations", opt={"roles": ADMIN}, status_code=201,
          request_max_body_size=JSON_LIMIT)  # fmt: skip
    async def create_partner(
        self, data: PartnerRequest, db: Db, caller: Caller, now: datetime
    ) -> PartnerView:
        """A logistics company 物流公司 or an insurer 保险公司."""
        return await service.create_partner(db, caller, data, now)

    @get("/organisations", opt={"roles": ADMIN})
    async def list_partners(self, db: Db) -> list[PartnerView]:
        return await service.list_partners(db)

    @post("/organisations/{org_id:str}/endpoints", opt={"roles": ADMIN}, status_code=201,
          request_max_body_size=JSON_LIMIT)  # fmt: skip
    async def create_endpoint(
        self, org_id: FromPath[str], data: EndpointRequest, db: Db, caller: Caller,
        pii: PiiCipher, settings: Settings, now: datetime,
    ) -> EndpointSecret:  # fmt: skip
        """The answer holds the signing secret: the only time it is shown (but for rotation)."""
        policy = UrlPolicy.for_settings(settings)
        return await service.create_endpoint(db, caller, pii, policy, org_id, data, now)

    @get("/organisations/{org_id:str}/endpoints", opt={"roles": ADMIN})
    async def list_endpoints(self, org_id: FromPath[str], db: Db) -> list[EndpointView]:
        return await service.list_endpoints(db, org_id)

    @patch("/endpoints/{endpoint_id:str}", opt={"roles": ADMIN},
           request_max_body_size=JSON_LIMIT)  # fmt: skip
    async def change_endpoint(
        self, endpoint_id: FromPath[str], data: EndpointChange, db: Db, caller: Caller,
        settings: Settings, now: datetime,
    ) -> EndpointView:  # fmt: skip
        policy = UrlPolicy.for_settings(settings)
        return await service.change_endpoint(db, caller, policy, endpoint_id, data, now)

    @post("/endpoints/{endpoint_id:str}/rotate-secret", opt={"roles": ADMIN}, status_code=200,
          request_max_body_size=JSON_LIMIT)  # fmt: skip
    async def rotate_secret(
        self, endpoint_id: FromPath[str], data: RotateRequest, db: Db, caller: Caller,
        pii: PiiCipher, now: datetime,
    ) -> EndpointSecret:  # fmt: skip
        return await service.rotate_secret(db, caller, pii, endpoint_id, data, now)

    @get("/contracts/{contract_id:str}", opt={"roles": READERS})
    async def contract_partners(
        self, contract_id: FromPath[str], db: Db, pii: PiiCipher
    ) -> list[ContractPartnerView]:
        return await service.contract_partners(db, pii, contract_id)

    @put("/contracts/{contract_id:str}/{role:str}", opt={"roles": ADMIN},
         request_max_body_size=JSON_LIMIT)  # fmt: skip
    async def set_contract_partner(
        self, contract_id: FromPath[str], role: FromPath[str], data: ContractPartnerRequest,
        db: Db, caller: Caller, pii: PiiCipher, now: datetime,
    ) -> ContractPartnerView:  # fmt: skip
        """The contract's logistics company or insurer (``role``), with its named contact."""
        return await service.set_contract_partner(db, caller, pii, contract_id, role, data, now)

    @get("/deliveries", opt={"roles": READERS})
    async def deliveries(
        self, db: Db, event_id: Query = None, contract_id: Query = None,
        alert_id: Query = None, status: DeliveryStatus | None = None,
    ) -> list[DeliveryView]:  # fmt: skip
        """The delivery log, newest first (at most 200); `alert_id`: that monitoring alert's
        events (opened, acknowledged, resolved)."""
        return await service.deliveries(
            db, event_id=event_id, contract_id=contract_id, alert_id=alert_id, status=status
        )

    @get("/deliveries/{delivery_id:str}", opt={"roles": READERS})
    async def delivery(self, delivery_id: FromPath[str], db: Db) -> DeliveryView:
        """One delivery with every attempt."""
        return await service.delivery(db, delivery_id)

    @post("/deliveries/{delivery_id:str}/retry", opt={"roles": READERS}, status_code=200)
    async def retry(
        self, delivery_id: FromPath[str], db: Db, caller: Caller, now: datetime
    ) -> DeliveryView:
        return await service.retry(db, caller, delivery_id, now)


# -- the demo receiver (demo mode only) --------------------------------------------------------


@post("/api/demo/webhook-receiver/{name:str}", opt={"public": True}, tags=["demo"],
      status_code=200, request_max_body_size=receiver.MAX_BODY)  # fmt: skip
async def demo_receive(
    request: Request[Any, Any, Any], name: FromPath[str], db: Db, pii: PiiCipher, now: datetime
) -> Response[dict[str, Any]]:
    """Stands in for a partner's server: verifies the signature, stores the delivery."""
    if not receiver.NAME.match(name):
        raise NotFound("not_found", "找不到该内容", "Not found")
    body = await request.body()
    got = await receiver.receive(
        db, pii, name, request.headers.get(webhooks.SIGNATURE_HEADER),
        request.headers.get(webhooks.EVENT_ID_HEADER), body, now,
    )  # fmt: skip
    answer = {"received": True, "verified": got.verified, "reason": got.reason}
    return Response(answer, status_code=200 if got.verified else 400)


@get("/demo/webhook-receiver", opt={"public": True}, media_type="text/html",
     include_in_schema=False)  # fmt: skip
async def demo_receiver_page(db: Db) -> str:
    return receiver.page(await receiver.latest(db))


def routes(settings: Settings) -> list[Any]:
    return [PartnerController, *((demo_receive, demo_receiver_page) if demo_mode(settings) else ())]
