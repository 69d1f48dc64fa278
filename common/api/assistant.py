"""Wire types of the service assistant 智能客服: a message and its answer, the staff inbox, the
knowledge base's versions. Mobile numbers leave masked (138****5678) but for the inbox's
explicit, audited reveal."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

import msgspec

from common.api import limits
from common.assistant.knowledge import KnowledgeBase

MESSAGE_TEXT = 500  # characters a visitor may type in one message
CONVERSATION_ID = 32
Text = Annotated[str, limits.paragraph(MESSAGE_TEXT, min_length=1)]


class MessageBody(msgspec.Struct, forbid_unknown_fields=True):
    """What the visitor typed; without ``conversation_id`` a new conversation starts."""

    text: Text
    conversation_id: Annotated[str, limits.line(CONVERSATION_ID, min_length=1)] | None = None

    def __post_init__(self) -> None:
        self.text = self.text.strip()
        if not self.text:
            raise ValueError("text: empty")


class FollowUp(msgspec.Struct):
    """A suggestion the app shows as a chip; tapping it sends ``text``."""

    text: str
    topic: str | None = None


class HandoverKind(StrEnum):
    LIVE = "live"  # 转人工: people are at work now
    CALLBACK = "callback"  # 预约回电: outside working hours, a number to call back
    DRAFT = "draft"  # 转门店: a pre-screened need, its draft application at a shop


class HandoverStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class HandoverRef(msgspec.Struct, kw_only=True):
    id: str
    kind: HandoverKind
    status: HandoverStatus
    service_hours: str  # 每天 09:00–21:00（北京时间）
    open_now: bool
    mobile: str | None = None  # masked
    shop: str | None = None  # the shop a draft went to
    application_id: str | None = None


class QuoteSummary(msgspec.Struct, kw_only=True):
    """An indicative quote 参考报价 on a product (not an offer)."""

    product_id: str
    product_name: str
    price: str
    down_payment: str
    financed: str
    term_months: int
    monthly_payment: str
    annualised_rate_percent: str  # IRR including fees
    total_cost: str


class PrecheckOutcome(StrEnum):
    LIKELY = "likely"  # nothing in the pre-screen subset stands in the way
    REVIEW = "review"  # a person would look at it
    UNLIKELY = "unlikely"  # a check the full decision would decline on


class Precheck(msgspec.Struct, kw_only=True):
    """The rule engine's pre-screen subset on the visitor's answers (非正式预审, not binding)."""

    outcome: PrecheckOutcome
    reasons: list[str]  # in Chinese
    ruleset_version: int
    checks: int  # how many checks of the subset were run


class Reply(msgspec.Struct, kw_only=True):
    conversation_id: str
    answer: str
    confidence: float  # 0..1: how sure the topic is (1.0 for a step of a guided flow)
    topic: str | None
    follow_ups: list[FollowUp]
    handover: HandoverRef | None = None
    quote: QuoteSummary | None = None
    precheck: Precheck | None = None
    sign_in_needed: bool = False


class Author(StrEnum):
    VISITOR = "visitor"
    ASSISTANT = "assistant"
    AGENT = "agent"  # a person in the inbox


class MessageView(msgspec.Struct, kw_only=True):
    author: Author
    text: str  # personal numbers masked
    at: datetime
    topic: str | None = None
    confidence: float | None = None


class ConversationView(msgspec.Struct, kw_only=True):
    id: str
    started_at: datetime
    messages: list[MessageView]
    handover: HandoverRef | None = None


class HandoverView(msgspec.Struct, kw_only=True):
    """A row of the staff inbox 客服工作台."""

    handover: HandoverRef
    conversation_id: str
    created_at: datetime
    who: str  # 访客, or the signed-in user's display name
    summary: str  # what it is about, one line
    closed_at: datetime | None = None
    note: str | None = None


class InboxView(msgspec.Struct, kw_only=True):
    service_hours: str
    open_now: bool
    items: list[HandoverView]


class HandoverDetail(msgspec.Struct, kw_only=True):
    item: HandoverView
    conversation: ConversationView


class AgentReply(msgspec.Struct, forbid_unknown_fields=True):
    text: Text


class CloseBody(msgspec.Struct, forbid_unknown_fields=True):
    note: Annotated[str, limits.paragraph(limits.NOTE, min_length=1)]


class RevealedMobile(msgspec.Struct):
    mobile: str


class KnowledgeSave(msgspec.Struct, forbid_unknown_fields=True):
    """A new version of the knowledge base; ``based_on`` must be the version in use (else 409)."""

    knowledge: KnowledgeBase
    based_on: Annotated[int, limits.int_range(1, limits.VERSION_MAX)]
    reason: Annotated[str, limits.paragraph(limits.NOTE, min_length=1)]


class KnowledgeView(msgspec.Struct, kw_only=True):
    version: int
    knowledge: KnowledgeBase
    reason: str | None
    created_at: datetime | None
    created_by: str | None


class KnowledgeVersionSummary(msgspec.Struct, kw_only=True):
    version: int
    topics: int
    reason: str | None
    created_at: datetime | None
    created_by: str | None
