"""The daily servicing sweep on both databases: penalty interest as common.servicing computes it
(grace respected, cap applied), each day once however often it runs, a gap caught up to the same
figures, buckets M0 -> M1 -> M2 with audit events and a collections case, the deposit offset on its
due date, and the books balanced after every sweep."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from backend.db.models import (
    AuditEvent,
    CollectionCase,
    Contract,
    ContractInstalment,
    LedgerEntry,
)
from backend.jobs import servicing_sweep
from backend.providers.registry import sms_senders_for
from backend.security.pii import PiiCipher
from backend.servicing import dues
from backend.settings import Settings
from common.money import to_fen
from common.servicing.delinquency import PenaltyRule, penalty_interest
from common.servicing.policy import STANDARD
from tests.backend.jobs.books import Sessions, add_contract, balanced

DUE = date(2026, 3, 10)
RENT = (300_000, 5_000)  # ¥3,000.00 principal + ¥50.00 interest
BASE = Decimal("3050.00")


def at(day: date, hour: int = 10) -> datetime:
    """`hour` o'clock in Shanghai on `day` (outside quiet hours by default)."""
    return datetime(day.year, day.month, day.day, hour - 8, tzinfo=UTC) if hour >= 8 else (
        datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=8 - hour))  # fmt: skip


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@pytest.fixture
def sweep(sessions: Sessions, settings: Settings, pii: PiiCipher):  # type: ignore[no-untyped-def]
    sms_for = sms_senders_for(settings, pii)

    async def run(day: date, now: datetime | None = None) -> servicing_sweep.DayReport:
        return await servicing_sweep.run_day(sessions, day, now or at(day), sms_for, pii)

    return run


async def _row(sessions: Sessions, contract_id: str, number: int = 1) -> ContractInstalment:
    async with sessions() as db:
        row = await db.scalar(
            sa.select(ContractInstalment).where(
                ContractInstalment.contract_id == contract_id, ContractInstalment.number == number
            )
        )
        assert row is not None
        return row  # fmt: skip


async def _contract(sessions: Sessions, contract_id: str) -> Contract:
    async with sessions() as db:
        c = await db.get(Contract, contract_id)
        assert c is not None
        return c


async def _penalty_entries(sessions: Sessions, contract_id: str) -> list[str]:
    async with sessions() as db:
        refs = await db.scalars(
            sa.select(LedgerEntry.reference)
            .where(LedgerEntry.contract_id == contract_id, LedgerEntry.kind == "penalty_accrued")
            .order_by(LedgerEntry.reference)
        )
        return list(refs)


async def test_penalty_follows_the_rule_day_by_day_with_grace(sessions, sweep, pii) -> None:
    c = await add_contract(sessions, pii, [(DUE, *RENT), (DUE + timedelta(days=31), *RENT)],
                           number="ZL-T-0001")  # fmt: skip
    rule = STANDARD.penalty
    for day in days(DUE, DUE + timedelta(days=10)):
        await sweep(day)
        row = await _row(sessions, c.id)
        assert row.penalty_fen == to_fen(penalty_interest(BASE, DUE, day, rule)), day
        await balanced(sessions)
    # Nothing within the three days' grace; from the fourth day, every day since the due date.
    refs = await _penalty_entries(sessions, c.id)
    assert refs == [f"penalty:{c.id}:{d}" for d in days(date(2026, 3, 14), date(2026, 3, 20))]
    assert row.penalty_fen == 1525  # ¥3,050.00 x 0.05 % x 10 days
    assert row.penalty_through == date(2026, 3, 20)


async def test_the_cap_limits_the_daily_rate(sessions, sweep, pii, monkeypatch) -> None:
    steep = PenaltyRule(Decimal("0.1"), grace_days=0, annual_cap_percent=Decimal("24"))
    monkeypatch.setattr(servicing_sweep, "policy_for", lambda _name: replace(STANDARD,
                        penalty=steep))  # fmt: skip
    c = await add_contract(sessions, pii, [(DUE, *RENT)], number="ZL-T-0002")
    for day in days(DUE, DUE + timedelta(days=9)):
        await sweep(day)
    row = await _row(sessions, c.id)
    # 24 % / 360 a day, not 0.1 %: ¥3,050.00 x 9 days x 0.0667 % = ¥18.30 (not ¥27.45)
    assert row.penalty_fen == to_fen(penalty_interest(BASE, DUE, DUE + timedelta(days=9), steep))
    assert row.penalty_fen == 1830


async def test_running_a_day_twice_posts_nothing_new(sessions, sweep, pii) -> None:
    c = await add_contract(sessions, pii, [(DUE, *RENT)], number="ZL-T-0003")
    for day in days(DUE, DUE + timedelta(days=5)):
        await sweep(day)

    async def snapshot() -> tuple[int, int, int, str]:
        async with sessions() as db:
            entries = await db.scalar(sa.select(sa.func.count()).select_from(LedgerEntry))
            events = await db.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        row = await _row(sessions, c.id)
        return int(entries or 0), int(events or 0), row.penalty_fen, (await _contract(
            sessions, c.id)).bucket  # fmt: skip

    before = await snapshot()
    again = await sweep(DUE + timedelta(days=5))
    assert await snapshot() == before
    assert again.penalty_fen == 0 and again.bucket_changes == 0 and again.cases_opened == 0
    await sweep(DUE + timedelta(days=2))  # an old day again: nothing moves back or twice
    assert await snapshot() == before


async def test_a_gap_of_ten_days_is_caught_up_to_the_same_figures(sessions, settings, pii) -> None:
    a = await add_contract(sessions, pii, [(DUE, *RENT)], number="ZL-T-0004")
    sms_for = sms_senders_for(settings, pii)
    now = [at(DUE - timedelta(days=1))]
    ran = await servicing_sweep.tick(sessions, sms_for, pii, lambda: now[0], "w1")
    assert ran == [DUE - timedelta(days=1)]
    now[0] = at(DUE + timedelta(days=10))  # down for ten days
    ran = await servicing_sweep.tick(sessions, sms_for, pii, lambda: now[0], "w1")
    assert ran == days(DUE, DUE + timedelta(days=10))
    row, contract = await _row(sessions, a.id), await _contract(sessions, a.id)
    assert row.penalty_fen == to_fen(penalty_interest(BASE, DUE, DUE + timedelta(days=10),
                                                      STANDARD.penalty))  # fmt: skip
    assert (contract.bucket, contract.days_past_due) == ("M1", 10)
    # One by one: a twin contract swept day by day gives the same figures.
    b = await add_contract(sessions, pii, [(DUE, *RENT)], number="ZL-T-0005")
    for day in days(DUE, DUE + timedelta(days=10)):
        await servicing_sweep.run_day(sessions, day, at(day), sms_for, pii)
    twin, twin_contract = await _row(sessions, b.id), await _contract(sessions, b.id)
    assert (twin.penalty_fen, twin.penalty_through) == (row.penalty_fen, row.penalty_through)
    assert (twin_contract.bucket, twin_contract.days_past_due) == ("M1", 10)
    assert len(await _penalty_entries(sessions, b.id)) == len(
        await _penalty_entries(sessions, a.id)) == 7  # fmt: skip
    await balanced(sessions)


async def test_buckets_move_and_the_collections_case_follows(sessions, sweep, pii) -> None:
    c = await add_contract(sessions, pii, [(DUE, *RENT), (DUE + timedelta(days=31), *RENT)],
                           number="ZL-T-0006")  # fmt: skip
    seen = []
    for day in (DUE, DUE + timedelta(days=1), DUE + timedelta(days=30), DUE + timedelta(days=31)):
        await sweep(day)
        contract = await _contract(sessions, c.id)
        seen.append((contract.bucket, contract.days_past_due))
    # The second rent falls due on day 31 too, but the oldest unpaid one decides.
    assert seen == [("M0", 0), ("M1", 1), ("M1", 30), ("M2", 31)]
    async with sessions() as db:
        events = list(await db.scalars(sa.select(AuditEvent).where(
            AuditEvent.action == "contract.bucket_changed", AuditEvent.entity_id == c.id)
            .order_by(AuditEvent.at)))  # fmt: skip
        case = await db.scalar(sa.select(CollectionCase).where(CollectionCase.contract_id == c.id))
    assert [(json.loads(e.detail)["from"], json.loads(e.detail)["to"]) for e in events] == [
        ("M0", "M1"), ("M1", "M2")]  # fmt: skip
    assert case is not None and (case.opened_on, case.bucket, case.status) == (
        DUE + timedelta(days=1), "M2", "open")  # fmt: skip
    # The lessee pays everything owed; the next day the contract is current and the case closed.
    pay_day = DUE + timedelta(days=32)
    async with sessions() as db:
        contract = await dues.locked(db, c.id)
        assert contract is not None
        owed = sum(dues.state(r).outstanding for r in await dues.instalments(db, contract))
        await dues.apply(db, contract, owed, reference="pay-1", paid_on=pay_day, at=at(pay_day))
        await db.commit()
    await sweep(pay_day)
    contract = await _contract(sessions, c.id)
    assert (contract.bucket, contract.days_past_due) == ("M0", 0)
    async with sessions() as db:
        case = await db.scalar(sa.select(CollectionCase).where(CollectionCase.contract_id == c.id))
    assert case is not None and (case.status, case.closed_on) == ("closed", pay_day)
    await balanced(sessions)


async def test_the_deposit_offsets_the_last_rent_on_its_due_date(sessions, sweep, pii) -> None:
    last = DUE + timedelta(days=31)
    c = await add_contract(sessions, pii, [(DUE, *RENT), (last, *RENT)], number="ZL-T-0007",
                           offset_last_fen=305_000)  # fmt: skip
    async with sessions() as db:
        contract = await dues.locked(db, c.id)
        assert contract is not None
        await dues.apply(db, contract, 305_000, reference="pay-1", paid_on=DUE, at=at(DUE))
        await db.commit()
    await sweep(last - timedelta(days=1))
    assert (await _row(sessions, c.id, 2)).offset_applied_fen == 0  # not before its day
    report = await sweep(last)
    row = await _row(sessions, c.id, 2)
    assert report.offsets == 1 and row.offset_applied_fen == 305_000 and row.settled_on == last
    assert (await sweep(last)).offsets == 0
    async with sessions() as db:
        refs = list(await db.scalars(sa.select(LedgerEntry.reference).where(
            LedgerEntry.contract_id == c.id).order_by(LedgerEntry.reference)))  # fmt: skip
    assert refs == ["offset:" + c.id + ":1:2", "pay-1"]
    assert (await _contract(sessions, c.id)).bucket == "M0"
    await balanced(sessions)
