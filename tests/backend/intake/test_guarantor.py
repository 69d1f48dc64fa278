"""A guarantor 保证人 of the lease: filed with the application (encrypted, shown masked), checked
before submit like the customer, named in the contract as a party."""

from __future__ import annotations

from sqlalchemy import select, update

from backend.db.models import Application, Contract
from tests.backend.auth.lessee_helpers import session as session_of
from tests.backend.helpers import login
from tests.backend.risk.helpers import CLEAN, file_application

GUARANTOR = {"name": "李秀英", "id_number": "11010519491231002X", "mobile": "13700001111",
             "relation": "配偶"}  # fmt: skip


async def _patch(client, staff, app_id, guarantor):  # type: ignore[no-untyped-def]
    r = await client.patch(f"/api/applications/{app_id}", json={"guarantor": guarantor},
                           headers=staff)  # fmt: skip
    assert r.status_code == 200, r.text
    return r.json()


async def test_a_guarantor_is_kept_encrypted_and_shown_masked(client, settings):
    staff = await login(client, "staff")
    app_id = await file_application(client, staff, CLEAN)
    view = await _patch(client, staff, app_id, GUARANTOR)
    assert view["guarantor"] == {"name": "李*英", "id_number": view["guarantor"]["id_number"],
                                 "mobile": "137****1111", "relation": "配偶"}  # fmt: skip
    assert GUARANTOR["id_number"] not in str(view) and view["missing"] == []
    async with session_of(settings) as db:
        row = await db.get(Application, app_id)
        assert row is not None and row.guarantor_enc and "李秀英" not in row.guarantor_enc
    view = await _patch(client, staff, app_id, None)  # removed again
    assert view["guarantor"] is None


async def test_a_guarantor_with_a_bad_id_or_mobile_blocks_submit(client):
    staff = await login(client, "staff")
    app_id = await file_application(client, staff, CLEAN)
    bad = {**GUARANTOR, "id_number": "110105194912310021", "mobile": "1370000"}
    view = await _patch(client, staff, app_id, bad)
    assert [m["field"] for m in view["missing"]] == ["guarantor.id_number", "guarantor.mobile"]
    r = await client.post(f"/api/applications/{app_id}/submit", headers=staff)
    assert r.status_code == 422


async def test_the_contract_names_the_guarantor(client, settings):
    staff = await login(client, "staff")
    app_id = await file_application(client, staff, CLEAN)
    await _patch(client, staff, app_id, GUARANTOR)
    async with session_of(settings) as db:
        await db.execute(update(Application).where(Application.id == app_id)
                         .values(status="approved"))  # fmt: skip
        await db.commit()
    r = await client.post(f"/api/applications/{app_id}/contract", headers=staff)
    assert r.status_code == 200, r.text
    assert {"role": "guarantor", "name": "李*英", "kind": "person"} in r.json()["parties"]
    async with session_of(settings) as db:
        contract = await db.scalar(select(Contract).where(Contract.application_id == app_id))
        assert contract is not None
        stored = next(p for p in contract.document["parties"] if p["role"] == "guarantor")
    assert stored["name"] == "李*英" and stored["mobile"] == "137****1111"
