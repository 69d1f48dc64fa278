"""Wire types of the audit log 操作日志: the chain's verification and its signed checkpoints."""

from __future__ import annotations

import msgspec


class ChainVerification(msgspec.Struct):
    ok: bool
    events_checked: int
    first_bad_position: int | None
    problem: str | None
    pending: int  # appended but not linked yet (none right after a verification links them)
    checkpoints_checked: int


class CheckpointView(msgspec.Struct):
    position: int
    head_hash: str
    at: str  # ISO 8601, UTC
    key_id: str
    signature: str
