"""Handovers to people 转人工 and the staff inbox 客服工作台.

The lessor's service team (admins) works every handover; a shop's staff and owner work the
pre-screened needs sent to their shop (and see no other). The number to call is encrypted at
rest and masked everywhere but in the reveal, which is an explicit, audited act.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.assistant import conversations
from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import Conversation, Handover, Organisation, User
from backend.security.pii import PiiCipher
from common.api.assistant import (
    Author,
    HandoverDetail,
    HandoverKind,
    HandoverRef,
    HandoverStatus,
    HandoverView,
    InboxView,
    RevealedMobile,
)
from common.api.auth import OrganisationKind, Role
from common.assistant.hours import SERVICE_HOURS
from common.errors import Conflict, NotFound
from common.identity.masking import mask_mobile

MOBILE_CONTEXT = "assistant.callback_mobile"
SHOP_ROLES = (Role.STAFF, Role.DEALER_ADMIN)
INBOX_ROLES = (Role.ADMIN, *SHOP_ROLES)
HANDOVER_NOT_FOUND = NotFound("handover_not_found", "找不到该转接记录", "No such handover")
CLOSED = Conflict("handover_closed", "该转接已处理完毕", "This handover is closed")


def ref(h: Handover, now: datetime, shop: str | None = None) -> HandoverRef:
    return HandoverRef(
        id=h.id,
        kind=HandoverKind(h.kind),
        status=HandoverStatus(h.status),
        service_hours=SERVICE_HOURS.text(),
        open_now=SERVICE_HOURS.is_open(now),
        mobile=h.mobile_masked,
        shop=shop,
        application_id=h.application_id,
    )


async def lessor_id(db: AsyncSession) -> str:
    found = await db.scalar(
        select(Organisation.id).where(Organisation.kind == OrganisationKind.LESSOR.value).limit(1)
    )
    assert found is not None, "the lessor is seeded"
    return found


async def open_of(
    db: AsyncSession, conv: Conversation, kinds: tuple[HandoverKind, ...] = tuple(HandoverKind)
) -> Handover | None:
    """The conversation's newest open handover of one of ``kinds``."""
    return await db.scalar(
        select(Handover)
        .where(
            Handover.conversation_id == conv.id,
            Handover.status == HandoverStatus.OPEN.value,
            Handover.kind.in_([k.value for k in kinds]),
        )
        .order_by(Handover.created_at.desc())
        .limit(1)
    )


async def create(
    db: AsyncSession,
    pii: PiiCipher,
    conv: Conversation,
    kind: HandoverKind,
    now: datetime,
    *,
    organisation_id: str,
    summary: str,
    mobile: str | None = None,
    application_id: str | None = None,
    actor: Principal | None = None,
) -> Handover:
    h = Handover(
        conversation_id=conv.id,
        organisation_id=organisation_id,
        kind=kind.value,
        status=HandoverStatus.OPEN.value,
        summary=summary[:200],
        mobile_enc=pii.encrypt(mobile, context=MOBILE_CONTEXT) if mobile else None,
        mobile_masked=mask_mobile(mobile) if mobile else None,
        application_id=application_id,
        created_at=now,
    )
    db.add(h)
    await db.flush()
    await audit.record(
        db,
        actor=actor,
        action="assistant_handover.created",
        entity_type="assistant_handover",
        entity_id=h.id,
        after={
            "kind": h.kind,
            "organisation_id": organisation_id,
            "application_id": application_id,
            "mobile": h.mobile_masked,
        },
        detail={"conversation_id": conv.id},
        at=now,
    )
    return h


def _scoped(caller: Principal) -> Select[Handover]:
    query = select(Handover)
    if caller.role in SHOP_ROLES:
        return query.where(Handover.organisation_id == caller.organisation_id)
    if caller.role is Role.ADMIN:
        return query
    return query.where(Handover.id.is_(None))


async def _load(db: AsyncSession, caller: Principal, handover_id: str) -> Handover:
    h = (
        await db.scalar(_scoped(caller).where(Handover.id == handover_id))
        if len(handover_id) <= 32
        else None
    )
    if h is None:  # another shop's answers as a missing one
        raise HANDOVER_NOT_FOUND
    return h


async def _item(db: AsyncSession, h: Handover, now: datetime) -> HandoverView:
    conv = await db.get(Conversation, h.conversation_id)
    assert conv is not None
    who = "访客"
    if conv.user_id is not None:
        who = await db.scalar(select(User.display_name).where(User.id == conv.user_id)) or who
    shop = await db.scalar(select(Organisation.name).where(Organisation.id == h.organisation_id))
    return HandoverView(
        handover=ref(h, now, shop if h.kind == HandoverKind.DRAFT.value else None),
        conversation_id=h.conversation_id,
        created_at=h.created_at,
        who=who,
        summary=h.summary,
        closed_at=h.closed_at,
        note=h.note,
    )


async def inbox(
    db: AsyncSession, caller: Principal, status: HandoverStatus | None, limit: int, now: datetime
) -> InboxView:
    query = _scoped(caller).order_by(Handover.created_at.desc()).limit(limit)
    if status is not None:
        query = query.where(Handover.status == status.value)
    items = [await _item(db, h, now) for h in await db.scalars(query)]
    return InboxView(
        service_hours=SERVICE_HOURS.text(), open_now=SERVICE_HOURS.is_open(now), items=items
    )


async def detail(
    db: AsyncSession, caller: Principal, handover_id: str, now: datetime
) -> HandoverDetail:
    h = await _load(db, caller, handover_id)
    item = await _item(db, h, now)
    conv = await db.get(Conversation, h.conversation_id)
    assert conv is not None
    rows = await conversations.messages(db, conv.id)
    return HandoverDetail(item=item, conversation=conversations.view(conv, rows, item.handover))


async def reveal(
    db: AsyncSession, pii: PiiCipher, caller: Principal, handover_id: str, now: datetime
) -> RevealedMobile:
    h = await _load(db, caller, handover_id)
    if h.mobile_enc is None:
        raise NotFound("handover_no_mobile", "该转接没有留电话", "No number was left")
    await audit.record(
        db,
        actor=caller,
        action="assistant_handover.mobile_revealed",
        entity_type="assistant_handover",
        entity_id=h.id,
        at=now,
    )
    return RevealedMobile(mobile=pii.decrypt(h.mobile_enc, context=MOBILE_CONTEXT))


async def reply(
    db: AsyncSession, caller: Principal, handover_id: str, text: str, now: datetime
) -> HandoverDetail:
    h = await _load(db, caller, handover_id)
    if h.status != HandoverStatus.OPEN.value:
        raise CLOSED
    conv = await db.get(Conversation, h.conversation_id)
    assert conv is not None
    await conversations.add(db, conv, Author.AGENT, text, now)
    await db.flush()
    return await detail(db, caller, handover_id, now)


async def close(
    db: AsyncSession, caller: Principal, handover_id: str, note: str, now: datetime
) -> HandoverDetail:
    h = await _load(db, caller, handover_id)
    if h.status != HandoverStatus.OPEN.value:
        raise CLOSED
    h.status, h.closed_at, h.closed_by_id, h.note = (
        HandoverStatus.CLOSED.value,
        now,
        caller.user_id,
        note,
    )
    await db.flush()
    await audit.record(
        db,
        actor=caller,
        action="assistant_handover.closed",
        entity_type="assistant_handover",
        entity_id=h.id,
        after={"status": h.status},
        at=now,
    )  # not the note: it may name people
    return await detail(db, caller, handover_id, now)
