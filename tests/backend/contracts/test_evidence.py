"""Tamper evidence: our server and anyone offline can tell the sealed original from a changed
file, and which signed checkpoint covers its sealing."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

from backend.audit import service as audit
from backend.audit.checkpoint import CheckpointSigner
from backend.cli import main
from tests.backend.auth.lessee_helpers import session as session_of
from tests.backend.contracts.flow import approved, contract_for, lessee_login, sign
from tests.backend.risk.helpers import CLEAN

MOBILE = "13912340001"


async def _signed(client):  # type: ignore[no-untyped-def]
    contract = await contract_for(client, await approved(client, mobile=MOBILE))
    lessee = await lessee_login(client, MOBILE, CLEAN)
    r = await sign(client, lessee, contract["id"], MOBILE)
    assert r.status_code == 200, r.text
    pdf = (await client.get(f"/api/contracts/{contract['id']}/pdf", headers=lessee)).content
    return contract, lessee, pdf


async def _checkpoint(settings) -> None:  # type: ignore[no-untyped-def]
    async with session_of(settings) as db:
        await audit.link_all(db)
        signer = CheckpointSigner(settings.audit_signing_seed())
        await audit.checkpoint(db, signer, datetime.now(UTC))


async def test_the_sealed_original_is_recognised_and_a_flipped_byte_is_not(client, settings):
    contract, lessee, pdf = await _signed(client)
    await _checkpoint(settings)
    r = await client.post("/api/contracts/verify", content=pdf,
                          headers={"Content-Type": "application/pdf"})  # fmt: skip
    report = r.json()
    assert r.status_code == 200 and report["original"], report
    assert report["contract_number"] == contract["number"]
    assert report["checkpoint"] is not None
    assert {"contract.generated", "contract.signed", "contract.sealed"} <= {
        e["action"] for e in report["events"]
    }
    tampered = bytearray(pdf)
    tampered[len(pdf) // 3] ^= 0x01
    r = await client.post("/api/contracts/verify", content=bytes(tampered),
                          headers={"Content-Type": "application/pdf"})  # fmt: skip
    assert r.status_code == 200 and not r.json()["original"]
    mine = await client.get(f"/api/contracts/{contract['id']}/verify", headers=lessee)
    assert mine.json()["original"]


async def test_a_file_that_is_not_a_pdf_is_refused(client):
    r = await client.post("/api/contracts/verify", content=b"hello",
                          headers={"Content-Type": "application/pdf"})  # fmt: skip
    assert r.status_code == 422 and r.json()["code"] == "pdf_invalid"
    r = await client.post("/api/contracts/verify", content=b"%PDF-1.7",
                          headers={"Content-Type": "text/plain"})  # fmt: skip
    assert r.status_code == 415


async def test_anyone_can_check_a_contract_offline(client, settings, tmp_path, capsys):
    contract, lessee, pdf = await _signed(client)
    pending = await client.get(f"/api/contracts/{contract['id']}/evidence", headers=lessee)
    assert pending.status_code == 404 and pending.json()["code"] == "evidence_pending"
    await _checkpoint(settings)
    bundle = await client.get(f"/api/contracts/{contract['id']}/evidence", headers=lessee)
    assert bundle.status_code == 200, bundle.text
    files = {
        "contract.pdf": pdf,
        "evidence.json": bundle.content,
        "ca.pem": (await client.get("/api/trust/ca.pem")).content,
        "audit.pem": (await client.get("/api/audit/public-key")).content,
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    args = ["verify-contract", str(tmp_path / "contract.pdf"), "--evidence",
            str(tmp_path / "evidence.json"), "--ca", str(tmp_path / "ca.pem"),
            "--public-key", str(tmp_path / "audit.pem"), "--json"]  # fmt: skip
    assert await asyncio.to_thread(main, args) == 0, capsys.readouterr().out
    assert json.loads(capsys.readouterr().out)["ok"]
    # a rewritten log: the sealing event names another file
    evidence = json.loads(bundle.content)
    detail = json.loads(evidence["chain"][0]["detail"])
    evidence["chain"][0]["detail"] = json.dumps({**detail, "signed_sha256": "0" * 64})
    (tmp_path / "evidence.json").write_text(json.dumps(evidence))
    assert await asyncio.to_thread(main, args) == 1
    assert not json.loads(capsys.readouterr().out)["chain_ok"]
