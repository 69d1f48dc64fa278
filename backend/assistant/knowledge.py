"""The knowledge base 知识库 as data: versions frozen once written, the highest in use.

Version 1 is the shipped default (assets/assistant/knowledge.json), written on first use. An
admin's new version is checked (common.assistant.knowledge.problems) and must follow the
version in use (else 409); it is written with its audit event in the request's transaction.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import cache
from pathlib import Path

import msgspec
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import KnowledgeVersion
from backend.db.upsert import upsert_ignore
from common.api.assistant import KnowledgeVersionSummary, KnowledgeView
from common.assistant.knowledge import KnowledgeBase, problems
from common.errors import Conflict, DomainError

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "assets" / "assistant" / "knowledge.json"
DEFAULT_ID = "kb-shipped-1"
DEFAULT_REASON = "出厂知识库 shipped default"
VERSION_CONFLICT = Conflict(
    "knowledge_version_conflict",
    "知识库已被他人修改，请刷新后再试",
    "The knowledge base was changed by someone else; reload and retry",
)


@cache
def shipped_default() -> KnowledgeBase:
    kb = msgspec.json.decode(DEFAULT_FILE.read_bytes(), type=KnowledgeBase)
    found = problems(kb)
    if found:  # a broken shipped file is a release error, not bad input
        raise RuntimeError("assets/assistant/knowledge.json: " + "; ".join(found))
    return msgspec.structs.replace(kb, version=1)


def digest(kb: KnowledgeBase) -> str:
    return hashlib.sha256(msgspec.json.encode(kb)).hexdigest()


async def _newest(db: AsyncSession) -> KnowledgeVersion | None:
    return await db.scalar(
        select(KnowledgeVersion).order_by(KnowledgeVersion.number.desc()).limit(1)
    )


def _of(row: KnowledgeVersion) -> KnowledgeBase:
    return msgspec.structs.replace(msgspec.convert(row.body, KnowledgeBase), version=row.number)


async def current(db: AsyncSession) -> KnowledgeBase:
    """The version in use; the shipped default until an admin saves one."""
    return (await in_use(db))[0]


_PARSED: dict[str, tuple[KnowledgeBase, str]] = {}  # row id -> (knowledge base, its digest)


async def in_use(db: AsyncSession) -> tuple[KnowledgeBase, str]:
    """The version in use and its digest (the matching index's key). Versions are frozen: each
    is read and parsed once per process; a message costs one small query."""
    row_id = await db.scalar(
        select(KnowledgeVersion.id).order_by(KnowledgeVersion.number.desc()).limit(1)
    )
    if row_id is None:
        kb = shipped_default()
        return kb, digest(kb)
    hit = _PARSED.get(row_id)
    if hit is None:
        row = await db.get(KnowledgeVersion, row_id)
        assert row is not None
        kb = _of(row)
        if len(_PARSED) > 16:
            _PARSED.clear()
        hit = _PARSED[row_id] = (kb, digest(kb))
    return hit


async def _ensure_default(db: AsyncSession, now: datetime) -> None:
    """Version 1 stored before the first save (concurrent first saves write it once)."""
    body = msgspec.to_builtins(shipped_default())
    await db.execute(
        upsert_ignore(
            db,
            KnowledgeVersion,
            ["number"],
            id=DEFAULT_ID,
            number=1,
            body=body,
            reason=DEFAULT_REASON,
            created_by_id=None,
            created_at=now,
        )
    )


async def view(db: AsyncSession) -> KnowledgeView:
    row = await _newest(db)
    if row is None:
        return KnowledgeView(
            version=1,
            knowledge=shipped_default(),
            reason=DEFAULT_REASON,
            created_at=None,
            created_by=None,
        )
    return KnowledgeView(
        version=row.number,
        knowledge=_of(row),
        reason=row.reason,
        created_at=row.created_at,
        created_by=row.created_by_id,
    )


async def history(db: AsyncSession) -> list[KnowledgeVersionSummary]:
    rows = list(await db.scalars(select(KnowledgeVersion).order_by(KnowledgeVersion.number.desc())))
    if not rows:
        kb = shipped_default()
        return [
            KnowledgeVersionSummary(
                version=1,
                topics=len(kb.entries),
                reason=DEFAULT_REASON,
                created_at=None,
                created_by=None,
            )
        ]
    return [
        KnowledgeVersionSummary(
            version=r.number,
            topics=len(r.body.get("entries", [])),
            reason=r.reason,
            created_at=r.created_at,
            created_by=r.created_by_id,
        )
        for r in rows
    ]


async def save(
    db: AsyncSession,
    actor: Principal,
    kb: KnowledgeBase,
    based_on: int,
    reason: str,
    now: datetime,
) -> KnowledgeView:
    """A new version following ``based_on`` (409 ``knowledge_version_conflict`` otherwise;
    422 ``knowledge_invalid`` with every problem)."""
    found = problems(kb)
    if found:
        raise DomainError(
            "knowledge_invalid",
            "知识库有误：" + "；".join(found[:20]),
            "The knowledge base is invalid: " + "; ".join(found[:20]),
            fields={"knowledge": "；".join(found[:20])},
        )
    await _ensure_default(db, now)
    newest = await db.scalar(select(func.max(KnowledgeVersion.number)))
    if newest != based_on:
        raise VERSION_CONFLICT
    before = (await current(db)) if newest else None
    number = based_on + 1
    body = msgspec.to_builtins(msgspec.structs.replace(kb, version=number))
    db.add(
        KnowledgeVersion(
            number=number, body=body, reason=reason, created_by_id=actor.user_id, created_at=now
        )
    )
    try:
        await db.flush()  # the unique number: a concurrent save of the same version loses
    except IntegrityError as exc:
        raise VERSION_CONFLICT from exc
    await audit.record(
        db,
        actor=actor,
        action="assistant_knowledge.saved",
        entity_type="assistant_knowledge",
        entity_id="knowledge",
        before=msgspec.to_builtins(before) if before else None,
        after=body,
        detail={
            "version": number,
            "based_on": based_on,
            "topics": len(kb.entries),
            "reason": reason,
        },
        at=now,
    )
    return await view(db)
