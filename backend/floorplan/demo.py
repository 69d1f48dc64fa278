"""Demo floor plan 演示库存融资, through the real services with backdated instants: the demo
dealer (城东, org-shop-east) has a ¥5,000,000 line at 7.2 % and seven new vehicles financed over
the last four months — one whose first curtailment is overdue, one with its curtailments paid, one
sold and paid off (the dealer's payments made through the sandbox provider, as the app makes
them) — their month-end interest billed as the daily job would have, and this month's stock
audit open. Seeds once: nothing happens when the dealer already has a line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.principal import Principal
from backend.db.models import FloorplanLine, FloorplanUnit, User
from backend.floorplan import audits, job, lines, payments, units
from backend.payments import notify, sandbox
from backend.risk.demo import make_vin
from backend.settings import Settings
from common.api.auth import Role
from common.api.floorplan import DrawdownBody, LineBody
from common.business_day import business_date

DEALER = "org-shop-east"
LIMIT = "5000000"


@dataclass(frozen=True)
class DemoUnit:
    model: str
    vds: str
    invoice: str
    age_days: int
    curtailments_on: tuple[int, ...] = ()  # days after drawdown a curtailment was paid
    paid_off_after: int | None = None  # days after drawdown


UNITS = [
    DemoUnit("ID.4 CROZZ", "3A28K", "186500", 125, curtailments_on=(92, 121)),
    DemoUnit("迈腾 Magotan", "AB36C", "198000", 96),  # 10 % was due on day 90: overdue
    DemoUnit("探岳 Tayron", "AC46D", "215000", 70),
    DemoUnit("宝来 Bora", "AA12B", "112000", 38),
    DemoUnit("ID.3", "3A18K", "139800", 16),
    DemoUnit("速腾 Sagitar", "AB22C", "142500", 4),
    DemoUnit("探歌 T-Roc", "AC33D", "156000", 60, paid_off_after=45),
]


async def _dealer(db: AsyncSession) -> Principal | None:
    user = await db.scalar(select(User).where(User.username == "dealer"))
    if user is None:
        return None
    return Principal(user.id, user.username, Role.DEALER_ADMIN, user.organisation_id, "demo")


async def _paid(
    db: AsyncSession, settings: Settings, dealer: Principal, unit: FloorplanUnit,
    purpose: payments.Purpose, amount_fen: int | None, at: datetime,
) -> None:  # fmt: skip
    """The dealer paid through the sandbox's pay page at `at`, and the provider's notification
    was confirmed (and acknowledged) then: the real path, backdated."""
    payment = await payments.create_payment(db, settings, dealer, unit, purpose, amount_fen, at)
    await db.flush()
    order = await sandbox.pay(db, payment.out_trade_no, at)
    outcome = await notify.confirm(db, settings, sandbox.transaction(order), at, via="notify")
    assert outcome.posted, outcome
    order.acked_at, order.next_notify_at, order.notify_attempts = at, None, 1


async def seed_demo_floorplan(db: AsyncSession, settings: Settings, now: datetime) -> int:
    """The demo dealer's line and units; returns how many units were financed."""
    dealer = await _dealer(db)
    if dealer is None or dealer.organisation_id != DEALER:
        return 0
    if await db.scalar(select(FloorplanLine.id).where(FloorplanLine.dealer_id == DEALER)):
        return 0
    admin = await db.scalar(select(User).where(User.username == "admin"))
    assert admin is not None
    opened = now - timedelta(days=max(u.age_days for u in UNITS) + 1)
    await lines.set_line(
        db, Principal(admin.id, admin.username, Role.ADMIN, admin.organisation_id, "demo"),
        DEALER, LineBody(limit=LIMIT, annual_rate_percent="7.2", reason="演示授信"), opened,
    )  # fmt: skip
    made: list[tuple[DemoUnit, FloorplanUnit]] = []
    for serial, demo in enumerate(UNITS, start=1):
        body = DrawdownBody(vin=make_vin("LFV", 2026, 700_000 + serial, vds=demo.vds),
                            invoice_amount=demo.invoice, payee="一汽-大众销售有限责任公司",
                            model=demo.model)  # fmt: skip
        made.append(
            (demo, await units.drawdown(db, dealer, body, now - timedelta(days=demo.age_days)))
        )
    await db.flush()
    # what happened since, day by day as the job and the dealer would have done it
    first = business_date(opened)
    for offset in range((business_date(now) - first).days + 1):
        day = first + timedelta(days=offset)
        at = now - timedelta(days=(business_date(now) - day).days)
        for demo, unit in made:
            drawn_days = (day - unit.drawn_on).days
            if drawn_days in demo.curtailments_on:
                billed = unit.interest_billed_fen - unit.interest_paid_fen  # paid first
                await _paid(db, settings, dealer, unit, payments.Purpose.CURTAILMENT,
                            unit.principal_fen // 10 + billed, at)  # fmt: skip
            if demo.paid_off_after == drawn_days:
                await _paid(db, settings, dealer, unit, payments.Purpose.PAYOFF, None, at)
        if day.day == 1 or offset == (business_date(now) - first).days:
            await job.bill_and_mark(db, day, at, job.FloorplanDay(day))
    deadline = business_date(now) + timedelta(days=5)
    await audits.open_audit(
        db, DEALER, deadline, now, None, period=business_date(now).strftime("%Y-%m")
    )
    return len(made)
