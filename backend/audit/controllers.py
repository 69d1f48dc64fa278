"""/api/audit: admins check that the audit chain is intact; anyone may fetch the signed
checkpoints and the public key that verifies them (they hold hashes only, no personal data)."""

from __future__ import annotations

from litestar import Controller, Response, get

from backend.audit import service
from backend.audit.checkpoint import CheckpointKeys
from backend.db.deps import Db
from common.api.audit import ChainVerification, CheckpointView
from common.api.auth import Role
from common.errors import NotFound


class AuditController(Controller):
    path = "/api/audit"
    tags = ["audit"]  # noqa: RUF012

    @get("/verify", opt={"roles": (Role.ADMIN,)})
    async def verify(self, db: Db, checkpoint_keys: CheckpointKeys) -> ChainVerification:
        """Link what is pending, then walk the whole chain and check every signed checkpoint:
        an edited, deleted, inserted or reordered event is named by its position."""
        await service.link_all(db)
        r = await service.verify(db, checkpoint_keys.signer.public_key_pem)
        return ChainVerification(
            r.ok, r.events_checked, r.first_bad_position, r.problem, r.pending,
            r.checkpoints_checked,
        )  # fmt: skip

    @get("/checkpoints/latest", opt={"public": True})
    async def latest_checkpoint(self, db: Db) -> CheckpointView:
        """The newest signed checkpoint: keep it to check the log later against the public key."""
        row = await service.latest_checkpoint(db)
        if row is None:
            raise NotFound("checkpoint_not_found", "尚无签名检查点", "No checkpoint yet")
        cp = service.as_checkpoint(row)
        return CheckpointView(cp.position, cp.head_hash, cp.at, cp.key_id, cp.signature)

    @get("/public-key", opt={"public": True}, media_type="application/x-pem-file")
    async def public_key(self, checkpoint_keys: CheckpointKeys) -> Response[str]:
        """The Ed25519 public key (PEM) that verifies the checkpoints."""
        pem = checkpoint_keys.signer.public_key_pem
        return Response(pem, media_type="application/x-pem-file")
