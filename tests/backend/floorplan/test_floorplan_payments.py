"""The dealer pays its floor plan through the payment provider, on both databases: a payoff or a
curtailment is a payment order with the provider's pay page and posts nothing; the provider's
confirmation posts it exactly once (however many notifications, however concurrent); a failed or
abandoned payment posts nothing; the same Idempotency-Key is the same order; money the unit
cannot take as asked is kept for the finance desk, never posted; and the day reconciles."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from backend.db.models import (
    FloorplanRepayment,
    FloorplanUnit,
    LedgerEntry,
    Payment,
    PaymentException,
    SandboxProviderOrder,
)
from backend.ledger import service as ledger
from backend.payments import query
from common.business_day import business_date
from common.ledger import Account
from tests.backend.floorplan.helpers import (
    Books,
    drawn,
    give_line,
    key,
    new_vin,
    notify,
    order_curtailment,
    order_payoff,
    paid,
    press_pay,
    unit_balances,
)
from tests.backend.helpers import login
from tests.backend.servicing.helpers import MovableClock

PRINCIPAL, PER_DAY = 200_000_00, 40_00  # 7.2 % on ACT/360


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


async def _unit_on_the_lot(client, clock, days: int = 40) -> tuple[dict, dict, str]:
    """A ¥200,000 unit of the east shop, `days` on the lot; the dealer's fresh headers."""
    await give_line(client)
    vin = new_vin()
    unit = await drawn(client, await login(client, "dealer"), vin, "200000.00")
    clock.move(days)
    return unit, await login(client, "dealer"), vin


async def _repaid(settings, unit_id: str) -> tuple[int, int, int]:
    """The unit's repayment entries, interest bills at the payoff and repayment rows."""
    async with Books(settings) as db:
        entries = await db.scalar(select(func.count(LedgerEntry.id)).where(
            LedgerEntry.contract_id == unit_id,
            LedgerEntry.kind.in_(("floorplan_payoff", "floorplan_repayment"))))  # fmt: skip
        bills = await db.scalar(select(func.count(LedgerEntry.id)).where(
            LedgerEntry.contract_id == unit_id, LedgerEntry.kind == "floorplan_interest",
            LedgerEntry.reference == "payoff"))  # fmt: skip
        rows = await db.scalar(select(func.count(FloorplanRepayment.id)).where(
            FloorplanRepayment.unit_id == unit_id))  # fmt: skip
        assert (await ledger.trial_balance(db)).balanced
        assert await ledger.unbalanced_entries(db) == []
    return int(entries or 0), int(bills or 0), int(rows or 0)


async def _status(client, headers, vin: str) -> str:
    r = await client.get(f"/api/floorplan/units/{vin}", headers=headers)
    status: str = r.json()["status"]
    return status


async def test_the_confirmation_posts_the_payoff_once_however_often_it_is_notified(
    client, settings, clock
):
    unit, dealer, vin = await _unit_on_the_lot(client, clock)
    payment = await order_payoff(client, dealer, vin)
    assert await _repaid(settings, unit["id"]) == (0, 0, 0)  # an order is not money
    txn = await press_pay(settings, payment["out_trade_no"], clock())
    assert await _repaid(settings, unit["id"]) == (0, 0, 0)  # nor is the pay page, unconfirmed
    for _ in range(3):  # the provider's retries of one notification, one after another
        r = await notify(client, settings, payment["out_trade_no"], clock())
        assert r.status_code == 200, r.text
    concurrent = await client.post(f"/api/sandbox/payments/{txn['transaction_id']}/notify",
                                   params={"times": 8})  # fmt: skip
    assert concurrent.json()["answers"] == {"duplicate": 8}, concurrent.text
    assert await _repaid(settings, unit["id"]) == (1, 1, 1)
    books = await unit_balances(settings, unit["id"])
    assert books[Account.FLOORPLAN_RECEIVABLE] == 0
    assert books[Account.CASH] == 40 * PER_DAY  # paid out ¥200,000, received ¥201,600
    shown = (await client.get(f"/api/payments/{payment['id']}", headers=dealer)).json()
    assert (shown["status"], shown["pay_url"], shown["unit_vin"]) == ("paid", None, vin)
    assert await _status(client, dealer, vin) == "paid_off"


async def test_concurrent_first_notifications_post_the_payoff_once(client, settings, clock):
    unit, dealer, vin = await _unit_on_the_lot(client, clock)
    payment = await order_payoff(client, dealer, vin)
    txn = await press_pay(settings, payment["out_trade_no"], clock())
    r = await client.post(f"/api/sandbox/payments/{txn['transaction_id']}/notify",
                          params={"times": 12})  # fmt: skip
    assert r.json()["answers"] == {"posted": 1, "duplicate": 11}, r.text
    assert await _repaid(settings, unit["id"]) == (1, 1, 1)


async def test_a_failed_or_abandoned_payment_posts_nothing(client, settings, clock):
    unit, dealer, vin = await _unit_on_the_lot(client, clock)
    failed, cancelled = (await order_payoff(client, dealer, vin),
                         await order_curtailment(client, dealer, vin, "1000"))  # fmt: skip
    abandoned = await order_payoff(client, dealer, vin)  # the pay page never used
    assert (await client.post(f"/api/sandbox/pay/{failed['out_trade_no']}/fail")).status_code == 200
    assert (await client.post(f"/api/sandbox/pay/{cancelled['out_trade_no']}/cancel")
            ).status_code == 200  # fmt: skip
    for p, status in ((failed, "failed"), (cancelled, "cancelled"), (abandoned, "created")):
        r = await client.post(f"/api/payments/{p['id']}/refresh", headers=dealer)
        assert r.status_code == 200 and r.json()["status"] == status, r.text
    clock.move(1)  # the payment job's query path asks the provider again: nothing was paid
    books = Books(settings)
    try:
        assert await query.settle_stale(books.sessions, clock(), settings) == 0
    finally:
        await books.engine.dispose()
    assert await _repaid(settings, unit["id"]) == (0, 0, 0)
    assert await _status(client, await login(client, "dealer"), vin) == "financed"
    books = await unit_balances(settings, unit["id"])
    assert books[Account.FLOORPLAN_RECEIVABLE] == PRINCIPAL and books[Account.CASH] == -PRINCIPAL


async def test_the_query_path_settles_a_payment_whose_notification_never_came(
    client, settings, clock
):
    unit, dealer, vin = await _unit_on_the_lot(client, clock, days=100)
    payment = await order_curtailment(client, dealer, vin)  # the 10 % due at day 90
    assert payment["amount"] == "20000.00"
    await press_pay(settings, payment["out_trade_no"], clock())
    r = await client.post(f"/api/payments/{payment['id']}/refresh", headers=dealer)
    assert r.json()["status"] == "paid"
    assert (await notify(client, settings, payment["out_trade_no"], clock())).status_code == 200
    assert await _repaid(settings, unit["id"]) == (1, 0, 1)  # the late notification: a duplicate
    shown = (await client.get(f"/api/floorplan/units/{vin}", headers=dealer)).json()
    assert shown["principal_left"] == "180000.00" and shown["curtailment_due"] == "0.00"


async def test_the_same_key_is_the_same_order_and_another_key_another(client, settings, clock):
    _, dealer, vin = await _unit_on_the_lot(client, clock)
    headers = {**dealer, **key()}
    url = f"/api/floorplan/units/{vin}/payoff"
    first, again = await client.post(url, headers=headers), await client.post(url, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("idempotent-replayed") == "true" and again.json() == first.json()
    other = await order_payoff(client, dealer, vin)
    assert other["id"] != first.json()["id"]
    async with Books(settings) as db:
        assert await db.scalar(select(func.count(Payment.id))) == 2
        assert await db.scalar(select(func.count(SandboxProviderOrder.id))) == 2


async def test_a_payoff_paid_on_another_day_is_kept_for_the_desk_and_refunded(
    client, settings, clock
):
    unit, dealer, vin = await _unit_on_the_lot(client, clock)
    payment = await order_payoff(client, dealer, vin)  # priced for today: ¥201,600
    clock.move(1)  # paid after midnight: the payoff is ¥201,640 now
    await press_pay(settings, payment["out_trade_no"], clock())
    r = await notify(client, settings, payment["out_trade_no"], clock())
    assert r.status_code == 422 and r.json()["code"] == "floorplan_payoff_changed", r.text
    assert await _repaid(settings, unit["id"]) == (0, 0, 0)
    admin = await login(client, "admin")
    (exc,) = (await client.get("/api/payments/exceptions", headers=admin)).json()
    assert (exc["kind"], exc["kind_label"], exc["received"]) == (
        "floorplan_payoff_changed", "结清金额已变化", "201600.00",
    )  # fmt: skip
    assert exc["actions"] == ["refund", "dismiss"]  # no contract to post it to
    r = await client.post(f"/api/payments/exceptions/{exc['id']}/resolve",
                          json={"action": "refund", "note": "跨日支付"}, headers=admin)  # fmt: skip
    assert r.status_code == 200 and r.json()["status"] == "resolved", r.text
    again = await notify(client, settings, payment["out_trade_no"], clock())  # the retry: acked
    assert again.status_code == 200
    dealer = await login(client, "dealer")
    shown = (await client.get(f"/api/payments/{payment['id']}", headers=dealer)).json()
    assert shown["status"] == "refunded"
    assert await _repaid(settings, unit["id"]) == (0, 0, 0)
    assert await _status(client, dealer, vin) == "financed"


async def test_a_second_payoff_of_a_unit_paid_off_already_is_not_posted(client, settings, clock):
    unit, dealer, vin = await _unit_on_the_lot(client, clock)
    first, second = await order_payoff(client, dealer, vin), await order_payoff(client, dealer, vin)
    assert (await paid(client, settings, dealer, first, clock()))["status"] == "paid"
    await press_pay(settings, second["out_trade_no"], clock())
    r = await notify(client, settings, second["out_trade_no"], clock())
    assert r.status_code == 422 and r.json()["code"] == "floorplan_unit_settled"
    assert await _repaid(settings, unit["id"]) == (1, 1, 1)
    async with Books(settings) as db:
        kept = await db.scalar(select(PaymentException))
        assert (kept.kind, kept.payment_id, kept.received) == (
            "floorplan_unit_settled", second["id"], "paid_off",
        )  # fmt: skip
    assert (await client.get(f"/api/payments/{second['id']}", headers=dealer)).json()[
        "status"] == "created"  # fmt: skip


async def test_a_curtailment_asks_what_is_due_or_a_given_amount_and_refuses_the_rest(
    client, settings, clock
):
    unit, dealer, vin = await _unit_on_the_lot(client, clock, days=10)
    url = f"/api/floorplan/units/{vin}/curtailments"
    nothing = await client.post(url, json={}, headers={**dealer, **key()})
    assert nothing.status_code == 422 and nothing.json()["code"] == "floorplan_nothing_due"
    cases = (({"amount": "0"}, 422, "money_invalid"),
             ({"amount": "200000"}, 422, "floorplan_curtailment_too_large"),
             ({"amount": "1.001"}, 422, "money_invalid"),
             ({"amount": "5", "extra": 1}, 400, None))  # fmt: skip
    for body, status, code in cases:
        r = await client.post(url, json=body, headers={**dealer, **key()})
        assert r.status_code == status, (body, r.text)
        if code:
            assert r.json()["code"] == code
    bare = await client.post(url, json={}, headers=dealer)
    assert bare.status_code == 400 and bare.json()["code"] == "idempotency_key_required"
    async with Books(settings) as db:
        assert await db.scalar(select(func.count(Payment.id))) == 0  # nothing written
    payment = await order_curtailment(client, dealer, vin, "5000.50")
    assert (await paid(client, settings, dealer, payment, clock()))["status"] == "paid"
    async with Books(settings) as db:
        row = await db.get(FloorplanUnit, unit["id"])
        assert row.principal_left_fen == PRINCIPAL - 5000_50


async def test_only_the_dealer_pays_and_only_its_own_and_the_lessor_see_the_payment(
    client, settings, clock
):
    _, dealer, vin = await _unit_on_the_lot(client, clock)
    admin = await login(client, "admin")
    url = f"/api/floorplan/units/{vin}/payoff"
    assert (await client.post(url, headers={**admin, **key()})).status_code == 403
    payment = await order_payoff(client, dealer, vin)
    seen = f"/api/payments/{payment['id']}"
    assert (await client.get(seen, headers=admin)).status_code == 200
    for user in ("dealer2", "staff", "risk"):
        r = await client.get(seen, headers=await login(client, user))
        assert r.status_code == 404 and r.json()["code"] == "payment_not_found", user
    intruder = await login(client, "dealer2")
    r = await client.post(f"{seen}/refresh", headers=intruder)
    assert r.status_code == 404
    receipt = await client.get(f"{seen}/receipt", headers=dealer)
    assert receipt.status_code == 404 and receipt.json()["code"] == "receipt_unavailable"


async def test_the_days_floor_plan_payments_reconcile_with_the_providers_bill(
    client, settings, clock
):
    _, dealer, vin = await _unit_on_the_lot(client, clock, days=95)
    curtailment = await order_curtailment(client, dealer, vin)
    assert (await paid(client, settings, dealer, curtailment, clock()))["status"] == "paid"
    payoff = await order_payoff(client, dealer, vin)
    assert (await paid(client, settings, dealer, payoff, clock()))["status"] == "paid"
    day = business_date(clock())
    admin = await login(client, "admin")
    r = await client.post("/api/payments/reconciliation", json={"date": str(day)}, headers=admin)
    assert r.status_code == 200, r.text
    run = r.json()
    assert (run["statement_rows"], run["matched"], run["mismatches"]) == (2, 2, [])
    total = Decimal(curtailment["amount"]) + Decimal(payoff["amount"])
    assert Decimal(run["statement_total"]) == Decimal(run["ours_total"]) == total
