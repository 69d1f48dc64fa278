"""The lessee's hall 自助服务大厅: for each of their contracts, what is due and when, in one call
(the app's home). Figures come from the servicing sub-ledger as of the business day."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, get
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.principal import Caller
from backend.contracts import service as contracts
from backend.contracts.views import financed
from backend.db.deps import Db
from backend.db.models import Contract
from backend.revenue_share import service as revenue_share
from backend.servicing import dues
from common.api.auth import Role
from common.api.hall import HallContract, HallView
from common.business_day import business_date
from common.contracts import LABELS, ContractStatus
from common.money import yuan_text
from common.servicing.standing import summary


async def headline(db: AsyncSession, c: Contract, now: datetime) -> HallContract:
    day = business_date(now)
    terms = c.document["terms"]
    vin, what = financed(c.document)  # a partner product finances an asset, not a car
    base: dict[str, Any] = {
        "id": c.id, "number": c.number, "status": ContractStatus(c.status),
        "status_label": LABELS[ContractStatus(c.status)],
        "vehicle": what,
        "vin": vin, "monthly_payment": yuan_text(int(terms["monthly_payment_fen"])),
        "bucket": c.bucket,
        "revenue_share": await revenue_share.terms_for(db, c) is not None,
    }  # fmt: skip
    rows = await dues.instalments(db, c) if c.status == ContractStatus.ACTIVE.value else []
    if not rows:
        return HallContract(**base)
    states = [dues.state(r) for r in rows]
    s = summary(states, day)
    return HallContract(
        **base,
        next_due_date=s.next_due_date,
        next_due=yuan_text(s.next_due_fen),
        due_now=yuan_text(s.due_now_fen),
        overdue=yuan_text(s.overdue_fen),
        days_past_due=s.days_past_due,
        outstanding=yuan_text(s.outstanding_fen),
        instalments_paid=sum(1 for x in states if x.lessee_owes == 0),
        instalments_total=len(states),
        end_date=states[-1].due_date,
    )


class HallController(Controller):
    path = "/api/me"
    tags = ["servicing"]  # noqa: RUF012

    @get("/hall", opt={"roles": (Role.LESSEE,)})
    async def hall(self, db: Db, caller: Caller, now: datetime) -> HallView:
        """我的 首页: each contract's next amount due and date, arrears, progress."""
        mine = await contracts.listing(db, caller, None)
        # What there is to pay comes first; then what there is to sign; then the rest.
        order = {ContractStatus.ACTIVE.value: 0, ContractStatus.AWAITING_SIGNATURE.value: 1}
        mine.sort(key=lambda c: order.get(c.status, 2))
        return HallView(
            today=business_date(now), contracts=[await headline(db, c, now) for c in mine]
        )


HALL_ROUTES = [HallController]
