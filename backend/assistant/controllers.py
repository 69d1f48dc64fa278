"""/api/assistant: the chat (signed in or not), the staff inbox, the knowledge base. Thin.

The chat's routes are public: a bearer token, when sent, must be valid (401 otherwise) and makes
the answers the caller's own; without one the caller is a visitor, limited per client address.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath, Parameter

from backend.assistant import handovers, knowledge, service
from backend.assistant.embedder import Embedder
from backend.assistant.turn import Context
from backend.auth import service as auth
from backend.auth import throttle
from backend.auth.principal import Caller, Principal
from backend.db.deps import Db
from backend.intake.catalogue import Catalogue
from backend.security.pii import PiiCipher
from backend.settings import Settings
from common.api.assistant import (
    AgentReply,
    CloseBody,
    ConversationView,
    HandoverDetail,
    HandoverStatus,
    InboxView,
    KnowledgeSave,
    KnowledgeVersionSummary,
    KnowledgeView,
    MessageBody,
    Reply,
    RevealedMobile,
)
from common.api.auth import Role
from common.errors import DomainError

# A message is at most 500 characters (400 beyond); far larger bodies are 413, and those in
# between still reach the bad-body checks (backend/bodies.py) and get their codes.
MESSAGE_LIMIT = 128 * 1024
KNOWLEDGE_LIMIT = 2 * 1024 * 1024  # the whole knowledge base, a few hundred topics
INBOX = handovers.INBOX_ROLES
ADMIN = (Role.ADMIN,)


class VisitorRateLimited(DomainError):
    status = 429

    def __init__(self) -> None:
        super().__init__(
            "assistant_rate_limited",
            "消息发送太频繁，请稍后再试，或登录后继续",
            "Too many messages; wait a moment or sign in",
        )
        self.retry_after_s = 60


async def _caller(request: Request[Any, Any, Any], db: Db, settings: Settings) -> Principal | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if not token.strip():
        return None
    if scheme.lower() != "bearer":
        raise DomainError("unauthenticated", "请先登录", "Sign in first", status=401)
    return await auth.principal_from_access_token(db, settings, token.strip())


async def _limit_visitor(
    request: Request[Any, Any, Any], db: Db, settings: Settings, pii: PiiCipher, now: datetime
) -> None:
    address = request.client.host if request.client else "unknown"
    bucket = throttle.Bucket(
        "assistant",
        pii.lookup_hash(address, context="assistant.address"),
        settings.assistant_visitor_per_minute,
        60,
    )
    if not await throttle.take(db, bucket, now):
        raise VisitorRateLimited


class AssistantController(Controller):
    path = "/api/assistant"
    tags = ["assistant"]  # noqa: RUF012

    @post("/messages", opt={"public": True}, status_code=200, request_max_body_size=MESSAGE_LIMIT)
    async def message(
        self,
        request: Request[Any, Any, Any],
        data: MessageBody,
        db: Db,
        settings: Settings,
        pii: PiiCipher,
        catalogue: Catalogue,
        embedder: Embedder,
        now: datetime,
    ) -> Reply:
        """Answer one message: ``answer``, ``confidence`` (0..1), ``topic``, ``follow_ups``, and
        ``handover`` when it passes to a person; ``quote`` and ``precheck`` end a pre-screen.
        Errors: 404 conversation_not_found, 429 assistant_rate_limited (visitors)."""
        caller = await _caller(request, db, settings)
        if caller is None:
            await _limit_visitor(request, db, settings, pii, now)
        ctx = Context(db, pii, catalogue, embedder, caller, now)
        return await service.handle(ctx, data)

    @get(
        "/conversations/{conversation_id:str}",
        opt={"public": True},
        cache_control=CacheControlHeader(no_store=True),
    )
    async def conversation(
        self,
        request: Request[Any, Any, Any],
        conversation_id: FromPath[str],
        db: Db,
        settings: Settings,
        pii: PiiCipher,
        catalogue: Catalogue,
        embedder: Embedder,
        now: datetime,
    ) -> ConversationView:
        """The conversation so far, with the replies people wrote in the inbox."""
        caller = await _caller(request, db, settings)
        ctx = Context(db, pii, catalogue, embedder, caller, now)
        return await service.conversation(ctx, conversation_id)

    @get("/handovers", opt={"roles": INBOX})
    async def inbox(
        self,
        db: Db,
        caller: Caller,
        now: datetime,
        status: HandoverStatus | None = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 100,
    ) -> InboxView:
        """客服工作台: newest first, with the working hours; a shop sees its own."""
        return await handovers.inbox(db, caller, status, limit, now)

    @get("/handovers/{handover_id:str}", opt={"roles": INBOX})
    async def handover(
        self, handover_id: FromPath[str], db: Db, caller: Caller, now: datetime
    ) -> HandoverDetail:
        return await handovers.detail(db, caller, handover_id, now)

    @post(
        "/handovers/{handover_id:str}/reveal",
        opt={"roles": INBOX},
        status_code=200,
        cache_control=CacheControlHeader(no_store=True),
    )
    async def reveal(
        self, handover_id: FromPath[str], db: Db, pii: PiiCipher, caller: Caller, now: datetime
    ) -> RevealedMobile:
        """The number to call, unmasked, on an explicit tap; audited."""
        return await handovers.reveal(db, pii, caller, handover_id, now)

    @post("/handovers/{handover_id:str}/reply", opt={"roles": INBOX}, status_code=200)
    async def reply(
        self, handover_id: FromPath[str], data: AgentReply, db: Db, caller: Caller, now: datetime
    ) -> HandoverDetail:
        """A person's answer in the conversation (the visitor sees it in the chat)."""
        return await handovers.reply(db, caller, handover_id, data.text.strip(), now)

    @post("/handovers/{handover_id:str}/close", opt={"roles": INBOX}, status_code=200)
    async def close(
        self, handover_id: FromPath[str], data: CloseBody, db: Db, caller: Caller, now: datetime
    ) -> HandoverDetail:
        return await handovers.close(db, caller, handover_id, data.note.strip(), now)

    @get("/knowledge", opt={"roles": ADMIN})
    async def knowledge_in_use(self, db: Db) -> KnowledgeView:
        return await knowledge.view(db)

    @get("/knowledge/versions", opt={"roles": ADMIN})
    async def knowledge_versions(self, db: Db) -> list[KnowledgeVersionSummary]:
        return await knowledge.history(db)

    @post(
        "/knowledge", opt={"roles": ADMIN}, status_code=201, request_max_body_size=KNOWLEDGE_LIMIT
    )
    async def save_knowledge(
        self, data: KnowledgeSave, db: Db, caller: Caller, now: datetime
    ) -> KnowledgeView:
        """A new version, in use at once (audited); ``based_on`` must be the version in use."""
        return await knowledge.save(
            db, caller, data.knowledge, data.based_on, data.reason.strip(), now
        )


ASSISTANT_ROUTES = [AssistantController]
