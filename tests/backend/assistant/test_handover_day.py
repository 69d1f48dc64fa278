"""Handing over to a person in working hours 转人工: the conversation lands in the lessor's
staff inbox with the working hours; a person's reply reaches the visitor's chat."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.clock import Clock
from tests.backend.assistant.helpers import say
from tests.backend.helpers import login


def _ten_in_shanghai() -> datetime:
    return datetime(2026, 6, 10, 2, 0, tzinfo=UTC)  # 10:00 Asia/Shanghai


@pytest.fixture
def clock() -> Clock:
    return _ten_in_shanghai


async def test_a_visitor_reaches_a_person_and_reads_the_reply(client):
    first = await say(client, "展期最多能延长多久")
    reply = await say(client, "我要找真人", first["conversation_id"])
    handover = reply["handover"]
    assert (handover["kind"], handover["status"], handover["open_now"]) == ("live", "open", True)
    assert handover["service_hours"] == "每天 09:00–21:00（北京时间）"
    again = await say(client, "转人工客服", first["conversation_id"])
    assert again["handover"]["id"] == handover["id"]  # one handover per conversation at a time
    admin = await login(client, "admin")
    inbox = (await client.get("/api/assistant/handovers?status=open", headers=admin)).json()
    assert inbox["open_now"] is True
    assert inbox["service_hours"] == "每天 09:00–21:00（北京时间）"
    (item,) = inbox["items"]
    assert item["who"] == "访客"
    assert "展期" in item["summary"]
    detail = (await client.get(f"/api/assistant/handovers/{handover['id']}", headers=admin)).json()
    said = [m["text"] for m in detail["conversation"]["messages"] if m["author"] == "visitor"]
    assert said == ["展期最多能延长多久", "我要找真人", "转人工客服"]
    r = await client.post(
        f"/api/assistant/handovers/{handover['id']}/reply",
        json={"text": "您好，我是客服小安，展期最多延长12个月。"},
        headers=admin,
    )
    assert r.status_code == 200
    chat = (await client.get(f"/api/assistant/conversations/{first['conversation_id']}")).json()
    assert chat["messages"][-1] == chat["messages"][-1] | {
        "author": "agent",
        "text": "您好，我是客服小安，展期最多延长12个月。",
    }
    assert chat["handover"]["id"] == handover["id"]
    r = await client.post(
        f"/api/assistant/handovers/{handover['id']}/close", json={"note": "已解答"}, headers=admin
    )
    assert r.json()["item"]["handover"]["status"] == "closed"
    r = await client.post(
        f"/api/assistant/handovers/{handover['id']}/reply", json={"text": "还在吗"}, headers=admin
    )
    assert (r.status_code, r.json()["code"]) == (409, "handover_closed")


async def test_the_inbox_is_for_the_lessors_staff_and_each_shop_sees_only_its_own(client):
    reply = await say(client, "人工服务")
    handover_id = reply["handover"]["id"]
    for user in ("staff", "dealer"):  # a live handover is the lessor's service team's
        headers = await login(client, user)
        r = await client.get(f"/api/assistant/handovers/{handover_id}", headers=headers)
        assert (r.status_code, r.json()["code"]) == (404, "handover_not_found")
    for user in ("lessee", "risk", "monitor"):
        r = await client.get("/api/assistant/handovers", headers=await login(client, user))
        assert r.status_code == 403
    assert (await client.get("/api/assistant/handovers")).status_code == 401


async def test_the_inbox_refuses_bad_input_with_a_code(client):
    reply = await say(client, "人工服务")
    handover_id = reply["handover"]["id"]
    admin = await login(client, "admin")
    base = f"/api/assistant/handovers/{handover_id}"
    for path, body, status, code in [
        (f"{base}/reply", {"text": ""}, 400, "invalid_input"),
        (f"{base}/reply", {"text": "好" * 501}, 400, "invalid_input"),
        (f"{base}/close", {}, 400, "invalid_input"),
        (f"/api/assistant/handovers/{'0' * 32}/reply", {"text": "您好"}, 404, "handover_not_found"),
        (f"/api/assistant/handovers/{'0' * 32}/reveal", None, 404, "handover_not_found"),
        (f"{base}/reveal", None, 404, "handover_no_mobile"),  # a live handover has no number
    ]:
        r = await client.post(path, json=body, headers=admin)
        assert (r.status_code, r.json()["code"]) == (status, code), (path, r.text)
    r = await client.get("/api/assistant/handovers?status=maybe", headers=admin)
    assert r.status_code == 400
    detail = (await client.get(base, headers=admin)).json()
    assert [m["author"] for m in detail["conversation"]["messages"]] == ["visitor", "assistant"]
