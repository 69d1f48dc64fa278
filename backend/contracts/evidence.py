"""Tamper evidence 防伪: is this file the sealed original, which signed checkpoint covers its
sealing, and what has happened to the contract.

A file is the original when its SHA-256 is a sealed contract's and its seal validates against
the lessor's CA; the contract's events are on the hash-chained audit log, and a checkpoint at
or after the sealing event's position proves the log held it then (anyone with the public key
can check the checkpoint, see backend/audit/checkpoint.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit.service import as_checkpoint
from backend.contracts.verify import SealCheck, check_seal
from backend.db.models import AuditCheckpoint, AuditEvent, Contract
from backend.trust.ca import TrustMaterial


@dataclass(frozen=True)
class Evidence:
    contract: Contract | None  # the sealed contract this file is, if any
    seal: SealCheck
    sha256: str
    events: list[AuditEvent]
    checkpoint: dict[str, object] | None  # the first signed checkpoint covering the sealing

    @property
    def original(self) -> bool:
        return self.contract is not None and self.seal.intact and self.seal.trusted


async def events_of(db: AsyncSession, contract_id: str) -> list[AuditEvent]:
    rows = await db.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity_type == "contract", AuditEvent.entity_id == contract_id)
        .order_by(AuditEvent.seq)
    )
    return list(rows)


async def _covering(db: AsyncSession, events: list[AuditEvent]) -> dict[str, object] | None:
    sealed = next((e for e in events if e.action == "contract.sealed"), None)
    if sealed is None or sealed.position is None:
        return None  # not sealed, or not linked into the chain yet (the sequencer runs soon)
    row = await db.scalar(
        select(AuditCheckpoint)
        .where(AuditCheckpoint.position >= sealed.position)
        .order_by(AuditCheckpoint.position)
        .limit(1)
    )
    return None if row is None else as_checkpoint(row).to_json()


async def examine(db: AsyncSession, trust: TrustMaterial, pdf: bytes) -> Evidence:
    """What we can say about an uploaded file."""
    sha = hashlib.sha256(pdf).hexdigest()
    seal = await check_seal(pdf, trust.ca_cert_pem)
    contract = await db.scalar(select(Contract).where(Contract.signed_sha256 == sha))
    events = await events_of(db, contract.id) if contract is not None else []
    return Evidence(contract, seal, sha, events, await _covering(db, events))


async def of_contract(
    db: AsyncSession, trust: TrustMaterial, contract: Contract, pdf: bytes | None
) -> Evidence:
    """The evidence for a contract we hold (its sealed file, when signed)."""
    events = await events_of(db, contract.id)
    if pdf is None:
        seal = SealCheck(
            sealed=False, intact=False, trusted=False, covers_whole_file=False, signer="",
            signed_at=None, timestamp_at=None, signed_sha256="", problem="not_signed",
        )  # fmt: skip
        return Evidence(None, seal, "", events, None)
    seal = await check_seal(pdf, trust.ca_cert_pem)
    sha = hashlib.sha256(pdf).hexdigest()
    return Evidence(contract, seal, sha, events, await _covering(db, events))


async def bundle(db: AsyncSession, contract: Contract) -> dict[str, object] | None:
    """The contract's evidence for an offline check (backend/contracts/offline.py), or None
    until its sealing is linked into the chain and covered by a signed checkpoint."""
    events = await events_of(db, contract.id)
    sealed = next((e for e in events if e.action == "contract.sealed"), None)
    checkpoint = await _covering(db, events)
    if sealed is None or sealed.position is None or checkpoint is None:
        return None
    chain = await db.scalars(
        select(AuditEvent)
        .where(AuditEvent.position >= sealed.position,
               AuditEvent.position <= int(str(checkpoint["position"])))
        .order_by(AuditEvent.position)
    )  # fmt: skip
    return {
        "format": "autolease-contract-evidence/v1",
        "contract": {"id": contract.id, "number": contract.number},
        "signed_sha256": contract.signed_sha256,
        "checkpoint": checkpoint,
        "chain": [
            {"position": e.position, "prev_hash": e.prev_hash, "hash": e.hash,
             "at": e.at.isoformat(timespec="microseconds"), "actor_id": e.actor_id,
             "actor_role": e.actor_role, "action": e.action, "entity_type": e.entity_type,
             "entity_id": e.entity_id, "before_digest": e.before_digest,
             "after_digest": e.after_digest, "detail": e.detail}
            for e in chain
        ],
    }  # fmt: skip
