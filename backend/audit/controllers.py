"""/api/audit: anyone with the admin role can check that the audit chain is intact."""

from __future__ import annotations

import msgspec
from litestar import Controller, get

from backend.audit import service
from backend.db.deps import Db
from common.api.auth import Role


class ChainVerification(msgspec.Struct):
    ok: bool
    events_checked: int
    first_bad_seq: int | None
    problem: str | None


class AuditController(Controller):
    path = "/api/audit"
    tags = ["audit"]  # noqa: RUF012

    @get("/verify", opt={"roles": (Role.ADMIN,)})
    async def verify(self, db: Db) -> ChainVerification:
        """Walk the whole chain: an edited, deleted, inserted or reordered event is named."""
        r = await service.verify(db)
        return ChainVerification(r.ok, r.events_checked, r.first_bad_seq, r.problem)
