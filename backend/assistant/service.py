"""One message to the assistant 智能客服, answered: load (or start) the conversation, go on with
the guided flow under way (the pre-screen's questions, a number asked for) or match the text to
a topic, do what the topic says, store both messages. The request commits it all or nothing.
"""

from __future__ import annotations

import re

from backend.assistant import account, conversations, handovers, knowledge, prescreen_flow
from backend.assistant.turn import HANDOVER_CHIP, PRESCREEN_CHIP, Context, Outcome, summary
from backend.db.models import Conversation
from common.api.assistant import (
    Author,
    ConversationView,
    FollowUp,
    HandoverKind,
    MessageBody,
    Reply,
)
from common.assistant import prescreen as questions
from common.assistant.hours import SERVICE_HOURS
from common.assistant.knowledge import Action, KnowledgeBase, Topic
from common.assistant.matching import Match
from common.identity.mobile import validate_mobile

_MOBILE_IN_TEXT = r"(?:\+?86)?1[3-9][0-9]{9}"


async def handle(ctx: Context, body: MessageBody) -> Reply:
    conv = await conversations.open_conversation(ctx.db, ctx.caller, body.conversation_id, ctx.now)
    await conversations.add(ctx.db, conv, Author.VISITOR, body.text, ctx.now)
    flow = conv.state.get("flow")
    if flow == "prescreen":
        out = await prescreen_flow.step(ctx, conv, body.text)
    elif flow in ("callback", "draft"):
        out = await _number_step(ctx, conv, body.text)
    else:
        kb, key = await knowledge.in_use(ctx.db)
        out = await _matched(ctx, conv, kb, key, body.text)
    await conversations.add(
        ctx.db,
        conv,
        Author.ASSISTANT,
        out.answer,
        ctx.now,
        topic=out.topic,
        confidence=out.confidence,
    )
    return Reply(
        conversation_id=conv.id,
        answer=out.answer,
        confidence=out.confidence,
        topic=out.topic,
        follow_ups=out.follow_ups,
        handover=out.handover,
        **out.extra,
    )


async def conversation(ctx: Context, conversation_id: str) -> ConversationView:
    conv = await conversations.owned(ctx.db, ctx.caller, conversation_id)
    h = await handovers.open_of(ctx.db, conv)
    rows = await conversations.messages(ctx.db, conv.id)
    return conversations.view(conv, rows, None if h is None else handovers.ref(h, ctx.now))


def _chips(kb: KnowledgeBase, topic: Topic) -> list[FollowUp]:
    found = [kb.topic(t) for t in topic.follow_ups]
    return [FollowUp(text=t.question, topic=t.id) for t in found if t is not None]


async def _matched(
    ctx: Context, conv: Conversation, kb: KnowledgeBase, key: str, text: str
) -> Outcome:
    index = await ctx.embedder.index_of(kb, key)
    ranked = index.rank(await ctx.embedder.query(text))
    best = ranked[0]
    topic = kb.topic(best.topic_id)
    assert topic is not None
    if not best.sure:
        return _unsure(kb, ranked)
    out = await _act(ctx, conv, kb, topic)
    out.confidence = best.confidence
    return out


def _unsure(kb: KnowledgeBase, ranked: list[Match]) -> Outcome:
    closest = [t for t in (kb.topic(m.topic_id) for m in ranked) if t and t.action is None]
    chips = [FollowUp(text=t.question, topic=t.id) for t in closest]
    answer = "抱歉，我不太确定您问的是什么。"
    answer += (
        "您是想问下面这些吗？也可以换个说法，或者转人工客服。"
        if chips
        else "您可以换个说法，或者转人工客服。"
    )
    return Outcome(
        answer=answer,
        topic=None,
        confidence=ranked[0].confidence,
        follow_ups=[*chips, HANDOVER_CHIP],
    )


async def _act(ctx: Context, conv: Conversation, kb: KnowledgeBase, topic: Topic) -> Outcome:
    chips = _chips(kb, topic)
    if topic.action is None:
        return Outcome(answer=topic.answer, topic=topic.id, follow_ups=chips)
    if topic.action is Action.PRESCREEN:
        conv.state = {"flow": "prescreen", "need": {}}
        first = questions.QUESTIONS[questions.Slot.VEHICLE]
        return Outcome(answer=f"{topic.answer}\n{first}", topic=topic.id)
    if topic.action is Action.HANDOVER:
        return await _hand_over(ctx, conv, topic.id)
    if ctx.caller is not None and account.serves(topic.action, ctx.caller):
        said = await account.answer(ctx.db, ctx.catalogue, ctx.caller, topic.action, ctx.now)
        return Outcome(answer=said, topic=topic.id, follow_ups=chips)
    # A visitor (or a role without such records) reads the general answer.
    return Outcome(
        answer=topic.answer,
        topic=topic.id,
        follow_ups=chips,
        extra={"sign_in_needed": ctx.caller is None},
    )


async def _hand_over(ctx: Context, conv: Conversation, topic_id: str | None) -> Outcome:
    hours = SERVICE_HOURS.text()
    # a need sent to a shop is the shop's: a question for a person is the service team's
    existing = await handovers.open_of(ctx.db, conv, (HandoverKind.LIVE, HandoverKind.CALLBACK))
    if existing is not None:
        return Outcome(
            answer=f"已经为您转接人工客服，请稍候，客服会在这里回复您（人工服务时间：{hours}）。",
            topic=topic_id,
            handover=handovers.ref(existing, ctx.now),
        )
    if SERVICE_HOURS.is_open(ctx.now):
        h = await handovers.create(
            ctx.db,
            ctx.pii,
            conv,
            HandoverKind.LIVE,
            ctx.now,
            organisation_id=await handovers.lessor_id(ctx.db),
            summary=await summary(ctx, conv),
            actor=ctx.caller,
        )
        return Outcome(
            answer=f"已为您转接人工客服，请稍候，客服会在这里回复您（人工服务时间：{hours}）。",
            topic=topic_id,
            handover=handovers.ref(h, ctx.now),
        )
    conv.state = {"flow": "callback"}
    opens = SERVICE_HOURS.next_opening(ctx.now)
    return Outcome(
        answer=f"现在是非工作时间（人工服务时间：{hours}）。请留下您的手机号，"
        f"人工客服会在 {opens:%m月%d日 %H:%M} 上班后给您回电；回复“取消”可以不留。",
        topic=topic_id,
    )


async def _number_step(ctx: Context, conv: Conversation, text: str) -> Outcome:
    """A number asked for: for a callback at night, or for the shop a draft goes to."""
    flow = conv.state["flow"]
    if questions.cancels(text):
        conv.state = {}
        return Outcome(
            answer="好的，不留电话了。还有其他问题随时问我。",
            follow_ups=[PRESCREEN_CHIP, HANDOVER_CHIP],
        )
    check = validate_mobile(_number_in(text))
    if not check.valid:
        return Outcome(
            answer="这不像是一个手机号码，请输入11位手机号（例如 138 0013 8000），或回复“取消”。"
        )
    mobile = check.value
    if flow == "callback":
        conv.state = {}
        h = await handovers.create(
            ctx.db,
            ctx.pii,
            conv,
            HandoverKind.CALLBACK,
            ctx.now,
            organisation_id=await handovers.lessor_id(ctx.db),
            summary=await summary(ctx, conv),
            mobile=mobile,
            actor=ctx.caller,
        )
        opens = SERVICE_HOURS.next_opening(ctx.now)
        return Outcome(
            answer=f"已登记回电请求，人工客服会在 {opens:%m月%d日 %H:%M} 后致电 "
            f"{h.mobile_masked}。",
            handover=handovers.ref(h, ctx.now),
        )
    return await prescreen_flow.send_to_shop(ctx, conv, mobile)


def _number_in(text: str) -> str:
    found = re.search(_MOBILE_IN_TEXT, re.sub(r"[\s\-]", "", text))
    return found.group(0) if found else text
