"""Tables of the service assistant 智能客服: the knowledge base's versions, conversations and
their messages, and the handovers to people (the staff inbox)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, UTCDateTime, utcnow
from common.api import limits
from common.assistant.knowledge import TOPIC_ID


class KnowledgeVersion(IdMixin, Base):
    """One version of the knowledge base 知识库版本 (common.assistant.knowledge.KnowledgeBase as
    builtins), frozen once written; the highest number is the one in use."""

    __tablename__ = "assistant_knowledge_versions"
    number: Mapped[int] = mapped_column(Integer, unique=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[str | None] = mapped_column(String(32))  # None: the shipped default
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Conversation(IdMixin, Base):
    """A chat. A visitor's has no user (its id is all that continues it); a signed-in user's
    answers only to that user. ``state`` is the guided flow under way (pre-screen, a number
    asked for), as builtins."""

    __tablename__ = "assistant_conversations"
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ConversationMessage(IdMixin, Base):
    """One message; its text has mobile and ID numbers masked before it is stored."""

    __tablename__ = "assistant_messages"
    conversation_id: Mapped[str] = mapped_column(ForeignKey("assistant_conversations.id"))
    seq: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(12))  # common.api.assistant.Author
    text: Mapped[str] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(String(TOPIC_ID))
    confidence: Mapped[float | None] = mapped_column(Float)  # a match score, not money
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    __table_args__ = (Index("ix_assistant_messages_conversation", "conversation_id", "seq"),)


class Handover(IdMixin, Base):
    """A conversation passed to people 转人工: live, a callback at night, or a pre-screened need
    sent to a shop with its draft application. ``organisation_id`` is who works it (the lessor's
    service team, or the shop). The number to call is encrypted; its masked form is shown."""

    __tablename__ = "assistant_handovers"
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("assistant_conversations.id"), index=True
    )
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    kind: Mapped[str] = mapped_column(String(10))  # common.api.assistant.HandoverKind
    status: Mapped[str] = mapped_column(String(10))  # common.api.assistant.HandoverStatus
    summary: Mapped[str] = mapped_column(String(200))
    mobile_enc: Mapped[str | None] = mapped_column(String(limits.MOBILE_SEALED))
    mobile_masked: Mapped[str | None] = mapped_column(String(limits.MOBILE))
    application_id: Mapped[str | None] = mapped_column(ForeignKey("applications.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_assistant_handovers_inbox", "organisation_id", "status"),)
