"""At night 非工作时间 the assistant takes a callback request: the number is validated, masked in
every answer and log, encrypted at rest, and revealed only on an audited tap in the inbox."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from backend.audit import service as audit
from backend.clock import Clock
from backend.db.models import AuditEvent, ConversationMessage, Handover
from backend.db.session import make_engine, make_sessionmaker
from tests.backend.assistant.helpers import say
from tests.backend.helpers import login

MOBILE = "13912345678"


def _three_at_night() -> datetime:
    return datetime(2026, 6, 9, 19, 0, tzinfo=UTC)  # 03:00 Asia/Shanghai


@pytest.fixture
def clock() -> Clock:
    return _three_at_night


async def test_at_three_in_the_morning_a_callback_is_taken(client, settings, caplog):
    caplog.set_level(logging.DEBUG)
    reply = await say(client, "帮我转接人工")
    assert reply["handover"] is None
    assert "非工作时间" in reply["answer"]
    assert "06月10日 09:00" in reply["answer"]
    wrong = await say(client, "12345", reply["conversation_id"])
    assert "手机号" in wrong["answer"]
    assert wrong["handover"] is None
    done = await say(
        client, f"我的电话是 {MOBILE[:3]}-{MOBILE[3:7]}-{MOBILE[7:]}", reply["conversation_id"]
    )
    handover = done["handover"]
    assert (handover["kind"], handover["mobile"], handover["open_now"]) == (
        "callback",
        "139****5678",
        False,
    )
    assert MOBILE not in done["answer"]
    admin = await login(client, "admin")
    detail = await client.get(f"/api/assistant/handovers/{handover['id']}", headers=admin)
    assert MOBILE not in detail.text
    assert "139****5678" in detail.text
    r = await client.post(f"/api/assistant/handovers/{handover['id']}/reveal", headers=admin)
    assert r.json() == {"mobile": MOBILE}
    assert r.headers["cache-control"] == "no-store"
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as db:
        row = await db.scalar(select(Handover).where(Handover.id == handover["id"]))
        assert row is not None
        assert row.mobile_masked == "139****5678"
        assert MOBILE not in (row.mobile_enc or "")
        texts = await db.scalars(select(ConversationMessage.text))
        assert not any(MOBILE in t or "139-1234-5678" in t for t in texts)
        await audit.link_pending(db)
        actions = set(
            await db.scalars(
                select(AuditEvent.action).where(AuditEvent.entity_id == handover["id"])
            )
        )
        assert actions == {"assistant_handover.created", "assistant_handover.mobile_revealed"}
        details = await db.scalars(select(AuditEvent.detail))
        assert not any(MOBILE in d for d in details)
    await engine.dispose()
    assert MOBILE not in caplog.text


async def test_a_callback_can_be_declined(client):
    reply = await say(client, "人工服务")
    done = await say(client, "取消", reply["conversation_id"])
    assert "不留电话" in done["answer"]
    admin = await login(client, "admin")
    assert (await client.get("/api/assistant/handovers", headers=admin)).json()["items"] == []
