"""The dealer's account HTTP 经销商账户: the summary of the dealer's home, its deals, and the
commission rules. A dealer_admin sees its own organisation only (another `dealer_id`: 404); an
admin names the dealer."""

from __future__ import annotations

import re
from datetime import datetime

from litestar import Controller, get, put

from backend.auth.principal import Caller, Principal
from backend.db.deps import Db
from backend.dealers import commissions, scope, summary
from common.api.auth import Role
from common.api.dealers import CommissionRules, CommissionRulesView, Deal, DealerSummary
from common.deals import DealStage
from common.errors import DomainError

DEALERS = (Role.DEALER_ADMIN, Role.ADMIN)
MONTH = re.compile(r"20\d\d-(0[1-9]|1[0-2])", re.ASCII)


async def _dealer(db: Db, caller: Principal, dealer_id: str | None) -> str:
    if caller.role is Role.DEALER_ADMIN:
        if dealer_id not in (None, caller.organisation_id):
            raise scope.DEALER_NOT_FOUND
        return caller.organisation_id
    if not dealer_id:
        raise DomainError("dealer_id_required", "请指定经销商", "name the dealer",
                          fields={"dealer_id": "dealer_id_required"})  # fmt: skip
    return (await scope.dealer_org(db, dealer_id)).id


class DealerController(Controller):
    path = "/api/dealer"
    tags = ["dealers"]  # noqa: RUF012

    @get("/summary", opt={"roles": DEALERS})
    async def show_summary(
        self, db: Db, caller: Caller, now: datetime, dealer_id: str | None = None
    ) -> DealerSummary:
        """Deals by stage with counts and amounts, the last twelve months (funded, approval
        rate, commissions), commissions earned / paid / set off / clawed back, what each side
        owes the other."""
        return await summary.summary(db, await _dealer(db, caller, dealer_id), now)

    @get("/deals", opt={"roles": DEALERS})
    async def deal_list(
        self, db: Db, caller: Caller, dealer_id: str | None = None, stage: str | None = None,
        month: str | None = None,
    ) -> list[Deal]:  # fmt: skip
        """The dealer's deals at a stage, or funded in a month ("2026-11"), newest first."""
        try:
            wanted = DealStage(stage) if stage else None
        except ValueError:
            raise DomainError("deal_stage_invalid", "未知的业务阶段", "unknown stage",
                              fields={"stage": "deal_stage_invalid"}) from None  # fmt: skip
        if month is not None and not MONTH.fullmatch(month):
            raise DomainError("deal_month_invalid", "月份格式应为YYYY-MM", "month is YYYY-MM",
                              fields={"month": "deal_month_invalid"})  # fmt: skip
        return await summary.deals(db, await _dealer(db, caller, dealer_id), wanted, month)

    @get("/commission-rules", opt={"roles": DEALERS})
    async def rules(self, db: Db) -> CommissionRulesView:
        version, rules = await commissions.current(db)
        return CommissionRulesView(version=version, rules=rules)

    @put("/commission-rules", opt={"roles": (Role.ADMIN,)})
    async def save_rules(
        self, data: CommissionRules, db: Db, caller: Caller, now: datetime
    ) -> CommissionRulesView:
        """A new version of the commission rules; it applies to leases funded from now on."""
        version = await commissions.save(db, data, caller, now)
        return CommissionRulesView(version=version, rules=data.rules)


DEALER_ROUTES = [DealerController]
