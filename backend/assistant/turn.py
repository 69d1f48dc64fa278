"""One turn of a conversation: what answering it needs (`Context`) and what it answers
(`Outcome`), shared by the matching and the guided flows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.assistant import conversations
from backend.assistant.embedder import Embedder
from backend.auth.principal import Principal
from backend.db.models import Conversation
from backend.intake.catalogue import Catalogue
from backend.security.pii import PiiCipher
from common.api.assistant import Author, FollowUp, HandoverRef

HANDOVER_CHIP = FollowUp(text="转人工客服", topic="handover")
PRESCREEN_CHIP = FollowUp(text="帮我预审一下融资需求，算算月供", topic="prescreen")


@dataclass
class Context:
    db: AsyncSession
    pii: PiiCipher
    catalogue: Catalogue
    embedder: Embedder
    caller: Principal | None
    now: datetime


@dataclass
class Outcome:
    answer: str
    topic: str | None = None
    confidence: float = 1.0
    follow_ups: list[FollowUp] = field(default_factory=list)
    handover: HandoverRef | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # quote, precheck, sign_in_needed


async def summary(ctx: Context, conv: Conversation) -> str:
    """What the inbox shows: the visitor's last questions, masked, in one line."""
    rows = await conversations.messages(ctx.db, conv.id)
    said = [r.text for r in rows if r.author == Author.VISITOR.value][-3:]
    return " / ".join(said)[:200] or "转人工"
