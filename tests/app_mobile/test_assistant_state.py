"""The chat as the screen shows it: a question and its answer, the suggestions replaced by the
answer's, a finished pre-screen's quote and pre-check, the person it went to; a refresh shows
what a person wrote in the inbox."""

from __future__ import annotations

from datetime import UTC, datetime

from app_mobile.state.assistant import Chat, handover_text, precheck_text, quote_lines
from common.api.assistant import (
    Author,
    ConversationView,
    FollowUp,
    HandoverKind,
    HandoverRef,
    HandoverStatus,
    MessageView,
    Precheck,
    PrecheckOutcome,
    QuoteSummary,
    Reply,
)

QUOTE = QuoteSummary(
    product_id="p-nev-promo",
    product_name="新能源专享",
    price="120000",
    down_payment="30000",
    financed="90000.00",
    term_months=36,
    monthly_payment="2616.91",
    annualised_rate_percent="3.73",
    total_cost="4209.00",
)
SHOP = HandoverRef(
    id="h1",
    kind=HandoverKind.DRAFT,
    status=HandoverStatus.OPEN,
    service_hours="每天 09:00–21:00（北京时间）",
    open_now=True,
    mobile="139****1234",
    shop="城东轮胎店",
)


def test_a_new_chat_greets_and_offers_the_starters():
    chat = Chat()
    assert chat.lines[0].author == "assistant"
    assert "智能客服" in chat.lines[0].text
    assert chat.follow_ups[0].topic == "prescreen"


def test_an_answer_replaces_the_suggestions_and_keeps_the_conversation():
    chat = Chat()
    chat.asked("首付最低多少")
    assert chat.follow_ups == []
    chat.answered(
        Reply(
            conversation_id="c1",
            answer="首付比例按产品不同",
            confidence=0.8,
            topic="down_payment",
            follow_ups=[FollowUp(text="你们有哪些融资租赁产品？", topic="products")],
        )
    )
    assert chat.conversation_id == "c1"
    assert [x.author for x in chat.lines] == ["assistant", "visitor", "assistant"]
    assert [f.topic for f in chat.follow_ups] == ["products"]


def test_a_pre_screen_shows_its_quote_pre_check_and_shop():
    chat = Chat()
    check = Precheck(
        outcome=PrecheckOutcome.UNLIKELY,
        reasons=["报价严重偏离评估价"],
        ruleset_version=1,
        checks=9,
    )
    chat.answered(
        Reply(
            conversation_id="c1",
            answer="预审结果",
            confidence=1.0,
            topic="prescreen",
            follow_ups=[],
            quote=QUOTE,
            precheck=check,
        )
    )
    chat.answered(
        Reply(
            conversation_id="c1",
            answer="已转门店",
            confidence=1.0,
            topic=None,
            follow_ups=[],
            handover=SHOP,
        )
    )
    assert chat.quote == QUOTE  # kept after the next answer
    assert "月供约 ¥2,616.91" in quote_lines(QUOTE)
    assert precheck_text(check) == "初步预审：可能无法通过：报价严重偏离评估价"
    assert handover_text(SHOP) == "已转给门店：城东轮胎店，业务员会致电 139****1234"


def test_a_refresh_shows_a_persons_reply():
    chat = Chat(conversation_id="c1")
    at = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)
    chat.refreshed(
        ConversationView(
            id="c1",
            started_at=at,
            messages=[
                MessageView(author=Author.VISITOR, text="转人工客服", at=at),
                MessageView(author=Author.AGENT, text="您好，我是客服小安", at=at),
            ],
        )
    )
    assert [x.author for x in chat.lines] == ["assistant", "visitor", "agent"]
