"""From an approved application to a signed, funded, booked lease, through the API: the lessee
reads and signs on the phone with a texted code, the seal validates, a funder's confirmation
activates the contract and books it, and the books balance."""

from __future__ import annotations

import hashlib

from backend.contracts.verify import check_seal
from backend.ledger import service as ledger
from common.contracts import CONFIRMATIONS
from tests.backend.contracts.flow import (
    approved,
    contract_for,
    fund,
    funder_key,
    lessee_login,
    sign,
)
from tests.backend.helpers import login
from tests.backend.risk.helpers import CLEAN, CLEAN_2

MOBILE = "13912340001"


async def test_an_approved_application_becomes_a_numbered_contract_once(client):
    app_id = await approved(client, mobile=MOBILE)
    first = await contract_for(client, app_id)
    assert first["status"] == "awaiting_signature"
    assert first["number"].startswith("AL-") and first["number"].endswith("000001")
    assert first["annualised_rate_percent"] and len(first["schedule"]) == 36
    lessee = next(p for p in first["parties"] if p["role"] == "lessee")
    assert "*" in lessee["name"]  # masked in the API
    again = await contract_for(client, app_id)
    assert again["id"] == first["id"]  # one contract per application


async def test_a_draft_or_another_shops_application_has_no_contract(client):
    staff2 = await login(client, "staff2")
    app_id = await approved(client, mobile=MOBILE)
    r = await client.post(f"/api/applications/{app_id}/contract", headers=staff2)
    assert r.status_code == 404
    staff = await login(client, "staff")
    r = await client.post("/api/applications/nope/contract", headers=staff)
    assert r.status_code == 404


async def test_the_lessee_signs_and_the_sealed_pdf_validates(client, settings):
    app_id = await approved(client, mobile=MOBILE)
    contract = await contract_for(client, app_id)
    lessee = await lessee_login(client, MOBILE, CLEAN)
    mine = await client.get("/api/contracts", headers=lessee)
    assert [c["id"] for c in mine.json()] == [contract["id"]]
    r = await sign(client, lessee, contract["id"], MOBILE)
    assert r.status_code == 200, r.text
    signed = r.json()
    assert signed["status"] == "signed" and signed["signed_sha256"]
    pdf = await client.get(f"/api/contracts/{contract['id']}/pdf", headers=lessee)
    assert pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == signed["signed_sha256"]
    ca = await client.get("/api/trust/ca.pem")
    check = await check_seal(pdf.content, ca.content)
    assert check.sealed and check.intact and check.trusted
    # signing again answers the same sealed document (no new code is sent for a signed one)
    body = {"code": "123456", "confirmations": sorted(CONFIRMATIONS)}
    again = await client.post(f"/api/contracts/{contract['id']}/sign", json=body, headers=lessee)
    assert again.status_code == 200 and again.json()["signed_sha256"] == signed["signed_sha256"]
    r = await client.post(f"/api/contracts/{contract['id']}/sign/otp", headers=lessee)
    assert r.status_code == 409


async def test_a_wrong_code_signs_nothing(client):
    app_id = await approved(client, mobile=MOBILE)
    contract = await contract_for(client, app_id)
    lessee = await lessee_login(client, MOBILE, CLEAN)
    r = await client.post(f"/api/contracts/{contract['id']}/sign/otp", headers=lessee)
    assert r.status_code == 202
    body = {"code": "000000", "confirmations": ["read_contract", "understand_rate", "own_intent"]}
    r = await client.post(f"/api/contracts/{contract['id']}/sign", json=body, headers=lessee)
    assert r.status_code == 422 and r.json()["code"] in ("otp_invalid", "otp_locked")
    view = (await client.get(f"/api/contracts/{contract['id']}", headers=lessee)).json()
    assert view["status"] == "awaiting_signature" and view["signed_sha256"] is None


async def test_another_lessee_cannot_see_or_sign_it(client):
    mine = await contract_for(client, await approved(client, mobile=MOBILE))
    await contract_for(client, await approved(client, CLEAN_2, mobile="13912340002"))
    other = await lessee_login(client, "13912340002", CLEAN_2)
    assert (await client.get(f"/api/contracts/{mine['id']}", headers=other)).status_code == 404
    r = await client.post(f"/api/contracts/{mine['id']}/sign/otp", headers=other)
    assert r.status_code == 404


async def test_funding_activates_the_contract_and_books_a_balanced_lease(client, settings):
    app_id = await approved(client, mobile=MOBILE)
    contract = await contract_for(client, app_id)
    lessee = await lessee_login(client, MOBILE, CLEAN)
    assert (await sign(client, lessee, contract["id"], MOBILE)).status_code == 200
    key = await funder_key(settings)
    waiting = await client.get("/api/funder/contracts", headers=key)
    assert [c["id"] for c in waiting.json()] == [contract["id"]]
    wrong = await fund(client, key, contract["id"], "1.00", idem="wrong")
    assert wrong.status_code == 422 and wrong.json()["code"] == "funding_amount_mismatch"
    r = await fund(client, key, contract["id"], contract["principal"])
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "active"
    replay = await fund(client, key, contract["id"], contract["principal"])
    assert replay.status_code == 200 and replay.content == r.content  # one activation
    admin = await login(client, "admin")
    tb = (await client.get("/api/ledger/trial-balance", headers=admin)).json()
    assert tb["balanced"] and tb["total_debit"] == tb["total_credit"]
    receivable = next(row for row in tb["rows"] if row["account"] == "lease_receivable")
    assert receivable["balance"] == contract["total_payment"]
    from tests.backend.auth.lessee_helpers import session as session_of

    async with session_of(settings) as db:
        assert await ledger.unbalanced_entries(db) == []


async def test_funding_needs_a_funders_key(client):
    app_id = await approved(client, mobile=MOBILE)
    contract = await contract_for(client, app_id)
    r = await client.get("/api/funder/contracts", headers={"X-Api-Key": "alf_nope"})
    assert r.status_code == 401
    r = await fund(client, {"X-Api-Key": "alf_nope"}, contract["id"], contract["principal"])
    assert r.status_code == 401


async def test_a_failed_seal_leaves_the_contract_awaiting_signature(client, monkeypatch):
    from backend.contracts import signing

    async def broken_seal(*_: object, **__: object) -> bytes:
        raise RuntimeError("the HSM is down")

    monkeypatch.setattr(signing, "seal", broken_seal)
    contract = await contract_for(client, await approved(client, mobile=MOBILE))
    lessee = await lessee_login(client, MOBILE, CLEAN)
    r = await sign(client, lessee, contract["id"], MOBILE)
    assert r.status_code == 503 and r.json()["code"] == "seal_unavailable"
    view = (await client.get(f"/api/contracts/{contract['id']}", headers=lessee)).json()
    assert view["status"] == "awaiting_signature" and view["signed_sha256"] is None


async def test_another_funders_deal_answers_404(client, settings):
    contract = await contract_for(client, await approved(client, mobile=MOBILE))
    lessee = await lessee_login(client, MOBILE, CLEAN)
    assert (await sign(client, lessee, contract["id"], MOBILE)).status_code == 200
    ours = await funder_key(settings)
    assert (await fund(client, ours, contract["id"], contract["principal"])).status_code == 200
    from backend.db.models import Organisation
    from tests.backend.auth.lessee_helpers import session as session_of

    async with session_of(settings) as db:
        db.add(Organisation(id="org-funder-2", name="另一家银行", kind="funder",
                            region_code="310000"))  # fmt: skip
        await db.commit()
    theirs = await funder_key(settings, "org-funder-2")
    r = await fund(client, theirs, contract["id"], contract["principal"], idem="theirs")
    assert r.status_code == 404
    listed = await client.get("/api/funder/contracts?status=active", headers=theirs)
    assert listed.json() == []
