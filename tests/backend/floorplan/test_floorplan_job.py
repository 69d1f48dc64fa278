"""The daily floor-plan run: month-end interest once per unit and month, curtailments overdue,
stock audits (the miss becomes a sold-out-of-trust alert), temporary limit increases."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from backend.db.models import (
    AuditEvent,
    FloorplanLimitIncrease,
    FloorplanLine,
    FloorplanUnit,
    LedgerEntry,
)
from backend.floorplan import job
from backend.floorplan.lines import terms_json
from common.floorplan import LineTerms
from common.ledger import Account
from common.money import yuan_text
from tests.backend.floorplan.helpers import (
    EAST,
    Books,
    drawn,
    give_line,
    new_vin,
    order_curtailment,
    order_payoff,
    paid,
    unit_balances,
)
from tests.backend.helpers import login
from tests.backend.intake.test_applications_api import jpeg
from tests.backend.servicing.helpers import MovableClock

PER_DAY = 40_00  # ¥200,000 at 7.2 % on ACT/360
TERMS = terms_json(LineTerms(Decimal("7.2"), 180))


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


def first_of_next_month(d: date) -> date:
    return (d.replace(day=1) + timedelta(days=32)).replace(day=1)


async def _run(client, clock, day: date) -> job.FloorplanDay:
    """Day D as the job runs it (its own engine: the app's lives on the test client's loop)."""
    books = Books(client.app.state.settings)
    try:
        return await job.run_day(books.sessions, day, clock())
    finally:
        await books.engine.dispose()


async def _actions(settings) -> list[str]:
    async with Books(settings) as db:
        return list(await db.scalars(select(AuditEvent.action)))


async def test_month_end_interest_posts_once_per_unit_and_month_and_the_payoff_adds_the_rest(
    client, settings, clock
):
    await give_line(client)
    dealer = await login(client, "dealer")
    vin = new_vin()
    unit = await drawn(client, dealer, vin, "200000.00")
    drawn_on = date.fromisoformat(unit["drawn_on"])
    first = first_of_next_month(drawn_on)
    report = await _run(client, clock, first)
    assert report.interest_entries == 1 and report.interest_fen == (first - drawn_on).days * PER_DAY
    assert (await _run(client, clock, first)).interest_entries == 0  # re-run: nothing twice
    second = first_of_next_month(first)
    assert (await _run(client, clock, second)).interest_fen == (second - first).days * PER_DAY
    clock.move((second - drawn_on).days + 5)
    dealer = await login(client, "dealer")
    shown = (await client.get(f"/api/floorplan/units/{vin}", headers=dealer)).json()
    assert shown["interest_billed_unpaid"] == f"{(second - drawn_on).days * 40}.00"
    ordered = await order_payoff(client, dealer, vin)
    principal, interest = 200_000_00, ((second - drawn_on).days + 5) * PER_DAY
    assert ordered["amount"] == yuan_text(principal + interest)
    assert (await paid(client, settings, dealer, ordered, clock()))["status"] == "paid"
    books = await unit_balances(settings, unit["id"])
    assert books[Account.FLOORPLAN_INTEREST_INCOME] == ((second - drawn_on).days + 5) * PER_DAY
    assert books[Account.FLOORPLAN_INTEREST_RECEIVABLE] == 0
    async with Books(settings) as db:
        kinds = list(await db.scalars(
            select(LedgerEntry.reference).where(LedgerEntry.contract_id == unit["id"],
                                                LedgerEntry.kind == "floorplan_interest")
            .order_by(LedgerEntry.reference)
        ))  # fmt: skip
    assert kinds == [f"interest:{first - timedelta(days=1):%Y-%m}",
                     f"interest:{second - timedelta(days=1):%Y-%m}", "payoff"]  # fmt: skip


async def test_a_curtailment_not_paid_by_its_day_is_overdue_from_the_next(client, settings, clock):
    await give_line(client)
    dealer = await login(client, "dealer")
    vin = new_vin()
    unit = await drawn(client, dealer, vin, "200000.00")
    drawn_on = date.fromisoformat(unit["drawn_on"])
    await _run(client, clock, drawn_on + timedelta(days=90))  # its day: due, not overdue
    async with Books(settings) as db:
        assert (await db.get(FloorplanUnit, unit["id"])).overdue_fen == 0
    await _run(client, clock, drawn_on + timedelta(days=91))
    async with Books(settings) as db:
        row = await db.get(FloorplanUnit, unit["id"])
        assert row.overdue_fen == 20_000_00 and row.overdue_since == drawn_on + timedelta(days=90)
    assert "floorplan.curtailment_overdue" in await _actions(settings)
    clock.move(91)
    dealer = await login(client, "dealer")
    line = (await client.get("/api/floorplan/line", headers=dealer)).json()
    assert line["curtailments_overdue"] == "20000.00"
    ordered = await order_curtailment(client, dealer, vin)  # what is due: the 10 % and interest
    billed = (await client.get(f"/api/floorplan/units/{vin}", headers=dealer)).json()
    assert Decimal(ordered["amount"]) == 20000 + Decimal(billed["interest_billed_unpaid"])
    assert (await paid(client, settings, dealer, ordered, clock()))["status"] == "paid"
    shown = (await client.get(f"/api/floorplan/units/{vin}", headers=dealer)).json()
    assert shown["overdue"] == "0.00" and shown["principal_left"] == "180000.00"


async def test_an_audit_miss_becomes_a_sold_out_of_trust_alert(client, settings, clock):
    await give_line(client)
    dealer = await login(client, "dealer")
    seen, missing, other = new_vin(), new_vin(), new_vin()
    await drawn(client, dealer, seen)
    await drawn(client, dealer, missing)
    admin = await login(client, "admin")
    today = date.fromisoformat((await client.get(
        f"/api/floorplan/units/{seen}", headers=dealer)).json()["drawn_on"])  # fmt: skip
    deadline = today + timedelta(days=3)
    opened = await client.post(
        "/api/floorplan/audits",
        headers=admin,
        json={"dealer_id": EAST, "deadline": deadline.isoformat()},
    )
    audit_id = opened.json()["id"]
    assert opened.json()["missing"] == 2 and opened.json()["scanned"] == 0
    scans = f"/api/floorplan/audits/{audit_id}/scans"
    photo = {**dealer, "Content-Type": "image/jpeg"}
    r = await client.post(scans, params={"vin": seen}, content=jpeg(160, 120), headers=photo)
    assert r.status_code == 201 and r.json()["scanned"] == 1, r.text
    refused = await client.post(scans, params={"vin": other}, content=jpeg(160, 120),
                                headers=photo)  # fmt: skip
    assert refused.status_code == 422 and refused.json()["code"] == "floorplan_vin_not_in_audit"
    assert (await _run(client, clock, deadline)).alerts == 0  # the deadline day is still open
    assert (await _run(client, clock, deadline + timedelta(days=1))).alerts == 1
    audit = (await client.get(f"/api/floorplan/audits/{audit_id}", headers=dealer)).json()
    assert audit["status"] == "closed" and audit["missing"] == 1
    for headers, params in ((dealer, {}), (admin, {"dealer_id": EAST})):
        alerts = (await client.get("/api/floorplan/alerts", params=params, headers=headers)).json()
        assert [a["vin"] for a in alerts] == [missing]
    shown = (await client.get(f"/api/floorplan/units/{missing}", headers=dealer)).json()
    assert shown["status"] == "sold_out_of_trust"
    line = (await client.get("/api/floorplan/line", headers=dealer)).json()
    assert line["alerts"] == 1 and line["used"] == "400000.00"  # still owed
    assert "floorplan.sold_out_of_trust" in await _actions(settings)
    late = await client.post(scans, params={"vin": missing}, content=jpeg(160, 120), headers=photo)
    assert late.status_code == 409 and late.json()["code"] == "floorplan_audit_closed"


async def test_the_job_opens_one_audit_a_month_for_dealers_with_financed_units(
    client, settings, clock
):
    await give_line(client)
    await give_line(client, "org-shop-west")  # no units: no audit
    unit = await drawn(client, await login(client, "dealer"), new_vin())
    first = first_of_next_month(date.fromisoformat(unit["drawn_on"]))
    assert (await _run(client, clock, first)).audits_opened == 1
    assert (await _run(client, clock, first)).audits_opened == 0
    listed = await client.get("/api/floorplan/audits", headers=await login(client, "dealer"))
    assert [a["deadline"] for a in listed.json()] == [(first + timedelta(days=7)).isoformat()]


async def _sold_history(settings, weekly: list[int], this_week: int, today: date) -> None:
    """Synthetic units of one model paid off: `weekly` per past week (oldest first), then
    `this_week` on `today`'s week."""
    async with Books(settings) as db:
        line = await db.scalar(select(FloorplanLine).where(FloorplanLine.dealer_id == EAST))
        monday = today - timedelta(days=today.weekday())
        counts = [(monday - timedelta(weeks=len(weekly) - i), n) for i, n in enumerate(weekly)]
        counts.append((monday, this_week))
        for n_week, (day, n) in enumerate(counts):
            for i in range(n):
                vin = f"SYN{n_week:03d}{i:02d}".ljust(17, "0")
                db.add(FloorplanUnit(
                    line_id=line.id, dealer_id=EAST, vin=vin, financed_vin=None, model="ID.4",
                    payee="x", principal_fen=1, principal_left_fen=0, terms=TERMS,
                    drawn_on=day - timedelta(days=1), status="paid_off", paid_off_on=day,
                    interest_billed_fen=0, interest_paid_fen=0, overdue_fen=0,
                    created_at=line.created_at, updated_at=line.created_at,
                ))  # fmt: skip
        await db.commit()


async def test_a_spike_in_a_models_sell_through_grants_an_expiring_temporary_increase(
    client, settings, clock
):
    await give_line(client, limit="1000000")
    today = date.fromisoformat((await drawn(client, await login(client, "dealer"), new_vin()))
                               ["drawn_on"])  # fmt: skip
    await _sold_history(settings, [1, 1, 2, 1, 1, 1, 2, 1], 6, today)  # z = (6-1)/1.48 > 3.5
    report = await _run(client, clock, today)
    assert report.increases == 1
    assert (await _run(client, clock, today)).increases == 0  # once per model and week
    dealer = await login(client, "dealer")
    line = (await client.get("/api/floorplan/line", headers=dealer)).json()
    assert line["temporary_increase"] == "200000.00"  # the default rule: 20 % for 30 days
    assert line["available"] == "1000000.00"  # 1,000,000 + 200,000 - 200,000 used
    assert line["increases"][0]["model"] == "ID.4"
    assert "floorplan.limit_increased" in await _actions(settings)
    clock.move(30)
    dealer = await login(client, "dealer")
    line = (await client.get("/api/floorplan/line", headers=dealer)).json()
    assert line["temporary_increase"] == "0.00"  # expired


async def test_a_steady_sell_through_or_a_stricter_rule_grants_nothing(client, settings, clock):
    await give_line(client)
    today = date.fromisoformat((await drawn(client, await login(client, "dealer"), new_vin()))
                               ["drawn_on"])  # fmt: skip
    await _sold_history(settings, [3, 2, 3, 4, 3, 2, 3, 3], 6, today)  # z = 3 / 1.48 ≈ 2.0
    assert (await _run(client, clock, today)).increases == 0
    admin = await login(client, "admin")
    r = await client.put("/api/floorplan/increase-rule", headers=admin,
                         json={"threshold": "1.5", "note": "测试"})  # fmt: skip
    assert r.status_code == 200 and r.json()["version"] == 2
    assert (await _run(client, clock, today)).increases == 1
    assert "floorplan.increase_rule_published" in await _actions(settings)
    async with Books(settings) as db:
        grant = await db.scalar(select(FloorplanLimitIncrease))
    assert grant is not None and grant.rule_version == 2
