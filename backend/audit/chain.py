"""The pure part of the audit chain: canonical encoding and hashing of one event.

An event's hash covers its chain position (1, 2, 3 ... as the sequencer links it), the previous
event's hash and every field, so an edited, deleted, inserted or reordered event breaks the chain.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def digest(state: Any) -> str | None:
    """Digest of an object's state before or after a change (None when there was none)."""
    if state is None:
        return None
    return hashlib.sha256(canonical(state).encode()).hexdigest()


def event_hash(
    *,
    prev_hash: str,
    position: int,
    at: datetime,
    actor_id: str | None,
    actor_role: str | None,
    action: str,
    entity_type: str,
    entity_id: str,
    before_digest: str | None,
    after_digest: str | None,
    detail: str,
) -> str:
    body = canonical(
        [
            prev_hash,
            position,
            at.isoformat(timespec="microseconds"),
            actor_id,
            actor_role,
            action,
            entity_type,
            entity_id,
            before_digest,
            after_digest,
            detail,
        ]
    )
    return hashlib.sha256(body.encode()).hexdigest()
