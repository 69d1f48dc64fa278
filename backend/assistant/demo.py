"""The assistant's demo 演示对话: yesterday's conversations in the staff inbox, through the real
service — a visitor handed to a person by day, a callback left at three in the morning, and a
pre-screened 哈弗H6 sent to the east shop with its draft application."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.assistant import service
from backend.assistant.embedder import EMBEDDER
from backend.assistant.turn import Context
from backend.db.models import Handover
from backend.intake.catalogue import Catalogue
from backend.security.pii import PiiCipher
from common.api.assistant import MessageBody
from common.business_day import BUSINESS_TZ

CONVERSATIONS = [
    (time(10, 5), ["展期最多能延长多久", "逾期了还能展期吗", "转人工客服"]),
    (time(3, 0), ["凌晨三点发消息有人理吗", "我要找真人", "13900007777"]),
    (time(14, 30), ["我想租一辆车", "哈弗H6 新车", "13万", "4万", "36期", "北京朝阳",
                    "13900008888"]),
]  # fmt: skip


async def seed_demo_conversations(
    db: AsyncSession, pii: PiiCipher, catalogue: Catalogue, now: datetime
) -> int:
    """Yesterday's conversations (Asia/Shanghai), when the inbox is empty; how many."""
    if await db.scalar(select(Handover.id).limit(1)) is not None:
        return 0
    yesterday = now.astimezone(BUSINESS_TZ).date() - timedelta(days=1)
    for at, lines in CONVERSATIONS:
        when = datetime.combine(yesterday, at, tzinfo=BUSINESS_TZ)
        conversation_id = None
        for i, text in enumerate(lines):
            ctx = Context(db, pii, catalogue, EMBEDDER, None, when + timedelta(minutes=i))
            reply = await service.handle(
                ctx, MessageBody(text=text, conversation_id=conversation_id)
            )
            conversation_id = reply.conversation_id
        await db.commit()
    return len(CONVERSATIONS)
