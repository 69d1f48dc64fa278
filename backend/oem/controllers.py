"""The OEM's view HTTP 主机厂: its dealer network's floor plans, aggregated. Thin controllers."""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, get
from litestar.params import FromPath

from backend.auth.principal import Caller
from backend.db.deps import Db
from backend.oem import network
from common.api.auth import Role
from common.api.oem import NetworkDealer
from common.business_day import business_date


class OemController(Controller):
    path = "/api/oem"
    tags = ["oem"]  # noqa: RUF012

    @get("/dealers", opt={"roles": (Role.OEM,)})
    async def dealer_list(self, db: Db, caller: Caller, now: datetime) -> list[NetworkDealer]:
        """Each dealer of the caller's network: floor-plan utilisation, stock age, sell-through,
        turnover, curtailments overdue, the last stock audit."""
        return await network.dealers(db, caller.organisation_id, business_date(now))

    @get("/dealers/{dealer_id:str}", opt={"roles": (Role.OEM,)})
    async def dealer_detail(
        self, dealer_id: FromPath[str], db: Db, caller: Caller, now: datetime
    ) -> NetworkDealer:
        return await network.dealer(db, caller.organisation_id, dealer_id, business_date(now))


OEM_ROUTES = [OemController]
