"""Rotating an endpoint's secret: the new secret is shown once; deliveries carry a signature
with each secret until the old one expires, so a partner can switch at its own pace."""

from __future__ import annotations

from datetime import timedelta

import pytest

from common import webhooks
from common.webhooks import SignatureError
from tests.backend.helpers import login
from tests.backend.partners.helpers import START, MovingClock, enqueue, subscribed_contract, worker


async def _rotate(client, endpoint_id, hours):
    admin = await login(client, "admin")
    r = await client.post(f"/api/partners/endpoints/{endpoint_id}/rotate-secret",
                          json={"previous_valid_hours": hours}, headers=admin)  # fmt: skip
    assert r.status_code == 200, r.text
    return r.json()


async def test_both_secrets_sign_until_the_previous_one_expires(
    client, server, sessions, settings, pii
):
    contract_id, created = await subscribed_contract(client, server.url("ok"))
    old = created["secret"]
    rotated = await _rotate(client, created["endpoint"]["id"], 1)
    new = rotated["secret"]
    assert new != old and new.startswith("whsec_")
    assert rotated["endpoint"]["previous_secret_expires_at"] is not None

    clock = MovingClock()
    await enqueue(sessions, settings, pii, contract_id, "evt-during", START)
    await worker(sessions, settings, pii, clock).run_once()
    [during] = server.of("ok")
    header = during.headers["AutoLease-Signature"]
    assert header.count("v1=") == 2
    now = clock.now.timestamp()
    assert webhooks.verify(header, [old], during.body, now)  # a partner still on the old one
    assert webhooks.verify(header, [new], during.body, now)  # one already on the new one

    # the previous secret expires an hour after the rotation (the API's real clock)
    clock.now = START + timedelta(hours=2)
    await enqueue(sessions, settings, pii, contract_id, "evt-after", clock.now)
    await worker(sessions, settings, pii, clock).run_once()
    after = server.of("ok")[1]
    header = after.headers["AutoLease-Signature"]
    assert header.count("v1=") == 1
    assert webhooks.verify(header, [new], after.body, clock.now.timestamp())
    with pytest.raises(SignatureError, match="no_matching_signature"):
        webhooks.verify(header, [old], after.body, clock.now.timestamp())


async def test_a_rotation_without_overlap_stops_the_old_secret_at_once(
    client, server, sessions, settings, pii
):
    contract_id, created = await subscribed_contract(client, server.url("ok"))
    rotated = await _rotate(client, created["endpoint"]["id"], 0)
    assert rotated["endpoint"]["previous_secret_expires_at"] is None
    await enqueue(sessions, settings, pii, contract_id, "evt-now", START)
    await worker(sessions, settings, pii, MovingClock()).run_once()
    [got] = server.of("ok")
    header = got.headers["AutoLease-Signature"]
    assert header.count("v1=") == 1
    assert webhooks.verify(header, [rotated["secret"]], got.body, START.timestamp())
    with pytest.raises(SignatureError):
        webhooks.verify(header, [created["secret"]], got.body, START.timestamp())


async def test_a_rotation_window_is_bounded(client, server):
    _, created = await subscribed_contract(client, server.url("ok"))
    admin = await login(client, "admin")
    for hours in (-1, 24 * 7 + 1):
        r = await client.post(f"/api/partners/endpoints/{created['endpoint']['id']}/rotate-secret",
                              json={"previous_valid_hours": hours}, headers=admin)  # fmt: skip
        assert r.status_code == 400, r.text
