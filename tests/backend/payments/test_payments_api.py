"""Paying through the API: which amounts each option asks, what is refused (with stable codes),
who sees which payment, the Idempotency-Key, the receipt (JSON and PDF) and the daily
reconciliation against the provider's bill."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, update

from backend.db.models import Payment, SandboxProviderOrder
from backend.payments import reconcile
from common.business_day import business_date
from tests.backend.contracts.conftest import run_tool
from tests.backend.helpers import login
from tests.backend.payments.helpers import (
    active_contract,
    assert_books,
    create,
    deliver,
    pay,
    sessions_of,
    signed,
)


def now() -> datetime:
    return datetime.now(UTC)


async def _paid(client, settings, lessee, contract_id, option="next", amount=None, key=None):
    r = await create(client, lessee, contract_id, option, amount, key=key)
    assert r.status_code == 201, r.text
    p = r.json()
    await pay(client, p["out_trade_no"], now())
    ack = await deliver(client, *await signed(client, settings, p["out_trade_no"], now()))
    assert ack.status_code == 200, ack.text
    return p


async def test_options_amounts_and_refusals(client, settings):
    contract, lessee = await active_contract(client, settings)
    schedule = (await client.get(f"/api/contracts/{contract['id']}/schedule",
                                 headers=lessee)).json()  # fmt: skip
    first_due = schedule[0]["outstanding"]
    nxt = await create(client, lessee, contract["id"], "next", key="n")
    assert nxt.status_code == 201 and nxt.json()["amount"] == first_due
    cases = (
        ("overdue", None, 422, "nothing_due"),  # nothing is overdue on a new contract
        ("custom", None, 422, "payment_amount_invalid"),
        ("custom", "0.99", 422, "payment_amount_invalid"),  # below the policy's minimum
        ("custom", "99999999.00", 422, "payment_amount_invalid"),  # above all outstanding
        ("custom", "1.001", 422, "money_invalid"),
        ("quote", None, 422, "payment_purpose_invalid"),  # a quote needs its purpose
    )
    for option, amount, status, code in cases:
        r = await create(client, lessee, contract["id"], option, amount)
        assert (r.status_code, r.json()["code"]) == (status, code), (option, amount, r.text)
    bad = await client.post(
        f"/api/contracts/{contract['id']}/payments",
        json={"option": "later"},
        headers={**lessee, "Idempotency-Key": "x"},
    )
    assert bad.status_code == 400
    custom = await create(client, lessee, contract["id"], "custom", "1.00")
    assert custom.status_code == 201 and custom.json()["amount"] == "1.00"
    no_key = await client.post(f"/api/contracts/{contract['id']}/payments",
                               json={"option": "next"}, headers=lessee)  # fmt: skip
    assert no_key.status_code == 400 and no_key.json()["code"] == "idempotency_key_required"
    replay = await create(client, lessee, contract["id"], "next", key="n")
    assert replay.status_code == 201 and replay.json()["id"] == nxt.json()["id"]
    assert replay.headers.get("idempotent-replayed") == "true"


async def test_only_the_lessee_pays_and_others_see_what_they_may(client, settings):
    contract, lessee = await active_contract(client, settings)
    p = (await create(client, lessee, contract["id"], "next", key="n")).json()
    staff = await login(client, "staff")
    admin = await login(client, "admin")
    r = await create(client, staff, contract["id"], "next")
    assert r.status_code == 403
    assert (await client.get(f"/api/payments/{p['id']}", headers=admin)).status_code == 200
    listed = await client.get(f"/api/contracts/{contract['id']}/payments", headers=admin)
    assert [x["id"] for x in listed.json()] == [p["id"]]
    assert (await client.get("/api/payments/nope", headers=lessee)).status_code == 404
    assert (await client.get(f"/api/payments/{p['id']}")).status_code == 401


async def test_a_settled_or_inactive_contract_takes_no_payment(client, settings):
    contract, lessee = await active_contract(client, settings)
    async with sessions_of(client)() as db:
        from backend.db.models import Contract

        await db.execute(update(Contract).where(Contract.id == contract["id"])
                         .values(status="settled"))  # fmt: skip
        await db.commit()
    r = await create(client, lessee, contract["id"], "next")
    assert r.status_code == 409 and r.json()["code"] == "contract_not_active"


async def test_the_receipt_says_what_the_payment_paid(client, settings, tmp_path):
    contract, lessee = await active_contract(client, settings)
    waiting = (await create(client, lessee, contract["id"], "next", key="w")).json()
    r = await client.get(f"/api/payments/{waiting['id']}/receipt", headers=lessee)
    assert r.status_code == 404 and r.json()["code"] == "receipt_unavailable"
    schedule = (await client.get(f"/api/contracts/{contract['id']}/schedule",
                                 headers=lessee)).json()  # fmt: skip
    # More than the first rent: the rest pays the second one ahead.
    p = await _paid(client, settings, lessee, contract["id"], "custom", "5000.00", key="p")
    receipt = (await client.get(f"/api/payments/{p['id']}/receipt", headers=lessee)).json()
    assert receipt["contract_number"] == contract["number"]
    assert receipt["amount"] == "5000.00" and receipt["receipt_number"].startswith("SJ")
    assert "*" in receipt["lessee_name"]
    assert receipt["paid_at"].endswith("+08:00")
    total = sum(int(x["amount"].replace(".", "")) for x in receipt["lines"])
    assert total + int(receipt["unapplied"].replace(".", "")) == 500000
    assert {x["number"] for x in receipt["lines"]} >= {1}
    assert receipt["lines"][0]["due_date"] == schedule[0]["due_date"]
    pdf = await client.get(f"/api/payments/{p['id']}/receipt.pdf", headers=lessee)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf.content)
    text = run_tool("pdftotext", "-layout", "-enc", "UTF-8", path, "-")
    assert "电子收据" in text and receipt["receipt_number"] in text and "5000.00" in text
    await assert_books(client, contract["id"])


async def test_reconciliation_matches_the_bill_and_names_each_difference(client, settings):
    contract, lessee = await active_contract(client, settings)
    admin = await login(client, "admin")
    day = business_date(now())
    good = await _paid(client, settings, lessee, contract["id"], "custom", "100.00", key="g")
    theirs_only = (await create(client, lessee, contract["id"], "custom", "20.00", key="t")).json()
    await pay(client, theirs_only["out_trade_no"], now())  # paid at the provider, not notified
    ours_only = await _paid(client, settings, lessee, contract["id"], "custom", "30.00", key="o")
    differs = await _paid(client, settings, lessee, contract["id"], "custom", "40.00", key="d")
    async with sessions_of(client)() as db:  # the provider's side loses one and misstates one
        await db.execute(
            delete(SandboxProviderOrder).where(
                SandboxProviderOrder.out_trade_no == ours_only["out_trade_no"]
            )
        )
        await db.execute(update(SandboxProviderOrder)
                         .where(SandboxProviderOrder.out_trade_no == differs["out_trade_no"])
                         .values(amount_fen=4100))  # fmt: skip
        await db.commit()
    assert (await client.get("/api/payments/reconciliation", params={"date": str(day)},
                             headers=admin)).status_code == 404  # fmt: skip
    for _ in range(2):  # idempotent per day
        r = await client.post("/api/payments/reconciliation", json={"date": str(day)},
                              headers=admin)  # fmt: skip
        assert r.status_code == 200, r.text
    run = (await client.get("/api/payments/reconciliation", params={"date": str(day)},
                            headers=admin)).json()  # fmt: skip
    assert run["matched"] == 1 and run["statement_rows"] == 3
    got = sorted((m["kind"], m["out_trade_no"]) for m in run["mismatches"])
    assert got == sorted([("missing_ours", theirs_only["out_trade_no"]),
                          ("missing_theirs", ours_only["out_trade_no"]),
                          ("amount_differs", differs["out_trade_no"])])  # fmt: skip
    assert good["out_trade_no"] not in {m["out_trade_no"] for m in run["mismatches"]}
    lessee_try = await client.post("/api/payments/reconciliation", json={"date": str(day)},
                                   headers=lessee)  # fmt: skip
    assert lessee_try.status_code == 403
    # The sweeps job's entry point: another day with nothing on it reconciles clean.
    empty = await reconcile.reconcile_day(sessions_of(client), day - timedelta(days=3), now(),
                                          settings)  # fmt: skip
    assert empty.matched == 0 and empty.mismatches == []
    async with sessions_of(client)() as db:
        assert (await db.get(Payment, good["id"])).status == "paid"
    await assert_books(client, contract["id"])
