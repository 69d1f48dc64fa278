"""The partner API: the admin manages partners, endpoints and a contract's partners; the monitor
reads the delivery log and resends; no one else gets in. Secrets are shown once; contacts are
masked; the demo receiver verifies what it gets and shows it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from backend.db.models import ContractPartner, WebhookEndpoint
from backend.partners import controllers, keys
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

OTHERS = ("staff", "dealer", "lessee", "risk")


async def test_only_the_admin_manages_partners_and_endpoints(client, server):
    org_id = await partner(client)
    created = await endpoint(client, org_id, server.url("ok"))
    endpoint_id = created["endpoint"]["id"]
    writes = [
        ("POST", "/api/partners/organisations", {"name": "x", "kind": "insurer"}),
        ("GET", "/api/partners/organisations", None),
        ("POST", f"/api/partners/organisations/{org_id}/endpoints",
         {"url": server.url("ok"), "event_types": ["alert.*"]}),
        ("GET", f"/api/partners/organisations/{org_id}/endpoints", None),
        ("PATCH", f"/api/partners/endpoints/{endpoint_id}", {"active": False}),
        ("POST", f"/api/partners/endpoints/{endpoint_id}/rotate-secret", {}),
        ("PUT", f"/api/partners/contracts/{'0' * 32}/logistics",
         {"organisation_id": org_id, "contact_name": "刘洋", "contact_mobile": "13700009999"}),
    ]  # fmt: skip
    for user in (*OTHERS, "monitor"):
        headers = await login(client, user)
        for method, path, body in writes:
            r = await client.request(method, path, json=body, headers=headers)
            assert (r.status_code, r.json()["code"]) == (403, "forbidden"), (user, path)
    r = await client.get("/api/partners/organisations")
    assert r.status_code == 401


async def test_only_monitors_and_admins_read_the_delivery_log_and_resend(client):
    reads = [("GET", "/api/partners/deliveries"), ("GET", f"/api/partners/deliveries/{'0' * 32}"),
             ("POST", f"/api/partners/deliveries/{'0' * 32}/retry"),
             ("GET", f"/api/partners/contracts/{'0' * 32}")]  # fmt: skip
    for user in OTHERS:
        headers = await login(client, user)
        for method, path in reads:
            r = await client.request(method, path, headers=headers)
            assert r.status_code == 403, (user, path)
    for user in ("monitor", "admin"):
        headers = await login(client, user)
        assert (await client.get("/api/partners/deliveries", headers=headers)).status_code == 200
        r = await client.post(f"/api/partners/deliveries/{'0' * 32}/retry", headers=headers)
        assert (r.status_code, r.json()["code"]) == (404, "delivery_not_found")


async def test_the_secret_is_shown_at_creation_only_and_kept_sealed(client, server, sessions, pii):
    org_id = await partner(client)
    created = await endpoint(client, org_id, server.url("ok"), ["alert.opened", "alert.opened"])
    secret = created["secret"]
    assert secret.startswith("whsec_") and len(secret) >= 40
    assert created["endpoint"]["event_types"] == ["alert.opened"]
    admin = await login(client, "admin")
    r = await client.get(f"/api/partners/organisations/{org_id}/endpoints", headers=admin)
    assert secret not in r.text and "secret" not in r.json()[0]
    async with sessions() as db:
        row = await db.scalar(select(WebhookEndpoint))
    assert secret not in row.secret_enc
    assert pii.decrypt(row.secret_enc, context=keys.CONTEXT) == secret
    r = await client.get("/api/partners/organisations", headers=admin)
    listed = {p["id"]: p for p in r.json()}
    assert listed[org_id]["endpoints"] == 1
    assert {"org-logistics", "org-insurer"} <= set(listed)  # the seeded partners
    assert "org-lessor" not in listed and "org-shop-east" not in listed


async def test_partners_are_logistics_companies_or_insurers(client):
    admin = await login(client, "admin")
    for kind in ("dealer", "funder", "lessor", ""):
        r = await client.post("/api/partners/organisations", json={"name": "x", "kind": kind},
                              headers=admin)  # fmt: skip
        assert r.status_code == 400, kind
    r = await client.post("/api/partners/organisations/org-shop-east/endpoints",
                          json={"url": "https://partner.example/", "event_types": ["alert.*"]},
                          headers=admin)  # fmt: skip
    assert (r.status_code, r.json()["code"]) == (404, "partner_not_found")


@pytest.mark.parametrize(
    "event_types", [[], ["*"], ["Alert.opened"], ["alert."], ["alert.*.x"], ["a" * 120]]
)
async def test_subscriptions_must_be_event_types_or_families(client, event_types):
    org_id = await partner(client)
    admin = await login(client, "admin")
    r = await client.post(f"/api/partners/organisations/{org_id}/endpoints",
                          json={"url": "https://partner.example/", "event_types": event_types},
                          headers=admin)  # fmt: skip
    assert r.status_code == 400, r.text


async def test_a_contract_gets_one_partner_per_role_with_a_masked_contact(client, sessions, pii):
    contract_id = await a_contract(client)
    first, second = await partner(client), await partner(client, name="第二物流")
    view = await attach(client, contract_id, first)
    assert (view["contact_name"], view["contact_mobile"]) == ("刘*", "137****9999")
    await attach(client, contract_id, second, mobile="13700001234")  # replaces the first
    monitor = await login(client, "monitor")
    r = await client.get(f"/api/partners/contracts/{contract_id}", headers=monitor)
    [only] = r.json()
    assert (only["organisation_id"], only["contact_mobile"]) == (second, "137****1234")
    async with sessions() as db:
        row = await db.scalar(select(ContractPartner))
    assert "13700001234" not in row.contact_mobile_enc and "刘洋" not in row.contact_name_enc


async def test_attaching_checks_the_contract_the_partner_and_the_role(client):
    contract_id = await a_contract(client)
    insurer = await partner(client, "insurer", "测试保险")
    admin = await login(client, "admin")
    body = {"organisation_id": insurer, "contact_name": "黄静", "contact_mobile": "13700002222"}
    cases = [
        (f"/api/partners/contracts/{contract_id}/logistics", body, 422, "partner_role_mismatch"),
        (f"/api/partners/contracts/{'0' * 32}/insurer", body, 404, "contract_not_found"),
        (f"/api/partners/contracts/{contract_id}/funder", body, 404, "not_found"),
        (f"/api/partners/contracts/{contract_id}/insurer",
         {**body, "organisation_id": "org-shop-east"}, 404, "partner_not_found"),
        (f"/api/partners/contracts/{contract_id}/insurer",
         {**body, "contact_mobile": "12345"}, 400, None),
        (f"/api/partners/contracts/{contract_id}/insurer",
         {**body, "contact_name": "   "}, 400, None),
    ]  # fmt: skip
    for path, data, status, code in cases:
        r = await client.put(path, json=data, headers=admin)
        assert r.status_code == status, (path, r.text)
        if code:
            assert r.json()["code"] == code
    r = await client.get(f"/api/partners/contracts/{contract_id}", headers=admin)
    assert r.json() == []  # nothing half-written


async def test_the_delivery_log_filters_by_event_contract_and_status(
    client, server, sessions, settings, pii
):
    contract_id, _ = await subscribed_contract(client, server.url("ok"))
    await enqueue(sessions, settings, pii, contract_id, "evt-a", START)
    await worker(sessions, settings, pii, MovingClock()).run_once()
    await enqueue(sessions, settings, pii, contract_id, "evt-b", START)
    monitor = await login(client, "monitor")

    async def ids(**params):
        r = await client.get("/api/partners/deliveries", params=params, headers=monitor)
        assert r.status_code == 200, r.text
        return sorted(d["event_id"] for d in r.json())

    assert await ids() == ["evt-a", "evt-b"]
    assert await ids(event_id="evt-a") == ["evt-a"]
    assert await ids(status="delivered") == ["evt-a"]
    assert await ids(status="pending") == ["evt-b"]
    assert await ids(contract_id=contract_id, status="gave_up") == []
    assert await ids(contract_id="0" * 32) == []
    r = await client.get("/api/partners/deliveries", params={"status": "lost"}, headers=monitor)
    assert r.status_code == 400


async def test_an_alerts_deliveries_are_its_events_only(client, server, sessions, settings, pii):
    """An alert's events are `{alert id}:{what}`: the alert's screen lists exactly those."""
    contract_id, _ = await subscribed_contract(client, server.url("ok"))
    for event_id in ["a1b2:opened", "a1b2:acknowledged", "a1b2x:opened", "%:opened"]:
        await enqueue(sessions, settings, pii, contract_id, event_id, START)
    monitor = await login(client, "monitor")

    async def ids(alert_id):
        r = await client.get("/api/partners/deliveries", params={"alert_id": alert_id},
                             headers=monitor)  # fmt: skip
        assert r.status_code == 200, r.text
        return sorted(d["event_id"] for d in r.json())

    assert await ids("a1b2") == ["a1b2:acknowledged", "a1b2:opened"]
    assert await ids("%") == ["%:opened"]  # a wildcard is a character, not a pattern
    assert await ids("a1") == []
    r = await client.get("/api/partners/deliveries", params={"alert_id": "x" * 65},
                         headers=monitor)  # fmt: skip
    assert r.status_code == 400


async def test_the_demo_receiver_verifies_what_the_worker_sent_and_lists_it(
    client, server, sessions, settings, pii
):
    contract_id, _ = await subscribed_contract(client, server.url("ok"))
    now = datetime.now(UTC)  # signed now: within the tolerance of the receiver's (real) clock
    await enqueue(sessions, settings, pii, contract_id, "evt-demo", now)
    await worker(sessions, settings, pii, MovingClock(now)).run_once()
    [sent] = server.of("ok")  # the bytes and headers the worker sent, replayed to the backend
    headers = {k: v for k, v in sent.headers.items() if k.lower().startswith("autolease-")}
    r = await client.post("/api/demo/webhook-receiver/ok", content=sent.body, headers=headers)
    assert r.status_code == 200 and r.json()["verified"] is True, r.text
    forged = {**headers, "AutoLease-Signature": f"t={int(now.timestamp())},v1={'0' * 64}"}
    r = await client.post("/api/demo/webhook-receiver/ok", content=sent.body, headers=forged)
    assert (r.status_code, r.json()["reason"]) == (400, "no_matching_signature")
    r = await client.post("/api/demo/webhook-receiver/nobody", content=sent.body, headers=headers)
    assert (r.status_code, r.json()["reason"]) == (400, "no_secret")

    page = await client.get("/demo/webhook-receiver")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.text.count("通过 yes") == 1 and page.text.count("未通过 no") == 2
    assert "evt-demo" in page.text and "alert.opened" in page.text
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp


async def test_the_demo_receiver_escapes_what_it_shows(client):
    r = await client.post("/api/demo/webhook-receiver/ok", content=b"<script>alert(1)</script>",
                          headers={"AutoLease-Event-Id": "<b>x</b>"})  # fmt: skip
    assert r.status_code == 400
    page = await client.get("/demo/webhook-receiver")
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;" in page.text
    assert "<b>x</b>" not in page.text


def test_outside_demo_mode_there_is_no_demo_receiver(settings):
    """With real providers (a real deployment) only the partner API is served."""
    assert controllers.routes(settings.with_(providers="real")) == [controllers.PartnerController]
    assert len(controllers.routes(settings)) == 3


async def test_the_apps_client_reads_the_delivery_log_and_resends(
    client, server, sessions, settings, pii
):
    from app_mobile.api import ApiClient, ApiError

    contract_id, _ = await subscribed_contract(client, server.url("fail"))
    await enqueue(sessions, settings, pii, contract_id, "evt-app", START)
    await worker(sessions, settings, pii, MovingClock()).run_once()
    api = ApiClient("http://testserver.local", http=client)
    await api.login("monitor", "demo")
    [d] = await api.partner_deliveries(contract_id=contract_id, status="failed")
    assert (d.event_id, d.last_status_code, d.attempts) == ("evt-app", 500, 1)
    assert [a.status_code for a in (await api.partner_delivery(d.id)).history] == [500]
    assert (await api.retry_partner_delivery(d.id)).status == "pending"
    [p] = await api.contract_partners(contract_id)
    assert p.contact_mobile == "137****9999"
    with pytest.raises(ApiError) as raised:
        await api.retry_partner_delivery("0" * 32)
    assert raised.value.code == "delivery_not_found"
