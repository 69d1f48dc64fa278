"""The chat 智能客服: a question answered from the knowledge base with its topic and confidence;
unsure below the threshold, with the closest topics and a way to a person; bad input refused
with a code and nothing written."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.db.models import Conversation, ConversationMessage
from common.assistant.matching import UNSURE_BELOW
from tests.backend.assistant.helpers import say
from tests.backend.helpers import login


async def test_a_visitor_asks_in_chinese_and_gets_the_topic_with_its_follow_ups(client):
    reply = await say(client, "提前还清要交多少违约金")
    assert reply["topic"] == "payoff_amount"
    assert reply["confidence"] >= UNSURE_BELOW
    assert "违约金" in reply["answer"]
    assert [f["topic"] for f in reply["follow_ups"]] == [
        "payoff_how",
        "partial_prepayment",
        "deposit",
    ]
    again = await say(client, reply["follow_ups"][0]["text"], reply["conversation_id"])
    assert again["topic"] == "payoff_how"
    assert again["confidence"] == 1.0  # a suggestion is the topic's own question
    assert again["conversation_id"] == reply["conversation_id"]


async def test_the_seed_faq_is_answered(client):
    reply = await say(client, "系统怎么做到7*24小时智能服务？")
    assert reply["topic"] == "service_24h"
    reply = await say(client, "汽车经销商接入系统需要什么硬核条件？")
    assert reply["topic"] == "dealer_onboarding"
    assert "营业执照" in reply["answer"]


async def test_a_question_out_of_scope_is_answered_unsure_with_the_closest_topics(client):
    reply = await say(client, "推荐一家好吃的火锅店")
    assert reply["topic"] is None
    assert reply["confidence"] < UNSURE_BELOW
    assert "不太确定" in reply["answer"]
    chips = reply["follow_ups"]
    assert chips[-1]["topic"] == "handover"  # a person is always offered
    assert 1 <= len(chips) - 1 <= 3
    assert reply["handover"] is None  # offered, not yet passed


async def test_every_message_is_kept_with_its_answer(client, settings):
    reply = await say(client, "GPS费多少钱")
    await say(client, "还款日是哪天", reply["conversation_id"])
    r = await client.get(f"/api/assistant/conversations/{reply['conversation_id']}")
    assert r.status_code == 200
    authors = [m["author"] for m in r.json()["messages"]]
    assert authors == ["visitor", "assistant", "visitor", "assistant"]


async def test_bad_input_is_refused_with_a_code_and_nothing_written(client, settings):
    from backend.db.session import make_engine, make_sessionmaker

    cases = [
        ({"text": ""}, 400, "invalid_input"),
        ({"text": "   "}, 400, "invalid_input"),
        ({"text": "问" * 501}, 400, "invalid_input"),
        ({"text": "你好\x00"}, 400, "invalid_input"),
        ({"text": "你好", "extra": 1}, 400, "unknown_field"),
        ({"text": "你好", "conversation_id": "0" * 32}, 404, "conversation_not_found"),
        ({"text": "你好", "conversation_id": "x" * 33}, 400, "invalid_input"),
    ]
    for body, status, code in cases:
        r = await client.post("/api/assistant/messages", json=body)
        assert (r.status_code, r.json()["code"]) == (status, code), (body, r.text)
    r = await client.post(
        "/api/assistant/messages",
        content=b'{"text": "' + b"a" * 200_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert (r.status_code, r.json()["code"]) == (413, "body_too_large")
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as db:
        assert await db.scalar(select(func.count()).select_from(Conversation)) == 0
        assert await db.scalar(select(func.count()).select_from(ConversationMessage)) == 0
    await engine.dispose()


async def test_a_conversation_answers_only_to_whoever_started_it(client):
    visitor = await say(client, "怎么还款")
    lessee = await login(client, "dealer")
    mine = await say(client, "怎么还款", headers=lessee)
    # a signed-in user cannot continue a visitor's conversation, nor a visitor theirs
    await say(client, "还有呢", visitor["conversation_id"], headers=lessee, status=404)
    await say(client, "还有呢", mine["conversation_id"], status=404)
    r = await client.get(f"/api/assistant/conversations/{mine['conversation_id']}")
    assert r.status_code == 404
    other = await login(client, "dealer2")
    r = await client.get(f"/api/assistant/conversations/{mine['conversation_id']}", headers=other)
    assert r.status_code == 404
    r = await client.post(
        "/api/assistant/messages",
        json={"text": "你好"},
        headers={"Authorization": "Bearer not-a-token"},
    )
    assert r.status_code == 401  # a bad token is not taken for a visitor


async def test_visitors_are_limited_per_address_and_signed_in_users_are_not(client, settings):
    limit = settings.assistant_visitor_per_minute
    reply = await say(client, "首付最低多少")
    for _ in range(limit - 1):
        await say(client, "首付最低多少", reply["conversation_id"])
    r = await client.post("/api/assistant/messages", json={"text": "首付最低多少"})
    assert (r.status_code, r.json()["code"]) == (429, "assistant_rate_limited")
    assert r.headers["Retry-After"] == "60"
    await say(client, "首付最低多少", headers=await login(client, "staff"))
