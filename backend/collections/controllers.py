"""Collections HTTP 催收: the queue, a collector's action on a case, a contract's timeline."""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, get, post
from litestar.params import FromPath

from backend.auth.principal import Caller
from backend.collections import service
from backend.contracts import service as contracts
from backend.db.deps import Db
from common.api.auth import Role
from common.api.collections import ActionRequest, ActionView, QueueItem, TimelineEvent
from common.business_day import business_date

COLLECTORS = (Role.MONITOR, Role.ADMIN)  # 租后管理 works the queue


class CollectionsController(Controller):
    path = "/api"
    tags = ["collections"]  # noqa: RUF012

    @get("/collections/queue", opt={"roles": COLLECTORS})
    async def queue(self, db: Db, now: datetime) -> list[QueueItem]:
        """Live cases: broken promises first, then by bucket and amount overdue."""
        return await service.queue(db, business_date(now))

    @post("/collections/cases/{case_id:str}/actions", opt={"roles": COLLECTORS}, status_code=201)
    async def act(
        self, case_id: FromPath[str], data: ActionRequest, db: Db, caller: Caller, now: datetime
    ) -> ActionView:
        return await service.act(db, caller, case_id, data, now, business_date(now))

    @get("/contracts/{contract_id:str}/timeline",
         opt={"roles": (*COLLECTORS, Role.RISK_OFFICER)})  # fmt: skip
    async def timeline(
        self, contract_id: FromPath[str], db: Db, caller: Caller
    ) -> list[TimelineEvent]:
        contract = await contracts.get(db, caller, contract_id)
        return await service.timeline(db, contract)


COLLECTIONS_ROUTES = [CollectionsController]
