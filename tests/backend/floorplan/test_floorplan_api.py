"""Floor-plan financing through the API: the line, drawdowns and their refusals (nothing half
written, on both databases), idempotency, curtailments and the payoff — paid through the payment
provider — in the ledger."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backend.db.models import (
    AuditEvent,
    FloorplanRepayment,
    FloorplanUnit,
    IdempotencyRecord,
    LedgerEntry,
    Payment,
)
from common.ledger import Account
from tests.backend.floorplan.helpers import (
    EAST,
    Books,
    draw,
    drawn,
    give_line,
    key,
    new_vin,
    order_curtailment,
    order_payoff,
    paid,
    unit_balances,
)
from tests.backend.helpers import login
from tests.backend.servicing.helpers import MovableClock


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


async def _counts(settings) -> tuple[int, int, int, int]:
    """Units, floor-plan ledger entries, payments and idempotency records."""
    async with Books(settings) as db:
        units = await db.scalar(select(func.count(FloorplanUnit.id)))
        entries = await db.scalar(
            select(func.count(LedgerEntry.id)).where(LedgerEntry.kind.like("floorplan%"))
        )
        payments = await db.scalar(select(func.count(Payment.id)))
        keys = await db.scalar(select(func.count(IdempotencyRecord.id)))
    return int(units or 0), int(entries or 0), int(payments or 0), int(keys or 0)


async def test_an_admin_sets_a_line_the_dealer_reads_it_and_the_change_is_audited(client, settings):
    line = await give_line(client, limit="5000000.00")
    assert (line["limit"], line["used"], line["available"]) == (
        "5000000.00", "0.00", "5000000.00",
    )  # fmt: skip
    assert line["temporary_increase"] == "0.00" and line["day_count"] == "ACT/360"
    dealer = await login(client, "dealer")
    mine = (await client.get("/api/floorplan/line", headers=dealer)).json()
    assert mine["dealer_id"] == EAST and mine["limit"] == "5000000.00"
    async with Books(settings) as db:
        actions = list(await db.scalars(select(AuditEvent.action)))
    assert "floorplan.line_set" in actions


async def test_the_lessor_lists_every_dealer_with_its_line_or_none(client):
    await give_line(client, limit="3000000.00")
    admin = await login(client, "admin")
    rows = (await client.get("/api/floorplan/lines", headers=admin)).json()
    by_dealer = {r["dealer_id"]: r for r in rows}
    assert set(by_dealer) == {EAST, "org-shop-west"}  # the dealers, not the other organisations
    assert by_dealer[EAST]["line"]["limit"] == "3000000.00"
    assert by_dealer["org-shop-west"]["line"] is None
    dealer = await login(client, "dealer")
    assert (await client.get("/api/floorplan/lines", headers=dealer)).status_code == 403


async def test_changing_a_line_needs_its_current_version(client):
    line = await give_line(client)
    admin = await login(client, "admin")
    url = f"/api/floorplan/lines/{EAST}"
    body = {"limit": "2000000", "annual_rate_percent": "6.5"}
    stale = await client.put(url, json=body, headers=admin)
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    r = await client.put(url, json={**body, "version": line["version"]}, headers=admin)
    assert r.status_code == 200 and r.json()["limit"] == "2000000.00"
    assert r.json()["version"] == line["version"] + 1


async def test_a_drawdown_pays_the_payee_and_uses_the_limit(client, settings):
    await give_line(client)
    dealer = await login(client, "dealer")
    unit = await drawn(client, dealer, new_vin(), "200000.00")
    assert unit["status"] == "financed" and unit["principal_left"] == "200000.00"
    assert unit["age_days"] == 0 and unit["payoff_amount"] == "200000.00"
    line = (await client.get("/api/floorplan/line", headers=dealer)).json()
    assert (line["used"], line["available"], line["units_financed"]) == (
        "200000.00", "800000.00", 1,
    )  # fmt: skip
    books = await unit_balances(settings, unit["id"])
    assert books == {Account.CASH: -20_000_000, Account.FLOORPLAN_RECEIVABLE: 20_000_000}


async def test_the_same_key_twice_makes_one_unit_and_one_entry(client, settings):
    await give_line(client)
    dealer = await login(client, "dealer")
    headers = {**dealer, **key()}
    body = {"vin": new_vin(), "invoice_amount": "150000", "payee": "上汽大众"}
    first = await client.post("/api/floorplan/drawdowns", json=body, headers=headers)
    again = await client.post("/api/floorplan/drawdowns", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json() == first.json()
    units, entries, _, _ = await _counts(settings)
    assert (units, entries) == (1, 1)


async def test_a_drawdown_needs_an_idempotency_key(client):
    await give_line(client)
    dealer = await login(client, "dealer")
    body = {"vin": new_vin(), "invoice_amount": "150000", "payee": "上汽大众"}
    r = await client.post("/api/floorplan/drawdowns", json=body, headers=dealer)
    assert r.status_code == 400 and r.json()["code"] == "idempotency_key_required"


async def test_beyond_the_available_limit_is_refused_and_nothing_is_written(client, settings):
    await give_line(client, limit="300000")
    dealer = await login(client, "dealer")
    await drawn(client, dealer, new_vin(), "200000.00")
    before = await _counts(settings)
    r = await draw(client, dealer, new_vin(), "100000.01")
    assert r.status_code == 422 and r.json()["code"] == "floorplan_limit_exceeded"
    assert await _counts(settings) == before
    assert (await draw(client, dealer, new_vin(), "100000.00")).status_code == 201


async def test_a_vin_financed_already_is_refused_for_any_dealer(client, settings):
    await give_line(client)
    await give_line(client, "org-shop-west")
    dealer, other = await login(client, "dealer"), await login(client, "dealer2")
    vin = new_vin()
    await drawn(client, dealer, vin)
    before = await _counts(settings)
    for headers in (dealer, other):
        r = await draw(client, headers, vin.lower())  # normalised like intake: same VIN
        assert r.status_code == 409 and r.json()["code"] == "floorplan_vin_financed"
    assert await _counts(settings) == before


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"vin": "LFV3A28K0TA50000"}, 422, "vin_length"),
        ({"vin": "LFV3A28K5TA500001"}, 422, "vin_check_digit"),
        ({"invoice_amount": "0"}, 422, "money_invalid"),
        ({"invoice_amount": "12.345"}, 422, "money_invalid"),
        ({"payee": "付" * 101}, 400, None),  # the column's length: PostgreSQL would refuse it
        ({"model": "m" * 41}, 400, None),
        ({"payee": "   "}, 400, None),
        ({"surprise": 1}, 400, None),
    ],
)
async def test_bad_drawdowns_are_4xx_with_nothing_written(client, settings, body, status, code):
    await give_line(client)
    dealer = await login(client, "dealer")
    full = {"vin": new_vin(), "invoice_amount": "1000", "payee": "上汽大众", **body}
    r = await client.post("/api/floorplan/drawdowns", json=full, headers={**dealer, **key()})
    assert r.status_code == status, r.text
    if code:
        assert r.json()["code"] == code
    assert await _counts(settings) == (0, 0, 0, 0)


async def test_no_line_no_drawdown(client):
    dealer = await login(client, "dealer")
    r = await draw(client, dealer, new_vin())
    assert r.status_code == 404 and r.json()["code"] == "floorplan_line_not_found"


async def test_interest_accrues_daily_and_the_payoff_clears_the_unit_in_the_books(
    client, settings, clock
):
    await give_line(client)  # 7.2 %: ¥200,000 accrues ¥40.00 a day on ACT/360
    dealer = await login(client, "dealer")
    vin = new_vin()
    unit = await drawn(client, dealer, vin, "200000.00")
    clock.move(40)
    dealer = await login(client, "dealer")
    shown = (await client.get(f"/api/floorplan/units/{vin}", headers=dealer)).json()
    assert shown["age_days"] == 40 and shown["interest_accrued"] == "1600.00"
    assert shown["payoff_amount"] == "201600.00"
    assert shown["next_curtailment_amount"] == "20000.00"  # 10 % at day 90
    payment = await order_payoff(client, dealer, vin)  # a payment order, not the money
    assert (payment["status"], payment["amount"], payment["purpose"], payment["unit_vin"]) == (
        "created", "201600.00", "floorplan_payoff", vin,
    )  # fmt: skip
    assert payment["pay_url"].endswith(f"/api/sandbox/pay/{payment['out_trade_no']}")
    assert (await unit_balances(settings, unit["id"]))[Account.FLOORPLAN_RECEIVABLE] == 20_000_000
    assert (await client.get(f"/api/floorplan/units/{vin}", headers=dealer)).json()[
        "status"] == "financed"  # fmt: skip
    assert (await paid(client, settings, dealer, payment, clock()))["status"] == "paid"
    shown = (await client.get(f"/api/floorplan/units/{vin}", headers=dealer)).json()
    assert shown["status"] == "paid_off" and shown["payoff_amount"] == "0.00"
    books = await unit_balances(settings, unit["id"])
    assert books[Account.FLOORPLAN_RECEIVABLE] == 0
    assert books[Account.FLOORPLAN_INTEREST_RECEIVABLE] == 0
    assert books[Account.FLOORPLAN_INTEREST_INCOME] == 1600_00
    assert books[Account.CASH] == 1600_00  # paid out 200,000, received 201,600
    async with Books(settings) as db:
        row = await db.scalar(select(FloorplanRepayment).where(
            FloorplanRepayment.unit_id == unit["id"]))  # fmt: skip
    assert (row.kind, row.principal_fen, row.interest_fen, row.reference) == (
        "payoff", 20_000_000, 1600_00, payment["id"],
    )  # fmt: skip
    line = (await client.get("/api/floorplan/line", headers=dealer)).json()
    assert line["used"] == "0.00" and line["units_financed"] == 0
    again = await draw(client, dealer, vin)  # the VIN may be financed again once repaid
    assert again.status_code == 201


async def test_a_curtailment_repays_principal_and_lowers_the_interest_from_that_day(
    client, settings, clock
):
    await give_line(client)
    dealer = await login(client, "dealer")
    vin = new_vin()
    await drawn(client, dealer, vin, "200000.00")
    clock.move(10)
    dealer = await login(client, "dealer")
    payment = await order_curtailment(client, dealer, vin, "100000")
    assert (payment["amount"], payment["purpose"]) == ("100000.00", "floorplan_curtailment")
    assert (await paid(client, settings, dealer, payment, clock()))["status"] == "paid"
    clock.move(10)  # 10 days at ¥40 and 10 at ¥20
    dealer = await login(client, "dealer")
    shown = (await client.get(f"/api/floorplan/units/{vin}", headers=dealer)).json()
    assert shown["principal_left"] == "100000.00" and shown["interest_accrued"] == "600.00"
    before = await _counts(settings)
    url = f"/api/floorplan/units/{vin}/curtailments"
    too_much = await client.post(url, json={"amount": "100000"}, headers={**dealer, **key()})
    assert too_much.status_code == 422
    assert too_much.json()["code"] == "floorplan_curtailment_too_large"
    assert (await _counts(settings))[:2] == before[:2]  # no payment order made of it either


async def test_a_payoff_for_an_unknown_vin_is_404(client):
    await give_line(client)
    dealer = await login(client, "dealer")
    r = await client.post(f"/api/floorplan/units/{new_vin()}/payoff", headers={**dealer, **key()})
    assert r.status_code == 404 and r.json()["code"] == "floorplan_unit_not_found"
