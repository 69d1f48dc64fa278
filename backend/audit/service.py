"""Append to, link, checkpoint and verify the hash-chained audit log (操作日志).

Appending is a plain insert in the caller's transaction: no lock is shared between writers, so
one request's audit event never waits for another's. The chain is built afterwards by the
sequencer (`link_pending`, run by `backend.audit.sequencer` on every worker and before every
verification): it takes the committed, unlinked events in insertion order, gives them the next
positions and links their hashes, under a lock only sequencers take (the head row). An event that
committed but was not yet linked when a process died is simply linked by the next run: nothing is
lost between append and linking. Signed checkpoints (`checkpoint`) seal the head periodically.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Required, TypedDict, Unpack, cast

from sqlalchemy import Table, bindparam, event, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from backend.audit.chain import GENESIS, canonical, digest, event_hash
from backend.audit.checkpoint import Checkpoint, CheckpointSigner, verify_checkpoint
from backend.auth.principal import Principal
from backend.db.models import AuditCheckpoint, AuditEvent, AuditHead
from backend.db.upsert import upsert_ignore

_PENDING = "autolease.audit.pending"  # the events a session has yet to write
_TABLE = cast(Table, AuditEvent.__table__)


class Event(TypedDict, total=False):
    """What an event says: who did what to which entity, digests of before and after, detail."""

    actor: Required[Principal | None]
    action: Required[str]
    entity_type: Required[str]
    entity_id: Required[str]
    before: Any
    after: Any
    detail: dict[str, Any] | None
    at: datetime | None


def _row(event: Event) -> dict[str, Any]:
    actor, at = event["actor"], event.get("at")
    return {
        "at": (at or datetime.now(UTC)).astimezone(UTC),
        "actor_id": actor.user_id if actor else None,
        "actor_role": str(actor.role) if actor else None,
        "action": event["action"],
        "entity_type": event["entity_type"],
        "entity_id": event["entity_id"],
        "before_digest": digest(event.get("before")),
        "after_digest": digest(event.get("after")),
        "detail": canonical(event.get("detail") or {}),
    }


async def record(db: AsyncSession, **event: Unpack[Event]) -> None:
    """Append one event in the caller's transaction: it commits or rolls back with the change.
    A transaction's events go out together, in one INSERT, when it next flushes or commits."""
    session = db.sync_session
    if not session.in_transaction():  # so that a rollback, even before any SQL, drops it
        session.begin()
    session.info.setdefault(_PENDING, []).append(_row(event))


async def record_now(db: AsyncSession, **event: Unpack[Event]) -> int:
    """`record`, written at once; returns the event's ``seq`` for a row that cites it."""
    query = insert(_TABLE).values(_row(event)).returning(_TABLE.c.seq)
    return int((await db.execute(query)).scalar_one())


def _write_pending(session: Session) -> None:
    events = session.info.pop(_PENDING, None)
    if events:  # a Core insert: no autoflush, one statement however many events (and one
        # statement to compile: the rows go as parameters, not as a VALUES list of their own)
        session.execute(insert(_TABLE), events)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    _write_pending(session)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    _write_pending(session)


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # rolled back: its events go with it
        session.info.pop(_PENDING, None)


def _hash_of(ev: Any, prev_hash: str, position: int) -> str:
    """The hash of an event (its row or an `AuditEvent`) at ``position`` after ``prev_hash``."""
    return event_hash(
        prev_hash=prev_hash,
        position=position,
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


async def _locked_head(db: AsyncSession) -> AuditHead:
    # FOR UPDATE serialises sequencers on PostgreSQL (appenders never take it); SQLite has one
    # writer connection anyway.
    query = select(AuditHead).where(AuditHead.id == 1).with_for_update()
    head = await db.scalar(query)
    if head is None:  # the first link ever: concurrent sequencers create the tip once
        await db.execute(upsert_ignore(db, AuditHead, ["id"], id=1, seq=0, hash=GENESIS))
        head = await db.scalar(query)
        assert head is not None
    return head


# What linking reads of an unlinked event, and how it writes the link: Core statements built once
# (linking a second's events through ORM objects held the one SQLite writer for ~70 ms).
_LINKED_FIELDS = ("seq", "at", "actor_id", "actor_role", "action", "entity_type", "entity_id",
                  "before_digest", "after_digest", "detail")  # fmt: skip
_UNLINKED = (
    select(*(_TABLE.c[name] for name in _LINKED_FIELDS))
    .where(_TABLE.c.position.is_(None))
    .order_by(_TABLE.c.seq)
    .limit(bindparam("limit"))
)
_LINK = (
    update(_TABLE)
    .where(_TABLE.c.seq == bindparam("event_seq"))
    .values(
        position=bindparam("position"), prev_hash=bindparam("prev_hash"), hash=bindparam("hash")
    )
)
LINK_BATCH = 250  # events per linking transaction on a schedule: the writer is let go between


async def link_pending(db: AsyncSession, limit: int = 5000) -> int:
    """Link up to ``limit`` committed, unlinked events into the chain; commits. Returns how many."""
    head = await _locked_head(db)
    pending = (await db.execute(_UNLINKED, {"limit": limit})).all()
    position, prev = head.seq, head.hash
    links: list[dict[str, Any]] = []
    for e in pending:
        position += 1
        link = _hash_of(e, prev, position)
        links.append({"event_seq": e.seq, "position": position, "prev_hash": prev, "hash": link})
        prev = link
    if links:
        await db.execute(_LINK, links)
    head.seq, head.hash = position, prev
    await db.commit()
    return len(links)


async def link_all(db: AsyncSession, batch: int = 5000) -> int:
    """Link every unlinked event, ``batch`` at a time, each batch committed on its own."""
    total = 0
    while linked := await link_pending(db, batch):
        total += linked
    return total


async def checkpoint(
    db: AsyncSession, signer: CheckpointSigner, now: datetime
) -> AuditCheckpoint | None:
    """Sign the current head if the chain grew since the last checkpoint; commits."""
    head = await db.get(AuditHead, 1)
    last = await db.scalar(select(func.max(AuditCheckpoint.position)))
    if head is None or head.seq == 0 or (last is not None and head.seq <= last):
        return None
    signed = signer.sign(head.seq, head.hash, now.astimezone(UTC))
    await db.execute(
        upsert_ignore(
            db,
            AuditCheckpoint,
            ["position"],
            position=signed.position,
            head_hash=signed.head_hash,
            at=now.astimezone(UTC),
            key_id=signed.key_id,
            signature=signed.signature,
        )
    )
    await db.commit()
    return await db.get(AuditCheckpoint, signed.position)


def as_checkpoint(row: AuditCheckpoint) -> Checkpoint:
    at = row.at.astimezone(UTC).isoformat(timespec="seconds")
    return Checkpoint(row.position, row.head_hash, at, row.key_id, row.signature)


async def latest_checkpoint(db: AsyncSession) -> AuditCheckpoint | None:
    return await db.scalar(
        select(AuditCheckpoint).order_by(AuditCheckpoint.position.desc()).limit(1)
    )


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events_checked: int
    first_bad_position: int | None = None
    problem: str | None = None
    pending: int = 0  # appended, not linked yet
    checkpoints_checked: int = 0


async def verify(db: AsyncSession, public_key_pem: str | None = None) -> ChainReport:
    """Walk the chain from the start; an edited, deleted, inserted or reordered event breaks it.

    Every checkpoint must name the hash the chain really has at its position, and, given the
    public key, carry a valid signature: a log rewritten wholesale (every hash recomputed) still
    fails against the checkpoints published before."""
    sealed = {c.position: c for c in await db.scalars(select(AuditCheckpoint))}
    if public_key_pem is not None:
        for row in sorted(sealed.values(), key=lambda c: c.position):
            if not verify_checkpoint(as_checkpoint(row), public_key_pem):
                return ChainReport(False, 0, row.position, "checkpoint signature invalid")
    pending = int(
        await db.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.position.is_(None))
        )
        or 0
    )
    prev, expected, checked = GENESIS, 1, 0

    def bad(position: int, problem: str) -> ChainReport:
        return ChainReport(False, checked, position, problem, pending, checked_cps)

    checked_cps = 0
    rows = await db.stream_scalars(
        select(AuditEvent).where(AuditEvent.position.is_not(None)).order_by(AuditEvent.position)
    )
    async for ev in rows:
        if ev.position != expected:
            return bad(expected, "missing or inserted event")
        if ev.prev_hash != prev:
            return bad(expected, "link to previous event broken")
        if _hash_of(ev, prev, expected) != ev.hash:
            return bad(expected, "event content altered")
        cp = sealed.get(expected)
        if cp is not None:
            if cp.head_hash != ev.hash:
                return bad(expected, "chain differs from a signed checkpoint")
            checked_cps += 1
        prev, expected, checked = ev.hash, expected + 1, checked + 1
    head = await db.get(AuditHead, 1)
    if head is not None and (head.seq != checked or head.hash != prev):
        return bad(checked + 1, "events missing at the end of the chain")
    if any(p > checked for p in sealed):
        return bad(checked + 1, "events missing at the end of the chain")
    return ChainReport(True, checked, None, None, pending, checked_cps)
