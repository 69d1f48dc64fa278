"""Conversations 对话 and their messages. A visitor's conversation is continued by its id alone
(a random 128-bit id: whoever holds it is the visitor); a signed-in user's only by that user.
Any other caller is told it does not exist. Texts are stored with mobile and ID numbers masked:
a number the assistant needs (to call back) goes encrypted into the handover instead."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.principal import Principal
from backend.db.models import Conversation, ConversationMessage
from backend.logs import mask_text
from common.api.assistant import Author, ConversationView, HandoverRef, MessageView
from common.errors import NotFound

# A mobile number as people type it in a chat: 139 1234 5678, 139-1234-5678, +86 139...
_SPACED_MOBILE = re.compile(r"(?<![0-9])(1[3-9][0-9])[\s\-]?([0-9]{4})[\s\-]?([0-9]{4})(?![0-9])")
CONVERSATION_NOT_FOUND = NotFound("conversation_not_found", "找不到该对话", "No such conversation")


async def open_conversation(
    db: AsyncSession, caller: Principal | None, conversation_id: str | None, now: datetime
) -> Conversation:
    """The caller's conversation ``conversation_id``, or a new one (404 for another's)."""
    if conversation_id is None:
        conv = Conversation(
            user_id=caller.user_id if caller else None, state={}, started_at=now, last_at=now
        )
        db.add(conv)
        await db.flush()
        return conv
    return await owned(db, caller, conversation_id)


async def owned(db: AsyncSession, caller: Principal | None, conversation_id: str) -> Conversation:
    conv = await db.get(Conversation, conversation_id) if len(conversation_id) <= 32 else None
    if conv is None or conv.user_id != (caller.user_id if caller else None):
        raise CONVERSATION_NOT_FOUND
    return conv


def masked(text: str) -> str:
    """``text`` as stored and shown: mobile numbers (also with spaces or dashes) and ID numbers
    masked."""
    return mask_text(_SPACED_MOBILE.sub(r"\1****\3", text))


async def add(
    db: AsyncSession,
    conv: Conversation,
    author: Author,
    text: str,
    now: datetime,
    *,
    topic: str | None = None,
    confidence: float | None = None,
) -> ConversationMessage:
    last = await db.scalar(
        select(func.max(ConversationMessage.seq)).where(
            ConversationMessage.conversation_id == conv.id
        )
    )
    row = ConversationMessage(
        conversation_id=conv.id,
        seq=(last or 0) + 1,
        author=author.value,
        text=masked(text),
        topic=topic,
        confidence=confidence,
        at=now,
    )
    db.add(row)
    conv.last_at = now
    return row


async def messages(db: AsyncSession, conversation_id: str) -> list[ConversationMessage]:
    rows = await db.scalars(
        select(ConversationMessage)
        .where(ConversationMessage.conversation_id == conversation_id)
        .order_by(ConversationMessage.seq, ConversationMessage.at)
    )
    return list(rows)


def view(
    conv: Conversation, rows: list[ConversationMessage], handover: HandoverRef | None
) -> ConversationView:
    return ConversationView(
        id=conv.id,
        started_at=conv.started_at,
        handover=handover,
        messages=[
            MessageView(
                author=Author(r.author),
                text=r.text,
                at=r.at,
                topic=r.topic,
                confidence=r.confidence,
            )
            for r in rows
        ],
    )
