"""A company lessee 企业承租人 names its authorised person 授权代表 (法定代表人), who signs for it:
stored encrypted, shown masked, required before submit, and named in the contract."""

from __future__ import annotations

from sqlalchemy import select, update

from backend.db.models import Application, Contract, Customer
from tests.backend.auth.lessee_helpers import session as session_of
from tests.backend.contracts.flow import lessee_login, sign
from tests.backend.helpers import login
from tests.backend.risk.helpers import file_application

USCC = "91350100M000100Y43"
REP_ID = "11010519491231002X"


async def _company(client, staff, **customer) -> str:  # type: ignore[no-untyped-def]
    app_id = await file_application(client, staff, REP_ID)  # then refiled as the company
    body = {"customer": {"kind": "company", "name": "速达物流有限公司", "id_number": USCC,
                         "mobile": "13912345678", "region_code": "350100", **customer}}  # fmt: skip
    r = await client.patch(f"/api/applications/{app_id}", json=body, headers=staff)
    assert r.status_code == 200, r.text
    return app_id


async def test_the_authorised_person_is_stored_encrypted_and_shown_masked(client, settings):
    staff = await login(client, "staff")
    app_id = await _company(client, staff, representative_name="王芳",
                            representative_id_number=REP_ID)  # fmt: skip
    view = (await client.get(f"/api/applications/{app_id}", headers=staff)).json()
    assert view["customer"]["representative"] == "王*"
    assert view["customer"]["representative_id_number"].startswith("1101")
    assert REP_ID not in str(view)
    assert not [m for m in view["missing"] if "representative" in m["field"]]
    async with session_of(settings) as db:
        row = await db.scalar(select(Customer).where(Customer.id == view["customer"]["id"]))
        assert row is not None and row.representative_name_enc
        assert "王芳" not in row.representative_name_enc and REP_ID not in row.representative_id_enc


async def test_a_company_without_its_authorised_person_cannot_be_submitted(client):
    staff = await login(client, "staff")
    app_id = await _company(client, staff)
    view = (await client.get(f"/api/applications/{app_id}", headers=staff)).json()
    assert {m["field"] for m in view["missing"]} >= {
        "customer.representative_name",
        "customer.representative_id_number",
    }
    r = await client.post(f"/api/applications/{app_id}/submit", headers=staff)
    assert r.status_code == 422, r.text


async def test_the_contract_names_the_authorised_person_who_signs_for_the_company(client, settings):
    staff = await login(client, "staff")
    app_id = await _company(client, staff, representative_name="王芳",
                            representative_id_number=REP_ID)  # fmt: skip
    async with session_of(settings) as db:  # decided elsewhere: approved
        await db.execute(update(Application).where(Application.id == app_id)
                         .values(status="approved"))  # fmt: skip
        await db.commit()
    r = await client.post(f"/api/applications/{app_id}/contract", headers=staff)
    assert r.status_code == 200, r.text
    async with session_of(settings) as db:
        contract = await db.scalar(select(Contract).where(Contract.application_id == app_id))
        assert contract is not None
        lessee = next(p for p in contract.document["parties"] if p["role"] == "lessee")
    assert lessee["kind"] == "company"
    assert lessee["representative"].startswith("授权代表 王*（1101")
    assert REP_ID not in lessee["representative"]


async def test_the_authorised_person_signs_for_the_company(client, settings):
    staff = await login(client, "staff")
    app_id = await _company(client, staff, representative_name="王芳",
                            representative_id_number=REP_ID)  # fmt: skip
    async with session_of(settings) as db:
        await db.execute(update(Application).where(Application.id == app_id)
                         .values(status="approved"))  # fmt: skip
        await db.commit()
    contract = (await client.post(f"/api/applications/{app_id}/contract", headers=staff)).json()
    # the code goes to the mobile on file, the authorised person's; the company's account is
    # bound by the last six characters of its USCC
    lessee = await lessee_login(client, "13912345678", USCC)
    r = await sign(client, lessee, contract["id"], "13912345678")
    assert r.status_code == 200, r.text
    async with session_of(settings) as db:
        row = await db.get(Contract, contract["id"])
        assert row is not None and row.sign_intent is not None
        assert row.sign_intent["signed_for_company_by"].startswith("授权代表 王*")
