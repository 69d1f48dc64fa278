"""Delivering an event to a partner: enqueued once per endpoint in the caller's transaction,
signed, sent to a real HTTP server on 127.0.0.1 (the demo receiver's place in demo mode),
retried on the schedule when the partner fails or is slow, given up after it, and resent by hand.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import func, select

from backend.db.models import PartnerSms, WebhookAttempt, WebhookDelivery
from common import webhooks
from tests.backend.helpers import login
from tests.backend.partners.helpers import (
    START,
    MovingClock,
    a_contract,
    attach,
    endpoint,
    enqueue,
    partner,
    subscribed_contract,
    worker,
)


async def _delivery(sessions, delivery_id):
    async with sessions() as db:
        return await db.get(WebhookDelivery, delivery_id)


async def test_a_subscribed_endpoint_receives_the_event_signed_with_its_secret(
    client, server, sessions, settings, pii
):
    contract_id, created = await subscribed_contract(client, server.url("ok"))
    clock = MovingClock()
    [delivery_id] = await enqueue(sessions, settings, pii, contract_id, "evt-1", START)

    assert await worker(sessions, settings, pii, clock).run_once() == {"delivered": 1}

    [got] = server.of("ok")
    t = webhooks.verify(got.headers["AutoLease-Signature"], [created["secret"]], got.body,
                        now=START.timestamp())  # fmt: skip
    assert t == int(START.timestamp())
    assert got.headers["AutoLease-Event-Id"] == "evt-1"
    assert got.headers["AutoLease-Event-Type"] == "alert.opened"
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["Host"] == server.origin.removeprefix("http://")
    body = json.loads(got.body)
    created_at = START.isoformat().replace("+00:00", "Z")
    assert body == {"id": "evt-1", "type": "alert.opened", "created_at": created_at,
                    "contract_id": contract_id,
                    "data": {"alert_id": "evt-1", "severity": "high"}}  # fmt: skip
    d = await _delivery(sessions, delivery_id)
    assert (d.status, d.attempts, d.last_status_code, d.delivered_at) == (
        "delivered", 1, 200, START,
    )  # fmt: skip
    assert d.claim_token is None and d.locked_until is None
    # nothing is due any more
    assert await worker(sessions, settings, pii, clock).run_once() == {}
    assert len(server.of("ok")) == 1


async def test_an_event_is_enqueued_once_per_endpoint_however_often_it_is_enqueued(
    client, server, sessions, settings, pii
):
    contract_id, _ = await subscribed_contract(client, server.url("ok"))
    first = await enqueue(sessions, settings, pii, contract_id, "evt-once", START)
    again = await enqueue(sessions, settings, pii, contract_id, "evt-once", START)
    assert len(first) == 1 and again == []
    async with sessions() as db:
        n = await db.scalar(select(func.count()).select_from(WebhookDelivery))
        texts = await db.scalar(select(func.count()).select_from(PartnerSms))
    assert (n, texts) == (1, 1)


async def test_only_active_endpoints_subscribed_to_the_event_type_get_it(
    client, server, sessions, settings, pii
):
    contract_id = await a_contract(client)
    logistics = await partner(client, "logistics")
    insurer = await partner(client, "insurer", "测试保险")
    await endpoint(client, logistics, server.url("ok"), ["alert.*"])
    await endpoint(client, insurer, server.url("ok"), ["alert.opened"])
    off = await endpoint(client, insurer, server.url("ok"), ["alert.*"])
    admin = await login(client, "admin")
    r = await client.patch(f"/api/partners/endpoints/{off['endpoint']['id']}",
                           json={"active": False}, headers=admin)  # fmt: skip
    assert r.status_code == 200 and r.json()["active"] is False
    await attach(client, contract_id, logistics, "logistics")
    await attach(client, contract_id, insurer, "insurer", mobile="13700008888")

    opened = await enqueue(sessions, settings, pii, contract_id, "e1", START, "alert.opened")
    resolved = await enqueue(sessions, settings, pii, contract_id, "e2", START, "alert.resolved")
    assert (len(opened), len(resolved)) == (2, 1)
    # a contract without partners notifies no one
    other = await a_contract(client)
    assert await enqueue(sessions, settings, pii, other, "e3", START) == []


async def test_the_named_contacts_are_texted_once_for_their_event_types(
    client, server, sessions, settings, pii
):
    contract_id, _ = await subscribed_contract(client, server.url("ok"))
    await enqueue(sessions, settings, pii, contract_id, "evt-sms", START, "alert.opened")
    await enqueue(sessions, settings, pii, contract_id, "evt-sms", START, "alert.opened")
    await enqueue(sessions, settings, pii, contract_id, "evt-ack", START, "alert.acknowledged")
    r = await client.get("/api/sandbox/sms", params={"mobile": "13700009999"})
    texts = [m for m in r.json() if m["purpose"] == "partner_alert"]
    assert len(texts) == 1, texts  # once, and not for alert.acknowledged (not subscribed)
    assert "车辆预警" in texts[0]["text"] and "evt-sms" in texts[0]["text"]


async def test_a_failing_partner_is_retried_on_the_schedule_then_given_up(
    client, server, sessions, settings, pii
):
    contract_id, _ = await subscribed_contract(client, server.url("fail"))
    clock = MovingClock()
    [delivery_id] = await enqueue(sessions, settings, pii, contract_id, "evt-500", START)
    w = worker(sessions, settings, pii, clock)
    waits = []
    for _ in range(webhooks.MAX_ATTEMPTS):
        counts = await w.run_once()
        d = await _delivery(sessions, delivery_id)
        assert d.last_status_code == 500 and d.last_error_code == "http_error"
        if d.next_attempt_at is None:
            break
        assert counts == {"failed": 1}
        # not before its time
        clock.now = d.next_attempt_at - (d.next_attempt_at - clock.now) / 2
        assert await w.run_once() == {}
        waits.append((d.next_attempt_at - d.last_attempt_at).total_seconds())
        clock.now = d.next_attempt_at
    assert waits == [30, 120, 600, 3600, 21600]
    assert (d.status, d.attempts) == ("gave_up", 6)
    assert len(server.of("fail")) == 6
    clock.advance(10 * 86400)
    assert await w.run_once() == {}  # given up: never again by itself
    async with sessions() as db:
        attempts = list(
            await db.scalars(
                select(WebhookAttempt.status_code)
                .where(WebhookAttempt.delivery_id == delivery_id)
                .order_by(WebhookAttempt.number)
            )
        )
    assert attempts == [500] * 6


async def test_a_slow_partner_times_out_and_is_retried(client, server, sessions, settings, pii):
    contract_id, _ = await subscribed_contract(client, server.url("slow"))
    clock = MovingClock()
    [delivery_id] = await enqueue(sessions, settings, pii, contract_id, "evt-slow", START)
    assert await worker(sessions, settings, pii, clock).run_once() == {"failed": 1}
    d = await _delivery(sessions, delivery_id)
    assert (d.status, d.last_error_code, d.last_status_code) == ("failed", "timeout", None)
    assert (d.next_attempt_at - START).total_seconds() == 30


async def test_a_redirect_is_not_followed(client, server, sessions, settings, pii):
    contract_id, _ = await subscribed_contract(client, server.url("redirect"))
    [delivery_id] = await enqueue(sessions, settings, pii, contract_id, "evt-302", START)
    assert await worker(sessions, settings, pii, MovingClock()).run_once() == {"failed": 1}
    d = await _delivery(sessions, delivery_id)
    assert (d.last_status_code, d.last_error_code) == (302, "redirect_refused")
    assert server.of("ok") == []  # the redirect's target on 127.0.0.1 never got a request


async def test_a_huge_answer_is_read_only_up_to_the_cap(client, server, sessions, settings, pii):
    contract_id, _ = await subscribed_contract(client, server.url("big"))
    await enqueue(sessions, settings, pii, contract_id, "evt-big", START)
    assert await worker(sessions, settings, pii, MovingClock()).run_once() == {"delivered": 1}


async def test_a_given_up_delivery_is_sent_again_by_hand_with_a_fresh_schedule(
    client, server, sessions, settings, pii
):
    contract_id, _ = await subscribed_contract(client, server.url("fail"))
    clock = MovingClock()
    [delivery_id] = await enqueue(sessions, settings, pii, contract_id, "evt-again", START)
    w = worker(sessions, settings, pii, clock)
    for _ in range(webhooks.MAX_ATTEMPTS):
        await w.run_once()
        clock.advance(7 * 3600)
    assert (await _delivery(sessions, delivery_id)).status == "gave_up"

    monitor = await login(client, "monitor")
    r = await client.post(f"/api/partners/deliveries/{delivery_id}/retry", headers=monitor)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "pending"
    assert await w.run_once() == {"failed": 1}  # failed again: 30 s, not given up
    d = await _delivery(sessions, delivery_id)
    assert (d.status, d.attempts, d.total_attempts) == ("failed", 1, 7)
    r = await client.get(f"/api/partners/deliveries/{delivery_id}", headers=monitor)
    assert [a["number"] for a in r.json()["history"]] == [1, 2, 3, 4, 5, 6, 7]


async def test_a_delivered_delivery_is_not_sent_again(client, server, sessions, settings, pii):
    contract_id, _ = await subscribed_contract(client, server.url("ok"))
    [delivery_id] = await enqueue(sessions, settings, pii, contract_id, "evt-done", START)
    await worker(sessions, settings, pii, MovingClock()).run_once()
    monitor = await login(client, "monitor")
    r = await client.post(f"/api/partners/deliveries/{delivery_id}/retry", headers=monitor)
    assert (r.status_code, r.json()["code"]) == (409, "delivery_already_delivered")


async def test_a_delivery_being_sent_cannot_be_retried_and_is_not_claimed_twice(
    client, server, sessions, settings, pii
):
    from backend.partners import outbox

    contract_id, _ = await subscribed_contract(client, server.url("ok"))
    now = datetime.now(UTC)  # the API's clock is the real one
    [delivery_id] = await enqueue(sessions, settings, pii, contract_id, "evt-lease", now)
    w = worker(sessions, settings, pii, MovingClock(now))
    async with sessions() as db:
        [held] = await outbox.claim(db, pii, now, limit=5, lease=w.lease)
        await db.commit()
    assert held.delivery_id == delivery_id
    async with sessions() as db:  # a second worker, meanwhile: nothing to claim
        assert await outbox.claim(db, pii, now, limit=5, lease=w.lease) == []
    monitor = await login(client, "monitor")
    r = await client.post(f"/api/partners/deliveries/{delivery_id}/retry", headers=monitor)
    assert (r.status_code, r.json()["code"]) == (409, "delivery_in_flight")


async def test_a_switched_off_endpoint_gets_nothing_until_it_is_switched_on(
    client, server, sessions, settings, pii
):
    contract_id, created = await subscribed_contract(client, server.url("ok"))
    [delivery_id] = await enqueue(sessions, settings, pii, contract_id, "evt-off", START)
    admin = await login(client, "admin")
    path = f"/api/partners/endpoints/{created['endpoint']['id']}"
    assert (await client.patch(path, json={"active": False}, headers=admin)).status_code == 200
    w = worker(sessions, settings, pii, MovingClock())
    assert await w.run_once() == {}
    assert (await _delivery(sessions, delivery_id)).status == "pending"
    assert (await client.patch(path, json={"active": True}, headers=admin)).status_code == 200
    assert await w.run_once() == {"delivered": 1}
