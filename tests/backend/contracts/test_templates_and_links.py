"""Templates are data an admin can change (a template that does not render is refused, a saved
one is used by the next contract); a PDF link opens one contract's PDF for a while; the job
makes the contracts of approved applications."""

from __future__ import annotations

from datetime import UTC, datetime

from backend.db.session import make_engine, make_sessionmaker
from backend.intake.catalogue import Catalogue
from backend.jobs.contracts import generate_pending
from backend.providers.registry import sms_senders_for
from backend.security.pii import PiiCipher
from tests.backend.contracts.flow import approved, contract_for
from tests.backend.helpers import login


async def test_an_admin_saves_a_template_version_that_the_next_contract_uses(client):
    admin = await login(client, "admin")
    current = (await client.get("/api/contract-templates/current", headers=admin)).json()
    bad = {**current, "clauses": {**current["clauses"]}}
    bad["clauses"]["common"] = [{"heading": "违约", "body": "承租人{no_such_thing}应赔偿"}]
    r = await client.post("/api/contract-templates", json={"template": bad, "reason": "试"},
                          headers=admin)  # fmt: skip
    assert r.status_code == 422 and r.json()["code"] == "template_invalid"
    good = {**current, "title": "融资租赁合同（2027版）"}
    r = await client.post("/api/contract-templates", json={"template": good, "reason": "年度修订"},
                          headers=admin)  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["version"] == current["version"] + 1
    staff = await login(client, "staff")
    r = await client.post("/api/contract-templates", json={"template": good, "reason": "x"},
                          headers=staff)  # fmt: skip
    assert r.status_code == 403
    contract = await contract_for(client, await approved(client, mobile="13912340003"))
    pdf = await client.get(f"/api/contracts/{contract['id']}/pdf", headers=staff)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


async def test_each_family_has_its_own_template_which_an_admin_versions_apart(client):
    admin = await login(client, "admin")
    url = "/api/contract-templates/current"
    supplier = (await client.get(url, params={"family": "supplier_finance"},
                                 headers=admin)).json()  # fmt: skip
    assert (supplier["id"], supplier["version"]) == ("supplier-finance-standard", 1)
    assert list(supplier["clauses"]) == ["common"] and supplier["roles"]["lessor"] == "保理商"
    charging = (await client.get(url, params={"family": "charging_pile"}, headers=admin)).json()
    sharing = [c for c in charging["clauses"]["common"] if c.get("when") == "revenue_share"]
    assert [c["heading"] for c in sharing] == ["电费分账"]
    # a receivable is financed, not leased: its template takes no lease type's clauses
    leased = {
        **supplier,
        "clauses": {**supplier["clauses"], "direct_lease": [{"heading": "租赁物", "body": "出租"}]},
    }
    r = await client.post("/api/contract-templates", json={"template": leased, "reason": "试"},
                          headers=admin)  # fmt: skip
    assert (r.status_code, r.json()["code"]) == (422, "template_invalid")
    revised = {**supplier, "title": "应收账款融资合同（有追索权，2027版）"}
    r = await client.post("/api/contract-templates", json={"template": revised, "reason": "修订"},
                          headers=admin)  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["version"] == 2 and r.json()["roles"] == supplier["roles"]
    again = (await client.get(url, params={"family": "supplier_finance"}, headers=admin)).json()
    assert again["version"] == 2 and again["title"] == revised["title"]
    vehicle = (await client.get(url, headers=admin)).json()  # the car leases' is untouched
    assert (vehicle["id"], vehicle["version"]) == ("lease-standard", 1)
    assert (await client.get(url, params={"family": "boats"}, headers=admin)).status_code == 400


async def test_a_pdf_link_opens_its_own_contract_only(client):
    first = await contract_for(client, await approved(client, mobile="13912340004"))
    second = await contract_for(client, await approved(client, mobile="13912340005"))
    staff = await login(client, "staff")
    link = (await client.post(f"/api/contracts/{first['id']}/pdf-link", headers=staff)).json()
    path = link["url"].removeprefix("http://testserver.local")
    r = await client.get(path)  # no bearer token: the link is enough
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    other = path.replace(first["id"], second["id"])
    assert (await client.get(other)).status_code == 404
    assert (await client.get(path.split("?")[0])).status_code == 401


async def test_the_job_makes_the_contracts_of_approved_applications_once(client, settings):
    app_id = await approved(client, mobile="13912340006")
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    pii = PiiCipher(settings.pii_key_bytes(), settings.lookup_key_bytes())
    sms_for = sms_senders_for(settings, pii)
    now = datetime.now(UTC)
    args = (sessions, pii, Catalogue.load(), sms_for, now, settings.app_url)
    assert await generate_pending(*args) == 1
    assert await generate_pending(*args) == 0
    await engine.dispose()
    staff = await login(client, "staff")
    r = await client.get(f"/api/applications/{app_id}/contract", headers=staff)
    assert r.status_code == 200 and r.json()["status"] == "awaiting_signature"
    sms = await client.get("/api/sandbox/sms", params={"mobile": "13912340006"})
    assert any(m["purpose"] == "lessee_invite" for m in sms.json())
