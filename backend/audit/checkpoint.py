"""Signed checkpoints of the audit chain: Ed25519 over (position, head hash, time).

A checkpoint is a small JSON document that anyone can keep: with the lessor's public key alone
(`GET /api/audit/public-key`) it proves that the chain had that head at that position, so a later
rewrite of the log — even one that recomputes every hash — is caught against it. Pure: no I/O.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from backend.audit.chain import canonical

_DOMAIN = "autolease-audit-checkpoint/v1"  # the signature is for this purpose and no other


@dataclass(frozen=True)
class Checkpoint:
    position: int
    head_hash: str
    at: str  # ISO 8601, UTC
    key_id: str
    signature: str  # base64url, no padding

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Checkpoint:
        return cls(
            position=int(data["position"]),
            head_hash=str(data["head_hash"]),
            at=str(data["at"]),
            key_id=str(data["key_id"]),
            signature=str(data["signature"]),
        )


def signed_payload(position: int, head_hash: str, at: str) -> bytes:
    return canonical([_DOMAIN, position, head_hash, at]).encode()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id_of(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


class CheckpointSigner:
    """Holds the signing key (a 32-byte Ed25519 seed from settings)."""

    def __init__(self, seed: bytes) -> None:
        if len(seed) != 32:
            raise ValueError("the audit signing key is a 32-byte Ed25519 seed")
        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        self.key_id = key_id_of(self._key.public_key())

    @property
    def public_key_pem(self) -> str:
        return (
            self._key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )

    def sign(self, position: int, head_hash: str, at: datetime) -> Checkpoint:
        when = at.isoformat(timespec="seconds")
        signature = self._key.sign(signed_payload(position, head_hash, when))
        return Checkpoint(position, head_hash, when, self.key_id, _b64(signature))


@dataclass(frozen=True)
class CheckpointKeys:
    """What the service signs checkpoints with (a dependency of the audit routes)."""

    signer: CheckpointSigner


def verify_checkpoint(checkpoint: Checkpoint, public_key_pem: str | bytes) -> bool:
    """True when ``checkpoint`` was signed by the holder of this public key, unchanged."""
    pem = public_key_pem.encode() if isinstance(public_key_pem, str) else public_key_pem
    public = serialization.load_pem_public_key(pem)
    if not isinstance(public, Ed25519PublicKey) or key_id_of(public) != checkpoint.key_id:
        return False
    try:
        public.verify(
            _unb64(checkpoint.signature),
            signed_payload(checkpoint.position, checkpoint.head_hash, checkpoint.at),
        )
    except (InvalidSignature, ValueError):
        return False
    return True
