"""The provider's payment notification, every case, on both databases: a notification that is
genuine posts its payment once; a duplicate, a reordered pair, a replay, a forgery, a wrong
amount or merchant, an unknown payment each get a clear answer and post nothing more; a payment
whose notification never comes is settled by the query path. The books balance after each."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from backend.db.models import Payment, PaymentException, SandboxProviderOrder
from backend.payments import job, query, sandbox
from common import payments as wire
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


def now() -> datetime:
    return datetime.now(UTC)


async def _paid_order(client, settings, option="next", amount=None):
    contract, lessee = await active_contract(client, settings)
    r = await create(client, lessee, contract["id"], option, amount)
    assert r.status_code == 201, r.text
    payment = r.json()
    txn = await pay(client, payment["out_trade_no"], now())
    return contract, lessee, payment, txn


async def _status(client, lessee, payment_id):
    r = await client.get(f"/api/payments/{payment_id}", headers=lessee)
    assert r.status_code == 200, r.text
    return r.json()


async def test_the_pay_page_and_the_notifier_post_the_payment_once(client, settings):
    contract, lessee = await active_contract(client, settings)
    r = await create(client, lessee, contract["id"], "next")
    assert r.status_code == 201, r.text
    payment = r.json()
    assert payment["status"] == "created" and payment["status_label"] == "待支付"
    assert payment["pay_url"].endswith(f"/api/sandbox/pay/{payment['out_trade_no']}")
    page = await client.get(f"/api/sandbox/pay/{payment['out_trade_no']}")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert all(word in page.text for word in ("支付", "取消", "模拟失败", payment["amount"]))
    paid_page = await client.post(f"/api/sandbox/pay/{payment['out_trade_no']}/pay")
    assert paid_page.status_code == 200 and "支付成功" in paid_page.text
    acked, _ = await job.run_once(sessions_of(client), settings, now(), in_process_send(client))
    assert acked == 1
    view = await _status(client, lessee, payment["id"])
    assert view["status"] == "paid" and view["status_label"] == "已支付"
    assert view["pay_url"] is None and view["receipt_number"].startswith("SJ")
    # The notifier is done with it: a second run sends nothing.
    assert (await job.run_once(sessions_of(client), settings, now(),
                               in_process_send(client)))[0] == 0  # fmt: skip
    listed = await client.get(f"/api/contracts/{contract['id']}/payments", headers=lessee)
    assert [p["id"] for p in listed.json()] == [payment["id"]]
    await assert_books(client, contract["id"])


async def test_a_duplicate_answers_success_and_posts_nothing(client, settings):
    contract, _, payment, _ = await _paid_order(client, settings)
    headers, body = await signed(client, settings, payment["out_trade_no"], now())
    first = await deliver(client, headers, body)
    again = await deliver(client, headers, body)
    fresh = await deliver(client, *await signed(client, settings, payment["out_trade_no"], now()))
    for r in (first, again, fresh):
        assert r.status_code == 200 and r.json()["code"] == "SUCCESS", r.text
    async with sessions_of(client)() as db:
        assert len(await repayments(db, contract["id"])) == 1
        row = await db.get(Payment, payment["id"])
        assert row.notified_count == 1  # the later ones found it paid and wrote nothing
    await assert_books(client, contract["id"])


async def test_reordered_notifications_post_both_and_the_second_pays_ahead(client, settings):
    contract, lessee = await active_contract(client, settings)
    a = (await create(client, lessee, contract["id"], "next", key="a")).json()
    b = (await create(client, lessee, contract["id"], "next", key="b")).json()
    assert a["id"] != b["id"] and a["amount"] == b["amount"]  # both for the same instalment
    for p in (a, b):
        await pay(client, p["out_trade_no"], now())
    for p in (b, a):  # the later payment's notification arrives first
        r = await deliver(client, *await signed(client, settings, p["out_trade_no"], now()))
        assert r.status_code == 200, r.text
    schedule = (await client.get(f"/api/contracts/{contract['id']}/schedule",
                                 headers=lessee)).json()  # fmt: skip
    assert [row["status"] for row in schedule[:2]] == ["paid", "paid"]  # the next rent too
    await assert_books(client, contract["id"])


async def test_an_old_timestamp_is_a_replay(client, settings):
    contract, _, payment, _ = await _paid_order(client, settings)
    old = now() - timedelta(minutes=6)
    r = await deliver(client, *await signed(client, settings, payment["out_trade_no"], old))
    assert r.status_code == 400 and r.json()["code"] == "notify_replayed"
    async with sessions_of(client)() as db:
        assert await repayments(db, contract["id"]) == []
    await assert_books(client, contract["id"])


async def test_a_forged_signature_or_an_unknown_serial_is_refused(client, settings):
    contract, _, payment, _ = await _paid_order(client, settings)
    headers, body = await signed(client, settings, payment["out_trade_no"], now())
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = {
        **headers,
        "Wechatpay-Signature": wire.sign(
            other, headers["Wechatpay-Timestamp"], headers["Wechatpay-Nonce"], body
        ),
    }
    tampered = body.replace(b'"summary"', b'"Summary"')
    for h, b in ((forged, body), ({**headers, "Wechatpay-Serial": "00FF"}, body),
                 (headers, tampered), ({}, body)):  # fmt: skip
        r = await deliver(client, h, b)
        assert r.status_code == 401 and r.json()["code"] == "notify_signature_invalid", r.text
    async with sessions_of(client)() as db:
        assert await repayments(db, contract["id"]) == []
    assert (await deliver(client, headers, body)).status_code == 200  # the genuine one posts
    await assert_books(client, contract["id"])


async def test_a_wrong_amount_or_merchant_is_kept_not_posted(client, settings):
    contract, lessee, payment, txn = await _paid_order(client, settings)
    fen = int(payment["amount"].replace(".", ""))
    async with sessions_of(client)() as db:
        t = sandbox.transaction(await sandbox.order(db, payment["out_trade_no"]))
    cases = (
        ("payment_amount_differs", {"amount": {**t["amount"], "total": fen - 1}}),
        ("payment_currency_differs", {"amount": {**t["amount"], "currency": "USD"}}),
        ("payment_merchant_differs", {"mchid": "1900000999"}),
    )
    for code, change in cases:
        for _ in range(2):  # the provider retries: one exception row, counted twice
            r = await deliver(client, *await signed(client, settings, payment["out_trade_no"],
                                                    now(), **change))  # fmt: skip
            assert r.status_code == 422 and r.json()["code"] == code, r.text
    async with sessions_of(client)() as db:
        kept = list(await db.scalars(select(PaymentException).order_by(PaymentException.kind)))
        assert [(x.kind, x.seen_count, x.provider_txn_id) for x in kept] == [
            ("amount_differs", 2, txn),
            ("currency_differs", 2, txn),
            ("merchant_differs", 2, txn),
        ]
        assert await repayments(db, contract["id"]) == []
    assert (await _status(client, lessee, payment["id"]))["status"] == "created"
    await assert_books(client, contract["id"])


async def test_an_unknown_payment_answers_404(client, settings):
    contract, _, payment, _ = await _paid_order(client, settings)
    r = await deliver(client, *await signed(client, settings, payment["out_trade_no"], now(),
                                            out_trade_no="AL20260101000000FFFFFFFFFF"))  # fmt: skip
    assert r.status_code == 404 and r.json()["code"] == "payment_unknown"
    await assert_books(client, contract["id"])


async def test_a_provider_that_never_notifies_is_settled_by_the_query_path(client, settings):
    contract, lessee, payment, txn = await _paid_order(client, settings)
    later = now() + timedelta(minutes=2)
    assert await query.settle_stale(sessions_of(client), now(), settings) == 0  # too young
    assert await query.settle_stale(sessions_of(client), later, settings) == 1
    assert await query.settle_stale(sessions_of(client), later, settings) == 0
    view = await _status(client, lessee, payment["id"])
    assert view["status"] == "paid"
    # The notification arriving after all is a duplicate.
    r = await deliver(client, *await signed(client, settings, payment["out_trade_no"], now()))
    assert r.status_code == 200 and r.json()["code"] == "SUCCESS"
    async with sessions_of(client)() as db:
        assert len(await repayments(db, contract["id"])) == 1
        assert (await db.get(Payment, payment["id"])).provider_txn_id == txn
    await assert_books(client, contract["id"])


async def test_refresh_settles_a_paid_one_and_closes_a_cancelled_one(client, settings):
    contract, lessee = await active_contract(client, settings)
    paid = (await create(client, lessee, contract["id"], "next", key="p")).json()
    cancelled = (await create(client, lessee, contract["id"], "custom", "10.00", key="c")).json()
    failed = (await create(client, lessee, contract["id"], "custom", "12.00", key="f")).json()
    await pay(client, paid["out_trade_no"], now())
    assert (
        await client.post(f"/api/sandbox/pay/{cancelled['out_trade_no']}/cancel")
    ).status_code == 200
    assert (await client.post(f"/api/sandbox/pay/{failed['out_trade_no']}/fail")).status_code == 200
    again = await client.post(f"/api/sandbox/pay/{failed['out_trade_no']}/pay")
    assert again.status_code == 409 and again.json()["code"] == "sandbox_order_closed"
    for p, status in ((paid, "paid"), (cancelled, "cancelled"), (failed, "failed")):
        r = await client.post(f"/api/payments/{p['id']}/refresh", headers=lessee)
        assert r.status_code == 200 and r.json()["status"] == status, r.text
    await assert_books(client, contract["id"])


async def test_the_dev_route_resends_concurrently_through_the_real_handler(client, settings):
    contract, _, _, txn = await _paid_order(client, settings)
    r = await client.post(f"/api/sandbox/payments/{txn}/notify", params={"times": 20})
    assert r.status_code == 200, r.text
    assert r.json()["answers"] == {"posted": 1, "duplicate": 19}
    async with sessions_of(client)() as db:
        assert len(await repayments(db, contract["id"])) == 1
        order = await db.scalar(select(SandboxProviderOrder))
        assert order.transaction_id == txn
    await assert_books(client, contract["id"])


async def test_the_app_runs_the_payment_job_in_its_lifespan(client, settings):
    """With the job on, a paid order is settled without anyone asking: the notifier tries (the
    test server's URL answers nothing, so the attempt is counted and rescheduled) and the query
    path settles it."""
    from litestar.testing import AsyncTestClient

    from backend.app import create_app

    contract, lessee, payment, _ = await _paid_order(client, settings)
    live = settings.with_(payments_job_interval_s=0.2, payments_query_after_s=0)
    async with AsyncTestClient(app=create_app(live), base_url="http://testserver.local") as c:
        for _ in range(100):
            view = await _status(c, lessee, payment["id"])
            if view["status"] == "paid":
                break
            await asyncio.sleep(0.1)
    assert view["status"] == "paid"
    async with sessions_of(client)() as db:
        order = await db.scalar(select(SandboxProviderOrder))
        assert order.notify_attempts >= 1 and order.acked_at is None
    await assert_books(client, contract["id"])
