"""Append to and verify the hash-chained audit log (操作日志)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit.chain import GENESIS, canonical, digest, event_hash
from backend.auth.principal import Principal
from backend.db.models import AuditEvent, AuditHead
from backend.db.upsert import upsert_ignore


async def _locked_head(db: AsyncSession) -> AuditHead:
    # FOR UPDATE serialises appenders on PostgreSQL; SQLite has one writer connection anyway.
    query = select(AuditHead).where(AuditHead.id == 1).with_for_update()
    head = await db.scalar(query)
    if head is None:  # the first event ever: concurrent first appenders create the tip once
        await db.execute(upsert_ignore(db, AuditHead, ["id"], id=1, seq=0, hash=GENESIS))
        head = await db.scalar(query)
        assert head is not None
    return head


async def record(
    db: AsyncSession,
    *,
    actor: Principal | None,
    action: str,
    entity_type: str,
    entity_id: str,
    before: Any = None,
    after: Any = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction: it commits or rolls back with the change."""
    head = await _locked_head(db)
    at = (at or datetime.now(UTC)).astimezone(UTC)
    fields: dict[str, Any] = {
        "seq": head.seq + 1,
        "at": at,
        "actor_id": actor.user_id if actor else None,
        "actor_role": str(actor.role) if actor else None,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "before_digest": digest(before),
        "after_digest": digest(after),
        "detail": canonical(detail or {}),
    }
    event = AuditEvent(
        **fields, prev_hash=head.hash, hash=event_hash(prev_hash=head.hash, **fields)
    )
    db.add(event)
    head.seq, head.hash = event.seq, event.hash
    await db.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events_checked: int
    first_bad_seq: int | None = None
    problem: str | None = None


async def verify(db: AsyncSession) -> ChainReport:
    """Walk the chain from the start; an edited, deleted, inserted or reordered row breaks it."""
    prev, expected_seq, checked = GENESIS, 1, 0
    rows = await db.stream_scalars(select(AuditEvent).order_by(AuditEvent.seq))
    async for ev in rows:
        if ev.seq != expected_seq:
            return ChainReport(False, checked, expected_seq, "missing or inserted event")
        if ev.prev_hash != prev:
            return ChainReport(False, checked, ev.seq, "link to previous event broken")
        recomputed = event_hash(
            prev_hash=ev.prev_hash,
            seq=ev.seq,
            at=ev.at,
            actor_id=ev.actor_id,
            actor_role=ev.actor_role,
            action=ev.action,
            entity_type=ev.entity_type,
            entity_id=ev.entity_id,
            before_digest=ev.before_digest,
            after_digest=ev.after_digest,
            detail=ev.detail,
        )
        if recomputed != ev.hash:
            return ChainReport(False, checked, ev.seq, "event content altered")
        prev, expected_seq, checked = ev.hash, expected_seq + 1, checked + 1
    head = await db.get(AuditHead, 1)
    if head is not None and (head.seq != checked or head.hash != prev):
        return ChainReport(False, checked, checked + 1, "events missing at the end of the chain")
    return ChainReport(True, checked)
