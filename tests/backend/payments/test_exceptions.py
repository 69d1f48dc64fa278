"""The finance desk's payment exceptions 异常收款, on both databases: money the provider took that
we did not post is listed for admins only, and resolved exactly once — refunded through the
provider (once, whatever is retried), posted as a rent payment through the normal path (once),
or dismissed with a note; the books balance after each, and reconciliation reads the refunds."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update

from backend.audit import service as audit
from backend.db.models import (
    AuditEvent,
    LedgerEntry,
    Payment,
    PaymentRefund,
    SandboxProviderOrder,
    SandboxProviderRefund,
)
from backend.payments import job, sandbox_refunds
from common.business_day import business_date
from tests.backend.helpers import login
from tests.backend.payments.helpers import (
    active_contract,
    assert_books,
    create,
    deliver,
    in_process_send,
    pay,
    repayments,
    sessions_of,
    signed,
)

EXCEPTIONS = "/api/payments/exceptions"


def now() -> datetime:
    return datetime.now(UTC)


def resolve_url(exception_id: str) -> str:
    return f"{EXCEPTIONS}/{exception_id}/resolve"


async def _open(client: Any, admin: dict[str, str]) -> list[dict[str, Any]]:
    r = await client.get(EXCEPTIONS, params={"status": "open"}, headers=admin)
    assert r.status_code == 200, r.text
    return r.json()


async def _short_paid(client: Any, settings: Any) -> tuple[dict, dict, dict, str]:
    """A rent payment whose provider order charged ¥1.00 less than we asked (the provider's
    transaction says so, signed): an ``amount_differs`` exception, nothing posted."""
    contract, lessee = await active_contract(client, settings)
    payment = (await create(client, lessee, contract["id"], "custom", "500.00")).json()
    async with sessions_of(client)() as db:
        await db.execute(update(SandboxProviderOrder)
                         .where(SandboxProviderOrder.out_trade_no == payment["out_trade_no"])
                         .values(amount_fen=49900))  # fmt: skip
        await db.commit()
    txn = await pay(client, payment["out_trade_no"], now())
    r = await deliver(client, *await signed(client, settings, payment["out_trade_no"], now()))
    assert r.status_code == 422 and r.json()["code"] == "payment_amount_differs"
    return contract, lessee, payment, txn


async def _late_rent_after_payoff(client: Any, settings: Any) -> tuple[dict, dict, dict, str]:
    """The lessee opened a rent payment, then settled the contract by a payoff; the rent is paid
    at the provider afterwards: ``contract_not_active``, nothing posted."""
    contract, lessee = await active_contract(client, settings)
    rent = (await create(client, lessee, contract["id"], "next", key="rent")).json()
    quote = (await client.post(f"/api/contracts/{contract['id']}/payoff-quotes", json={},
                               headers=lessee)).json()  # fmt: skip
    payoff = (await client.post(
        f"/api/contracts/{contract['id']}/payments", headers={**lessee, "Idempotency-Key": "po"},
        json={"option": "quote", "purpose": "payoff", "quote_id": quote["id"]})).json()  # fmt: skip
    await pay(client, payoff["out_trade_no"], now())
    assert (await deliver(client, *await signed(client, settings, payoff["out_trade_no"],
                                                now()))).status_code == 200  # fmt: skip
    txn = await pay(client, rent["out_trade_no"], now())
    r = await deliver(client, *await signed(client, settings, rent["out_trade_no"], now()))
    assert r.status_code == 422 and r.json()["code"] == "contract_not_active", r.text
    return contract, lessee, rent, txn


async def test_only_admins_see_and_resolve_exceptions(client, settings):
    _contract, lessee, _payment, _ = await _short_paid(client, settings)
    staff, risk = await login(client, "staff"), await login(client, "risk")
    for who in (lessee, staff, risk):
        assert (await client.get(EXCEPTIONS, headers=who)).status_code == 403
    assert (await client.get(EXCEPTIONS)).status_code == 401
    admin = await login(client, "admin")
    (exc,) = await _open(client, admin)
    for who in (lessee, staff):
        r = await client.post(resolve_url(exc["id"]), json={"action": "dismiss", "note": "x"},
                              headers=who)  # fmt: skip
        assert r.status_code == 403
    assert (await _open(client, admin))[0]["status"] == "open"


async def test_bad_requests_answer_4xx_with_stable_codes_and_write_nothing(client, settings):
    contract, _, _payment, _ = await _short_paid(client, settings)
    admin = await login(client, "admin")
    (exc,) = await _open(client, admin)
    cases = (
        ("nope", {"action": "dismiss", "note": "x"}, 404, "payment_exception_not_found"),
        ("x" * 40, {"action": "dismiss", "note": "x"}, 404, "payment_exception_not_found"),
        (exc["id"], {"action": "burn", "note": "x"}, 400, "payment_exception_action_invalid"),
        (exc["id"], {"action": "dismiss", "note": "  "}, 400, "payment_exception_note_required"),
        (exc["id"], {"action": "dismiss", "note": "x", "extra": 1}, 400, None),
        (exc["id"], {"action": "dismiss", "note": "x" * 501}, 400, None),
    )
    for exception_id, body, status, code in cases:
        r = await client.post(resolve_url(exception_id), json=body, headers=admin)
        assert r.status_code == status, (body, r.text)
        if code:
            assert r.json()["code"] == code
    r = await client.get(EXCEPTIONS, params={"status": "all"}, headers=admin)
    assert r.status_code == 400 and r.json()["code"] == "payment_exception_status_invalid"
    assert [x["status"] for x in await _open(client, admin)] == ["open"]
    await assert_books(client, contract["id"])


async def test_a_short_payment_is_posted_for_what_was_received_exactly_once(client, settings):
    contract, lessee, payment, txn = await _short_paid(client, settings)
    admin = await login(client, "admin")
    (exc,) = await _open(client, admin)
    assert (exc["kind"], exc["expected"], exc["received"]) == ("amount_differs", "500.00", "499.00")
    assert exc["actions"] == ["refund", "post", "dismiss"] and exc["seen_count"] == 1
    assert exc["out_trade_no"] == payment["out_trade_no"] and exc["provider_txn_id"] == txn
    assert exc["contract_id"] == contract["id"] and exc["contract_number"]
    r = await client.post(resolve_url(exc["id"]), json={"action": "post", "note": "渠道少收1元"},
                          headers=admin)  # fmt: skip
    assert r.status_code == 200, r.text
    done = r.json()
    assert (done["status"], done["resolution"], done["resolved_by"]) == ("resolved", "post",
                                                                         "admin")  # fmt: skip
    assert done["actions"] == [] and done["expected"] == "500.00" and done["received"] == "499.00"
    for action in ("post", "refund", "dismiss"):  # once only
        again = await client.post(resolve_url(exc["id"]), json={"action": action, "note": "再"},
                                  headers=admin)  # fmt: skip
        assert again.status_code == 409 and again.json()["code"] == "payment_exception_resolved"
    # The provider's retry is acknowledged now; nothing more is posted.
    r = await deliver(client, *await signed(client, settings, payment["out_trade_no"], now()))
    assert r.status_code == 200
    view = (await client.get(f"/api/payments/{payment['id']}", headers=lessee)).json()
    assert (view["status"], view["amount"]) == ("paid", "499.00")
    async with sessions_of(client)() as db:
        (entry,) = await repayments(db, contract["id"])
        assert entry.reference == payment["id"]
        events = list(await db.scalars(select(AuditEvent.action).where(
            AuditEvent.entity_id == exc["id"])))  # fmt: skip
        assert events == ["payment_exception.posted"]
        assert (await audit.verify(db)).ok
    assert (await client.get(EXCEPTIONS, params={"status": "resolved"},
                             headers=admin)).json()[0]["id"] == exc["id"]  # fmt: skip
    assert await _open(client, admin) == []
    await assert_books(client, contract["id"])


async def test_a_late_rent_after_a_payoff_is_refunded_not_posted(client, settings):
    contract, lessee, rent, _txn = await _late_rent_after_payoff(client, settings)
    admin = await login(client, "admin")
    (exc,) = await _open(client, admin)
    assert exc["kind"] == "contract_not_active" and exc["contract_status"] == "settled"
    assert exc["actions"] == ["refund", "dismiss"] and exc["received"] == rent["amount"]
    r = await client.post(resolve_url(exc["id"]), json={"action": "post"}, headers=admin)
    assert r.status_code == 409 and r.json()["code"] == "contract_not_active"
    async with sessions_of(client)() as db:
        before = await db.scalar(select(func.count()).select_from(LedgerEntry))
    r = await client.post(resolve_url(exc["id"]), json={"action": "refund", "note": "合同已结清"},
                          headers=admin)  # fmt: skip
    assert r.status_code == 200, r.text
    done = r.json()
    assert (done["status"], done["resolution"]) == ("resolved", "refund")
    refund = done["refund"]
    assert refund["status"] == "PROCESSING" and refund["amount"] == rent["amount"]
    assert refund["out_refund_no"] == f"RF{exc['id']}" and refund["provider_refund_id"]
    view = (await client.get(f"/api/payments/{rent['id']}", headers=lessee)).json()
    assert (view["status"], view["status_label"]) == ("refunded", "已退款")
    # Nothing was posted for the money, so nothing is posted for its refund.
    async with sessions_of(client)() as db:
        assert await db.scalar(select(func.count()).select_from(LedgerEntry)) == before
        assert rent["id"] not in {e.reference for e in await repayments(db, contract["id"])}
    # The notifier's retry is acknowledged: the provider stops; nothing posted.
    r = await deliver(client, *await signed(client, settings, rent["out_trade_no"], now()))
    assert r.status_code == 200
    # The provider processes the refund; the job keeps its word.
    await job.run_once(sessions_of(client), settings, now(), in_process_send(client))
    resolved = (await client.get(EXCEPTIONS, params={"status": "resolved"},
                                 headers=admin)).json()  # fmt: skip
    assert resolved[0]["refund"]["status"] == "SUCCESS" and resolved[0]["refund"]["success_time"]
    async with sessions_of(client)() as db:
        assert await db.scalar(select(func.count()).select_from(LedgerEntry)) == before
        assert (await audit.verify(db)).ok


async def test_a_refund_retried_after_a_lost_answer_refunds_once(client, settings, monkeypatch):
    _contract, _, _rent, txn = await _late_rent_after_payoff(client, settings)
    admin = await login(client, "admin")
    (exc,) = await _open(client, admin)
    real = sandbox_refunds.refund
    calls = 0

    async def answer_lost(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        made = await real(*args, **kwargs)  # the provider refunds and commits ...
        if calls == 1:
            raise ConnectionError("the answer never arrived")  # ... we never hear of it
        return made

    monkeypatch.setattr(sandbox_refunds, "refund", answer_lost)
    lost = await client.post(resolve_url(exc["id"]), json={"action": "refund"}, headers=admin)
    assert lost.status_code == 500  # the provider's answer was lost on the way
    (under_way,) = await _open(client, admin)
    assert under_way["status"] == "refunding" and under_way["actions"] == ["refund"]
    r = await client.post(resolve_url(exc["id"]), json={"action": "dismiss", "note": "x"},
                          headers=admin)  # fmt: skip
    assert r.status_code == 409 and r.json()["code"] == "payment_exception_refunding"
    r = await client.post(resolve_url(exc["id"]), json={"action": "refund"}, headers=admin)
    assert r.status_code == 200, r.text
    assert calls == 2
    async with sessions_of(client)() as db:
        theirs = list(await db.scalars(select(SandboxProviderRefund).where(
            SandboxProviderRefund.transaction_id == txn)))  # fmt: skip
        ours = list(await db.scalars(select(PaymentRefund)))
    assert len(theirs) == 1 and len(ours) == 1
    assert theirs[0].out_refund_no == ours[0].out_refund_no
    assert ours[0].provider_refund_id == theirs[0].refund_id


async def test_two_admins_refunding_at_once_make_one_refund(client, settings):
    _contract, _, _rent, _txn = await _late_rent_after_payoff(client, settings)
    admin = await login(client, "admin")
    (exc,) = await _open(client, admin)
    answers = await asyncio.gather(*(
        client.post(resolve_url(exc["id"]), json={"action": "refund"}, headers=admin)
        for _ in range(3)
    ))  # fmt: skip
    codes = sorted(r.status_code for r in answers)
    assert codes[0] == 200 and all(c in (200, 409) for c in codes), [r.text for r in answers]
    assert codes.count(200) == 1
    async with sessions_of(client)() as db:
        assert await db.scalar(select(func.count()).select_from(SandboxProviderRefund)) == 1


async def test_the_provider_refund_api_is_idempotent_by_our_refund_number(client, settings):
    _contract, _, rent, txn = await _late_rent_after_payoff(client, settings)
    sessions = sessions_of(client)
    fen = int(rent["amount"].replace(".", ""))
    ask = {"transaction_id": txn, "total_fen": fen, "currency": "CNY", "reason": "测试"}
    first = await sandbox_refunds.refund(sessions, settings, out_refund_no="RF-T-1",
                                         refund_fen=100, now=now(), **ask)  # fmt: skip
    again = await sandbox_refunds.refund(sessions, settings, out_refund_no="RF-T-1",
                                         refund_fen=100, now=now(), **ask)  # fmt: skip
    assert first == again and first["status"] == "PROCESSING"
    refusals = (
        ({"out_refund_no": "RF-T-1", "refund_fen": 200}, "INVALID_REQUEST"),  # other params
        ({"out_refund_no": "RF-T-2", "refund_fen": fen}, "INVALID_REQUEST"),  # more than left
        ({"out_refund_no": "RF-T-3", "refund_fen": 0}, "INVALID_REQUEST"),
        ({"out_refund_no": "RF-T-4", "refund_fen": 1, "total_fen": fen + 1}, "PARAM_ERROR"),
        ({"out_refund_no": "RF-T-5", "refund_fen": 1, "transaction_id": "4200x"},
         "RESOURCE_NOT_EXISTS"),
    )  # fmt: skip
    for change, code in refusals:
        with pytest.raises(sandbox_refunds.RefundRefused) as refused:
            await sandbox_refunds.refund(sessions, settings, now=now(), **{**ask, **change})
        assert refused.value.code == code, change
    rest = await sandbox_refunds.refund(sessions, settings, out_refund_no="RF-T-6",
                                        refund_fen=fen - 100, now=now(), **ask)  # fmt: skip
    assert rest["amount"]["refund"] == fen - 100
    assert await sandbox_refunds.query_refund(sessions, "RF-T-6") == rest
    assert await sandbox_refunds.query_refund(sessions, "RF-T-404") is None


async def test_refused_by_the_provider_leaves_the_exception_open(client, settings):
    """A second transaction the provider does not know (here a forged one: the sandbox makes one
    transaction per order) cannot be refunded; it stays open and is dismissed with a note."""
    contract, lessee = await active_contract(client, settings)
    payment = (await create(client, lessee, contract["id"], "next")).json()
    await pay(client, payment["out_trade_no"], now())
    assert (await deliver(client, *await signed(client, settings, payment["out_trade_no"],
                                                now()))).status_code == 200  # fmt: skip
    r = await deliver(client, *await signed(client, settings, payment["out_trade_no"], now(),
                                            transaction_id="4200999"))  # fmt: skip
    assert r.status_code == 422 and r.json()["code"] == "payment_second_transaction"
    admin = await login(client, "admin")
    (exc,) = await _open(client, admin)
    assert exc["kind"] == "second_transaction" and exc["actions"] == ["refund", "dismiss"]
    r = await client.post(resolve_url(exc["id"]), json={"action": "post"}, headers=admin)
    assert r.status_code == 422 and r.json()["code"] == "payment_exception_action_not_allowed"
    r = await client.post(resolve_url(exc["id"]), json={"action": "refund"}, headers=admin)
    assert r.status_code == 422 and r.json()["code"] == "payment_refund_refused", r.text
    (still,) = await _open(client, admin)
    assert still["status"] == "open" and still["refund"] is None
    r = await client.post(resolve_url(exc["id"]),
                          json={"action": "dismiss", "note": "渠道核实为测试交易"},
                          headers=admin)  # fmt: skip
    assert r.status_code == 200 and r.json()["resolution_note"] == "渠道核实为测试交易"
    async with sessions_of(client)() as db:
        actions = list(await db.scalars(select(AuditEvent.action).where(
            AuditEvent.entity_id == exc["id"]).order_by(AuditEvent.at)))  # fmt: skip
        assert (await db.get(Payment, payment["id"])).status == "paid"
    assert actions == ["payment_exception.refund_requested", "payment_exception.refund_refused",
                       "payment_exception.dismissed"]  # fmt: skip
    await assert_books(client, contract["id"])


async def test_a_wrong_merchant_can_only_be_dismissed(client, settings):
    contract, lessee = await active_contract(client, settings)
    payment = (await create(client, lessee, contract["id"], "next")).json()
    await pay(client, payment["out_trade_no"], now())
    await deliver(client, *await signed(client, settings, payment["out_trade_no"], now(),
                                        mchid="1900000999"))  # fmt: skip
    admin = await login(client, "admin")
    (exc,) = await _open(client, admin)
    assert exc["actions"] == ["dismiss"] and exc["detail"] == "1900000109 -> 1900000999"
    for action in ("refund", "post"):
        r = await client.post(resolve_url(exc["id"]), json={"action": action}, headers=admin)
        assert r.status_code == 422, r.text
        assert r.json()["code"] == "payment_exception_action_not_allowed"
    await assert_books(client, contract["id"])


async def test_reconciliation_matches_a_refund_on_both_sides_and_names_one_missing(
    client, settings
):
    _contract, _, rent, txn = await _late_rent_after_payoff(client, settings)
    admin = await login(client, "admin")
    day = business_date(now())

    async def run() -> dict[str, Any]:
        r = await client.post("/api/payments/reconciliation", json={"date": str(day)},
                              headers=admin)  # fmt: skip
        assert r.status_code == 200, r.text
        return r.json()

    before = await run()  # the unposted rent is missing on our side until it is resolved
    assert [(m["kind"], m["out_trade_no"]) for m in before["mismatches"]] == [
        ("missing_ours", rent["out_trade_no"])
    ]
    (exc,) = await _open(client, admin)
    assert (await client.post(resolve_url(exc["id"]), json={"action": "refund"},
                              headers=admin)).status_code == 200  # fmt: skip
    bill = (await client.get("/api/sandbox/payments/bill", params={"date": str(day)})).text
    assert f"`RF{exc['id']}" in bill and "`REFUND" in bill and f"`{rent['amount']}" in bill
    clean = await run()  # the payoff and the rent (given back) match, and so does the refund
    assert clean["mismatches"] == [] and clean["matched"] == 3
    assert clean["statement_refunds"] == clean["ours_refunds"] == rent["amount"]
    async with sessions_of(client)() as db:  # the provider loses the refund ...
        await db.execute(delete(SandboxProviderRefund))
        await db.commit()
    lost = await run()
    assert [(m["kind"], m["out_refund_no"]) for m in lost["mismatches"]] == [
        ("refund_missing_theirs", f"RF{exc['id']}")
    ]
    async with sessions_of(client)() as db:  # ... and lists one we never asked for
        await db.execute(delete(PaymentRefund))
        await db.commit()
    await sandbox_refunds.refund(sessions_of(client), settings, transaction_id=txn,
                                 out_refund_no="RF-NOT-OURS", refund_fen=100,
                                 total_fen=int(rent["amount"].replace(".", "")),
                                 currency="CNY", reason="?", now=now())  # fmt: skip
    theirs = await run()
    kinds = sorted((m["kind"], m["out_refund_no"]) for m in theirs["mismatches"])
    assert kinds == [("missing_ours", None), ("refund_missing_ours", "RF-NOT-OURS")]


async def test_a_dismissed_trade_stays_a_mismatch_with_its_note(client, settings):
    contract, _, payment, _ = await _short_paid(client, settings)
    admin = await login(client, "admin")
    (exc,) = await _open(client, admin)
    assert (await client.post(resolve_url(exc["id"]),
                              json={"action": "dismiss", "note": "已线下补差"},
                              headers=admin)).status_code == 200  # fmt: skip
    r = await client.post("/api/payments/reconciliation",
                          json={"date": str(business_date(now()))}, headers=admin)  # fmt: skip
    (m,) = r.json()["mismatches"]
    assert m["kind"] == "missing_ours" and "已线下补差" in m["detail"]
    # The query path leaves a payment with an exception alone (it has nothing to learn).
    later = now() + timedelta(minutes=5)
    await job.run_once(sessions_of(client), settings, later, in_process_send(client))
    async with sessions_of(client)() as db:
        assert (await db.get(Payment, payment["id"])).status == "created"
    await assert_books(client, contract["id"])
