"""Reports of one month racing each other, and a run of corrections, on both databases: the
contract's lock orders them, so the month has one report in force and the books hold exactly
its variable rent — on the ledger, on the carrying instalment, never twice."""

from __future__ import annotations

import asyncio
import random

from sqlalchemy import func, select

from backend.auth.principal import Principal
from backend.db.models import LedgerEntry, RevenueReport, User
from backend.ledger import service as ledger
from backend.revenue_share import service
from common.api.auth import Role
from common.api.revenue_share import ParsedReport
from common.ledger import Account
from common.money import from_fen
from common.revenue_share import Period
from tests.backend.payments.helpers import sessions_of
from tests.backend.revenue_share.helpers import (
    after_first_rent_month,
    body,
    report,
    rows_of,
    sharing_lease,
)


async def _admin(client) -> Principal:  # type: ignore[no-untyped-def]
    async with sessions_of(client)() as db:
        user = await db.scalar(select(User).where(User.username == "admin"))
        assert user is not None
        return Principal(user.id, user.username, Role.ADMIN, user.organisation_id, "race")


async def _books(client, contract_id: str, period: Period, base_fees: dict[int, int]) -> int:  # type: ignore[no-untyped-def]
    """Check the invariants; the variable rent in force."""
    async with sessions_of(client)() as db:
        in_force = list(await db.scalars(select(RevenueReport).where(
            RevenueReport.contract_id == contract_id, RevenueReport.period == str(period),
            RevenueReport.replaced_at.is_(None))))  # fmt: skip
        assert len(in_force) == 1
        current = in_force[0]
        kinds = dict((await db.execute(
            select(LedgerEntry.kind, func.count()).where(LedgerEntry.contract_id == contract_id)
            .where(LedgerEntry.kind.in_(["variable_rent", "variable_rent_reversed"]))
            .group_by(LedgerEntry.kind))).all())  # fmt: skip
        income = (await ledger.contract_balances(db, contract_id)).get(
            Account.VARIABLE_RENT_INCOME, 0
        )
        assert (await ledger.trial_balance(db)).balanced
    assert income == current.variable_fen
    charges, reversals = kinds.get("variable_rent", 0), kinds.get("variable_rent_reversed", 0)
    assert charges - reversals == (1 if current.variable_fen else 0)
    fees = {r.number: r.fees_fen for r in await rows_of(client, contract_id)}
    extra = {n: fees[n] - base_fees[n] for n in fees if fees[n] != base_fees[n]}
    assert extra == ({current.number: current.variable_fen} if current.variable_fen else {})
    return current.variable_fen


async def test_racing_reports_of_a_month_charge_it_once(client, settings, clock):
    contract, _ = await sharing_lease(client, settings)
    cid = contract["id"]
    period = await after_first_rent_month(client, clock, cid)
    rows = await rows_of(client, cid)
    base = {r.number: r.fees_fen for r in rows}
    floor = rows[0].principal_fen + rows[0].interest_fen
    admin = await _admin(client)
    sessions = sessions_of(client)

    async def one(revenue_fen: int) -> bool:
        async with sessions() as db:
            done = await service.report(db, admin, cid, ParsedReport(
                period, revenue_fen, 1000, None, ()), clock())  # fmt: skip
            await db.commit()
            return done.written

    same = await asyncio.gather(*(one(floor * 10) for _ in range(6)))
    assert sorted(same) == [False] * 5 + [True]  # one wrote; the others found it on file
    assert await _books(client, cid, period, base) > 0


async def test_a_run_of_corrections_leaves_exactly_the_last_report_on_the_books(
    client, settings, clock
):
    contract, lessee = await sharing_lease(client, settings)
    cid = contract["id"]
    period = await after_first_rent_month(client, clock, cid)
    rows = await rows_of(client, cid)
    base = {r.number: r.fees_fen for r in rows}
    floor = rows[0].principal_fen + rows[0].interest_fen
    rng = random.Random(20261203)
    for _ in range(8):  # above and below the floor, repeated figures among them
        revenue = rng.choice([0, floor, floor * 6, floor * 7, floor * 10, floor * 13 + 7])
        r = await report(client, lessee, cid, body(period, f"{from_fen(revenue):.2f}"))
        assert r.status_code in (200, 201), r.text
        await _books(client, cid, period, base)
