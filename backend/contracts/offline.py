"""Checking a contract without trusting our server 离线验真.

What one needs: the PDF, the lessor's CA certificate (`GET /api/trust/ca.pem`), the audit log's
public key (`GET /api/audit/public-key`) and the contract's evidence bundle
(`GET /api/contracts/{id}/evidence`): the signed checkpoint and the chain of audit events from the
contract's sealing up to that checkpoint, each with every field its hash covers. The check:

1. the PDF's seal is intact and chains to the CA;
2. every event's hash recomputes from its fields and the previous hash, positions follow on, and
   the last hash is the checkpoint's head;
3. the checkpoint's Ed25519 signature verifies with the public key;
4. the first event is the contract's sealing and names this very file's SHA-256.

A rewritten log, a substituted file or a forged checkpoint each fail one of these.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from backend.audit.chain import event_hash
from backend.audit.checkpoint import Checkpoint, verify_checkpoint
from backend.contracts.verify import check_seal

FORMAT = "autolease-contract-evidence/v1"


@dataclass
class OfflineVerdict:
    ok: bool = False
    seal_intact: bool = False
    seal_trusted: bool = False
    chain_ok: bool = False
    checkpoint_ok: bool = False
    file_matches: bool = False
    contract_number: str = ""
    checkpoint_position: int | None = None
    problems: list[str] = field(default_factory=list)


def _chain_problems(chain: list[dict[str, Any]], head: str) -> list[str]:
    if not chain:
        return ["the bundle has no events"]
    for before, after in itertools.pairwise(chain):
        if after["position"] != before["position"] + 1 or after["prev_hash"] != before["hash"]:
            return [f"the chain breaks after position {before['position']}"]
    for ev in chain:
        fields = {k: ev[k] for k in ("prev_hash", "position", "actor_id", "actor_role", "action",
                                     "entity_type", "entity_id", "before_digest",
                                     "after_digest", "detail")}  # fmt: skip
        if event_hash(at=datetime.fromisoformat(ev["at"]), **fields) != ev["hash"]:
            return [f"event {ev['position']} does not hash to what it says"]
    if chain[-1]["hash"] != head:
        return ["the last event is not the checkpoint's head"]
    return []


async def verify_offline(
    pdf: bytes, bundle: dict[str, Any], ca_pem: bytes, public_key_pem: bytes
) -> OfflineVerdict:
    verdict = OfflineVerdict(contract_number=str(bundle.get("contract", {}).get("number", "")))
    if bundle.get("format") != FORMAT:
        verdict.problems.append("not an AutoLease evidence bundle")
        return verdict
    seal = await check_seal(pdf, ca_pem)
    verdict.seal_intact, verdict.seal_trusted = seal.intact, seal.trusted
    if not seal.intact:
        verdict.problems.append("the seal does not cover the file as it is (changed?)")
    elif not seal.trusted:
        verdict.problems.append("the seal does not chain to this CA")
    checkpoint = Checkpoint.from_json(bundle["checkpoint"])
    verdict.checkpoint_position = checkpoint.position
    verdict.checkpoint_ok = verify_checkpoint(checkpoint, public_key_pem)
    if not verdict.checkpoint_ok:
        verdict.problems.append("the checkpoint's signature does not verify with this key")
    chain: list[dict[str, Any]] = bundle.get("chain", [])
    problems = _chain_problems(chain, checkpoint.head_hash)
    verdict.chain_ok = not problems and chain[-1]["position"] == checkpoint.position
    verdict.problems += problems
    sealed = chain[0] if chain else {}
    detail = json.loads(sealed.get("detail") or "{}")
    sha = hashlib.sha256(pdf).hexdigest()
    verdict.file_matches = (
        sealed.get("action") == "contract.sealed" and detail.get("signed_sha256") == sha
    )
    if not verdict.file_matches:
        verdict.problems.append("the sealing event does not name this file")
    verdict.ok = all((verdict.seal_intact, verdict.seal_trusted, verdict.checkpoint_ok,
                      verdict.chain_ok, verdict.file_matches))  # fmt: skip
    return verdict
