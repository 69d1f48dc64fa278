"""The demo's charging-pile lease 充电桩设备租赁（电费分账）: the charging operator's approved
application becomes a contract signed about six months ago and funded; the operator (the
`operator` account, password demo) reported the months behind it — above the floor, so variable
rent was charged and paid with the next rent, or within it — but for the latest whose report is
due, which is overdue (the lessor's overview has it to chase), and a month just ended, not yet
due: the hall has reports to send."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.lessees import bind
from backend.auth.principal import Principal
from backend.contracts import funding
from backend.contracts.demo import FUNDER, booked, pay_the_rents_behind
from backend.db.models import Application, Customer, CustomerVersion, User
from backend.intake.catalogue import Catalogue
from backend.intake.customers import reveal
from backend.revenue_share import service
from backend.security.pii import PiiCipher
from backend.servicing import dues
from backend.settings import Settings
from common import revenue_share as rule
from common.api.auth import Role
from common.api.revenue_share import ParsedReport
from common.revenue_share import Period

OPERATOR = "operator"  # the demo charging operator's account (password demo)
SIGNED_DAYS_AGO = 190  # a few months reported before the one overdue
# A month's revenue as a multiple of the floor rent over the share: above it, then within it.
_REVENUE_OVER_FLOOR = (Decimal("1.4"), Decimal("0.8"))


async def seed_demo_revenue_share(
    db: AsyncSession, settings: Settings, pii: PiiCipher, catalogue: Catalogue,
    application_id: str, now: datetime,
) -> bool:  # fmt: skip
    """The lease, its reports and rents; False when the operator account or the application is
    missing."""
    user = await db.scalar(select(User).where(User.username == OPERATOR))
    row = (await db.execute(
        select(Customer, CustomerVersion)
        .join(Application, Application.customer_id == Customer.id)
        .join(CustomerVersion, CustomerVersion.id == Application.customer_version_id)
        .where(Application.id == application_id)
    )).first()  # fmt: skip
    if user is None or row is None:
        return False
    customer, version = row
    bind(pii, user, customer, reveal(pii, customer, version)[2], now)
    await db.flush()
    key = await funding.issue_key(db, settings.secret_key, FUNDER, "演示资金方（分账）", now)
    funder = await funding.funder_for(db, settings.secret_key, key)
    signed_on = now - timedelta(days=SIGNED_DAYS_AGO)
    filed_on = signed_on - timedelta(days=1)  # filed and decided back then, too
    await db.execute(
        update(Application)
        .where(Application.id == application_id)
        .values(created_at=filed_on, submitted_at=filed_on, updated_at=filed_on)
    )
    contract = await booked(db, settings, pii, catalogue, funder, application_id, signed_on,
                            "DEMO-BANK-0003")  # fmt: skip
    terms = await service.terms_for(db, contract)
    assert terms is not None, "the charging-pile product shares revenue"
    operator = Principal(user.id, user.username, Role.LESSEE, user.organisation_id, "demo",
                         customer_id=customer.id)  # fmt: skip
    rents = service.rents_of(await dues.instalments(db, contract))
    today = now.date()
    due = [p for p in rule.lease_periods(rents) if p.report_due(terms) < today]
    for k, period in enumerate(due[:-1]):  # the latest month due is left overdue
        at = datetime.combine(period.last_day + timedelta(days=3), time(9, 30), tzinfo=UTC)
        floor = rule.floor_of(period, rents)
        factor = _REVENUE_OVER_FLOOR[k % len(_REVENUE_OVER_FLOOR)]
        revenue_fen = int(Decimal(floor) * factor * 100 / terms.share_percent)
        await service.report(db, operator, contract.id, _parsed(period, revenue_fen), at)
    await pay_the_rents_behind(db, contract, now, all_of_them=True)
    return True


def _parsed(period: Period, revenue_fen: int) -> ParsedReport:
    wh = revenue_fen * 10 // 12  # about ¥1.20 a kWh
    return ParsedReport(period=period, revenue_fen=revenue_fen, wh=wh,
                                note="充电平台月度结算单", piles=())  # fmt: skip
