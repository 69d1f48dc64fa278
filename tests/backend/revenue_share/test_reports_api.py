"""Revenue reports 电费收入报送 on a charging-pile lease, on SQLite and PostgreSQL: a month's report
charges its variable rent once (a retried request and a repeated report charge nothing more),
the lessee pays it from the hall like rent, the books balance; a correction before it is paid
replaces the charge, after it is refused; an overdue month shows in the lessor's overview."""

from __future__ import annotations

from decimal import Decimal

from backend.db.models import Contract
from backend.ledger import service as ledger
from backend.servicing import dues
from common.ledger import Account
from common.money import div_half_up, from_fen, to_fen, yuan_text
from tests.backend.helpers import login
from tests.backend.payments.helpers import sessions_of
from tests.backend.revenue_share.helpers import (
    after_first_rent_month,
    body,
    entries,
    pay_through_hall,
    report,
    report_count,
    rows_of,
    sharing_lease,
    today_of,
)


def fen(text: str) -> int:
    return to_fen(Decimal(text))


async def _balances(client, contract_id: str) -> dict[Account, int]:  # type: ignore[no-untyped-def]
    async with sessions_of(client)() as db:
        return await ledger.contract_balances(db, contract_id)


async def _books_balance(client) -> None:  # type: ignore[no-untyped-def]
    async with sessions_of(client)() as db:
        assert (await ledger.trial_balance(db)).balanced
        assert await ledger.unbalanced_entries(db) == []


async def test_a_report_charges_the_variable_rent_once_and_the_hall_pays_it(
    client, settings, clock
):
    contract, lessee = await sharing_lease(client, settings)
    cid = contract["id"]
    period = await after_first_rent_month(client, clock, cid)
    rows = await rows_of(client, cid)
    floor = rows[0].principal_fen + rows[0].interest_fen
    months = (await client.get(f"/api/contracts/{cid}/revenue-reports", headers=lessee)).json()
    assert months["share_percent"] == "15" and months["report_due_days"] == 10
    first = months["months"][0]
    assert (first["period"], first["status"], first["floor"]) == (
        str(period), "not_yet_due", yuan_text(floor),
    )  # fmt: skip
    revenue = from_fen(floor * 10)  # 15 % of it is 1.5 × the floor
    payload = body(period, f"{revenue:.2f}", piles=[
        {"serial": "PILE-A", "revenue": f"{revenue - 1:.2f}", "kwh": "12000"},
        {"serial": "PILE-B", "revenue": "1.00", "kwh": "0.5"},
    ])  # fmt: skip
    r = await report(client, lessee, cid, payload, key="march")
    assert r.status_code == 201, r.text
    month = r.json()
    variable = div_half_up(floor * 15, 10) - floor  # 15 % of the revenue, half up
    assert month["variable_rent"] == yuan_text(variable) and month["floor"] == yuan_text(floor)
    assert month["rent"] == month["share"] == yuan_text(floor + variable)
    assert month["status"] == "reported" and month["version"] == 1 and not month["late"]
    assert [p["serial"] for p in month["piles"]] == ["PILE-A", "PILE-B"]
    carrier = month["charged_on_instalment"]
    carrying = next(x for x in rows if x.number == carrier)
    assert carrying.due_date >= today_of(clock)  # never overdue on the day it is charged

    # A retry of the request, and the same report again under another key: nothing more.
    again = await report(client, lessee, cid, payload, key="march")
    assert again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == month
    same = await report(client, lessee, cid, payload)
    assert same.status_code == 200 and same.json()["version"] == 1
    staff = await login(client, "admin")  # the lessor's staff, reporting for the operator
    assert (await report(client, staff, cid, payload)).status_code == 200
    charged = await entries(client, cid, "variable_rent")
    assert [e.reference for e in charged] == [str(period)]
    after = {x.number: x for x in await rows_of(client, cid)}
    assert after[carrier].fees_fen == carrying.fees_fen + variable
    assert await report_count(client) == 1
    assert (await _balances(client, cid))[Account.VARIABLE_RENT_INCOME] == variable

    # The hall's payment path pays it like rent: everything up to the carrying instalment.
    async with sessions_of(client)() as db:
        c = await db.get(Contract, cid)
        assert c is not None
        owed = sum(
            dues.state(x).lessee_owes for x in await dues.instalments(db, c) if x.number <= carrier
        )
    await pay_through_hall(client, settings, lessee, cid, yuan_text(owed), clock())
    settled = {x.number: x for x in await rows_of(client, cid)}
    assert settled[carrier].settled_on is not None
    assert settled[carrier].paid_fees_fen == settled[carrier].fees_fen
    books = await _balances(client, cid)
    assert books.get(Account.FEES_RECEIVABLE, 0) == 0  # the variable rent is paid, nothing else
    assert books[Account.VARIABLE_RENT_INCOME] == variable
    await _books_balance(client)

    # Paid: a correction would change money already settled.
    before = (await report_count(client), len(await entries(client, cid, "variable_rent")))
    fix = await report(client, lessee, cid, body(period, f"{revenue * 2:.2f}"))
    assert fix.status_code == 409 and fix.json()["code"] == "revenue_period_settled", fix.text
    assert (await report_count(client), len(await entries(client, cid, "variable_rent"))) == before
    assert await entries(client, cid, "variable_rent_reversed") == []


async def test_a_correction_before_payment_replaces_the_charge(client, settings, clock):
    contract, lessee = await sharing_lease(client, settings)
    cid = contract["id"]
    period = await after_first_rent_month(client, clock, cid)
    rows = await rows_of(client, cid)
    floor = rows[0].principal_fen + rows[0].interest_fen
    r = await report(client, lessee, cid, body(period, f"{from_fen(floor * 10):.2f}"))
    assert r.status_code == 201, r.text
    carrier = r.json()["charged_on_instalment"]
    base_fees = next(x for x in rows if x.number == carrier).fees_fen
    # The operator corrects upward: the first charge is reversed, the new one posted.
    up = await report(client, lessee, cid, body(period, f"{from_fen(floor * 20):.2f}"))
    assert up.status_code == 201, up.text
    assert up.json()["version"] == 2 and up.json()["variable_rent"] == yuan_text(floor * 2)
    assert [e.reference for e in await entries(client, cid, "variable_rent")] == [
        str(period), f"{period}#v2",
    ]  # fmt: skip
    assert [e.reference for e in await entries(client, cid, "variable_rent_reversed")] == [
        str(period)
    ]
    now = {x.number: x for x in await rows_of(client, cid)}
    assert now[carrier].fees_fen == base_fees + floor * 2
    assert (await _balances(client, cid))[Account.VARIABLE_RENT_INCOME] == floor * 2
    # And down below the floor: no variable rent at all, the floor is still owed.
    down = await report(client, lessee, cid, body(period, "100.00"))
    assert down.status_code == 201 and down.json()["variable_rent"] == "0.00"
    assert down.json()["rent"] == yuan_text(floor) and down.json()["charged_on_instalment"] is None
    now = {x.number: x for x in await rows_of(client, cid)}
    assert now[carrier].fees_fen == base_fees
    assert (await _balances(client, cid)).get(Account.VARIABLE_RENT_INCOME, 0) == 0
    listed = (await client.get(f"/api/contracts/{cid}/revenue-reports", headers=lessee)).json()
    assert listed["months"][0]["version"] == 3 and listed["months"][0]["revenue"] == "100.00"
    await _books_balance(client)


async def test_an_overdue_month_shows_in_the_overview_and_a_late_report_clears_it(
    client, settings, clock
):
    contract, lessee = await sharing_lease(client, settings)
    cid = contract["id"]
    period = await after_first_rent_month(client, clock, cid, days_after=11)  # due after 10
    admin = await login(client, "admin")
    overdue = await client.get("/api/revenue-share/reports", params={"status": "overdue"},
                               headers=admin)  # fmt: skip
    assert overdue.status_code == 200, overdue.text
    mine = [x for x in overdue.json() if x["contract_id"] == cid]
    assert [(x["period"], x["status"], x["days_late"]) for x in mine] == [
        (str(period), "overdue", 1)
    ]
    assert mine[0]["contract_number"] == contract["number"]
    # No variable rent is charged for a missing report; the floor stays as scheduled.
    assert await entries(client, cid, "variable_rent") == []
    monitor = await login(client, "monitor")
    everything = await client.get("/api/revenue-share/reports", headers=monitor)
    statuses = {x["period"]: x["status"] for x in everything.json() if x["contract_id"] == cid}
    assert statuses == {str(period): "overdue", str(period.next()): "not_yet_due"}
    forbidden = await client.get("/api/revenue-share/reports", headers=lessee)
    assert forbidden.status_code == 403
    bad = await client.get("/api/revenue-share/reports", params={"status": "late"}, headers=admin)
    assert bad.status_code == 400
    one = await client.get("/api/revenue-share/reports", params={"limit": 1}, headers=admin)
    assert [x["status"] for x in one.json()] == ["overdue"]  # the longest overdue first
    for limit in (0, 1001, "x"):
        r = await client.get("/api/revenue-share/reports", params={"limit": limit}, headers=admin)
        assert r.status_code == 400, limit

    rows = await rows_of(client, cid)
    floor = rows[0].principal_fen + rows[0].interest_fen
    late = await report(client, lessee, cid, body(period, f"{from_fen(floor * 10):.2f}"))
    assert late.status_code == 201 and late.json()["late"] is True, late.text
    assert len(await entries(client, cid, "variable_rent")) == 1  # charged when it comes
    overdue = await client.get("/api/revenue-share/reports", params={"status": "overdue"},
                               headers=admin)  # fmt: skip
    assert [x for x in overdue.json() if x["contract_id"] == cid] == []
