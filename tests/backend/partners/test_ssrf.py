"""Webhooks go only to the public internet over https: refused at creation when the URL alone
tells (the scheme, an address literal), and at every send after resolving the name ourselves
(an injected resolver makes a name resolve to the address under test). The connection goes to
the address that was vetted, with the name as Host, and the name is resolved once per send."""

from __future__ import annotations

from ipaddress import ip_address

import pytest
from sqlalchemy import func, select

from backend.db.models import WebhookEndpoint
from backend.partners import sender
from backend.partners.ssrf import Refused, UrlPolicy, parse
from tests.backend.helpers import login
from tests.backend.partners.helpers import (
    FAST,
    START,
    MovingClock,
    a_contract,
    attach,
    endpoint,
    enqueue,
    partner,
    worker,
)

PUBLIC = "https://partner.example/hooks/autolease"
CLASSES = [
    ("127.0.0.1", "loopback"),
    ("127.255.0.9", "loopback"),
    ("::1", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("192.168.1.10", "private"),
    ("fc00::1", "private"),
    ("169.254.1.1", "link_local"),
    ("fe80::1", "link_local"),
    ("169.254.169.254", "metadata"),
    ("fd00:ec2::254", "metadata"),
    ("224.0.0.1", "multicast"),
    ("ff02::1", "multicast"),
    ("240.0.0.1", "reserved"),
    ("0.0.0.0", "unspecified"),
    ("::", "unspecified"),
    ("100.64.0.1", "shared"),
    ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
    ("::ffff:169.254.169.254", "metadata"),
    ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
]


def resolving_to(*addresses: str):
    calls: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        calls.append(host)
        return list(addresses)

    resolve.calls = calls  # type: ignore[attr-defined]
    return resolve


@pytest.mark.parametrize(("address", "reason"), CLASSES)
async def test_a_name_resolving_to_a_non_public_address_is_refused_before_connecting(
    address, reason
):
    got = await sender.post(UrlPolicy(), resolving_to(address), PUBLIC, {}, b"{}", FAST)
    assert got.error_code == "ssrf_refused"
    assert got.error == f"{reason} address {ip_address(address)}"
    assert not got.delivered and got.status_code is None


@pytest.mark.parametrize(("address", "reason"), CLASSES)
async def test_an_address_literal_of_each_class_is_refused(address, reason):
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(Refused) as refused:
        await UrlPolicy().vet(f"https://{host}/hook", resolving_to())
    expected = ("ssrf_refused", f"{reason} address {ip_address(address)}")
    assert (refused.value.code, refused.value.detail) == expected


async def test_one_bad_address_among_good_ones_refuses_the_name():
    resolve = resolving_to("93.184.216.34", "10.0.0.7")
    got = await sender.post(UrlPolicy(), resolve, PUBLIC, {}, b"{}", FAST)
    assert (got.error_code, got.error) == ("ssrf_refused", "private address 10.0.0.7")


async def test_a_public_address_is_accepted_and_pinned():
    target = await UrlPolicy().vet(PUBLIC, resolving_to("93.184.216.34"))
    assert target.connect_url == "https://93.184.216.34:443/hooks/autolease"
    assert target.parsed.host_header == "partner.example"


async def test_a_name_that_does_not_resolve_is_a_dns_failure():
    async def nxdomain(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    got = await sender.post(UrlPolicy(), nxdomain, PUBLIC, {}, b"{}", FAST)
    assert got.error_code == "dns_failed"


@pytest.mark.parametrize(
    "url",
    [
        "http://partner.example/hook",  # not https
        "ftp://partner.example/hook",
        "https://user:secret@partner.example/hook",
        "https://localhost/hook",
        "https://intranet/hook",  # a single-label name
        "https://2130706433/hook",  # 127.0.0.1 as one number
        "https://0x7f.1/hook",
        "https://127.1/hook",
        "https:///hook",
        "https://partner.example:99999/hook",
        "https://partner.example/ho ok",
    ],
)
def test_urls_that_are_not_https_public_names_are_invalid(url):
    with pytest.raises(Refused) as refused:
        UrlPolicy().check(url)
    assert refused.value.code == "url_invalid"


def test_outside_demo_mode_even_the_own_receiver_must_be_https(settings):
    outside = UrlPolicy.for_settings(settings.with_(providers="real"))
    assert outside.own_receiver is None
    with pytest.raises(Refused):
        outside.check(settings.public_url + "/api/demo/webhook-receiver/ok")


def test_in_demo_mode_only_the_own_receiver_may_be_http_on_loopback(settings, server):
    demo = UrlPolicy.for_settings(settings)
    assert demo.check(server.url("ok")).literal is not None  # accepted
    for url in (
        server.origin + "/api/auth/login",  # the backend itself, elsewhere
        server.origin + "/api/demo/webhook-receiver/",  # no receiver name
        "http://127.0.0.1:1/api/demo/webhook-receiver/ok",  # another port on loopback
        "http://partner.example/api/demo/webhook-receiver/ok",  # http elsewhere
    ):
        with pytest.raises(Refused):
            demo.check(url)


async def test_the_connection_goes_to_the_vetted_address_with_the_name_as_host(server):
    """The name resolves once per send; a rebind after the check cannot move the connection."""
    port = server.httpd.server_address[1]
    own = parse(f"http://partner.example:{port}/api/demo/webhook-receiver/")
    resolve = resolving_to("127.0.0.1")
    url = f"http://partner.example:{port}/api/demo/webhook-receiver/ok"
    got = await sender.post(UrlPolicy(own_receiver=own), resolve, url, {}, b"{}", FAST)
    assert got.delivered and got.status_code == 200
    assert resolve.calls == ["partner.example"]  # type: ignore[attr-defined]
    [received] = server.of("ok")
    assert received.headers["Host"] == f"partner.example:{port}"


async def test_an_endpoint_that_resolves_to_loopback_is_refused_at_send_time(
    client, server, sessions, settings, pii
):
    contract_id = await a_contract(client)
    org_id = await partner(client)
    await endpoint(client, org_id, "https://partner.example/hook")
    await attach(client, contract_id, org_id)
    [delivery_id] = await enqueue(sessions, settings, pii, contract_id, "evt-ssrf", START)
    w = worker(sessions, settings, pii, MovingClock(), resolver=resolving_to("127.0.0.1"))
    assert await w.run_once() == {"failed": 1}
    monitor = await login(client, "monitor")
    r = await client.get(f"/api/partners/deliveries/{delivery_id}", headers=monitor)
    d = r.json()
    assert (d["status"], d["last_error_code"], d["last_status_code"]) == (
        "failed", "ssrf_refused", None,
    )  # fmt: skip
    assert d["history"][0]["error"] == "loopback address 127.0.0.1"
    assert server.received == []


@pytest.mark.parametrize(
    "url",
    [
        "http://partner.example/hook",
        "https://127.0.0.1/hook",
        "https://10.0.0.5/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[fd00:ec2::254]/",
        "https://localhost/hook",
        "https://2130706433/hook",
        "https://user:pw@partner.example/hook",
        "ftp://partner.example/hook",
    ],
)
async def test_creating_an_endpoint_with_such_a_url_is_refused_and_writes_nothing(
    client, sessions, url
):
    org_id = await partner(client)
    admin = await login(client, "admin")
    r = await client.post(f"/api/partners/organisations/{org_id}/endpoints",
                          json={"url": url, "event_types": ["alert.*"]}, headers=admin)  # fmt: skip
    assert (r.status_code, r.json()["code"]) == (422, "endpoint_url_invalid"), r.text
    async with sessions() as db:
        assert await db.scalar(select(func.count()).select_from(WebhookEndpoint)) == 0
