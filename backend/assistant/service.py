"""One message to the assistant 智能客服, answered: load (or start) the conversation, go on with
the guided flow under way (the pre-screen's questions, a number asked for) or match the text to
a topic, do what the topic says, store both messages. The request commits it all or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from backend.assistant import account, conversations, handovers, knowledge, prescreen
from backend.assistant.embedder import Embedder
from backend.auth.principal import Principal
from backend.db.models import Conversation
from backend.intake.catalogue import Catalogue
from backend.security.pii import PiiCipher
from common.api.assistant import (
    Author,
    ConversationView,
    FollowUp,
    HandoverKind,
    HandoverRef,
    MessageBody,
    Reply,
)
from common.assistant import prescreen as questions
from common.assistant.hours import SERVICE_HOURS
from common.assistant.knowledge import Action, KnowledgeBase, Topic
from common.assistant.matching import Match
from common.business_day import business_date
from common.identity.mobile import validate_mobile
from common.money import format_cny

HANDOVER_CHIP = FollowUp(text="转人工客服", topic="handover")
PRESCREEN_CHIP = FollowUp(text="帮我预审一下融资需求，算算月供", topic="prescreen")
_MOBILE_IN_TEXT = r"(?:\+?86)?1[3-9][0-9]{9}"


@dataclass
class Context:
    db: AsyncSession
    pii: PiiCipher
    catalogue: Catalogue
    embedder: Embedder
    caller: Principal | None
    now: datetime


@dataclass
class Outcome:
    answer: str
    topic: str | None = None
    confidence: float = 1.0
    follow_ups: list[FollowUp] = field(default_factory=list)
    handover: HandoverRef | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # quote, precheck, sign_in_needed


async def handle(ctx: Context, body: MessageBody) -> Reply:
    conv = await conversations.open_conversation(ctx.db, ctx.caller, body.conversation_id, ctx.now)
    await conversations.add(ctx.db, conv, Author.VISITOR, body.text, ctx.now)
    kb = await knowledge.current(ctx.db)
    flow = conv.state.get("flow")
    if flow == "prescreen":
        out = await _prescreen_step(ctx, conv, kb, body.text)
    elif flow in ("callback", "draft"):
        out = await _number_step(ctx, conv, body.text)
    else:
        out = await _matched(ctx, conv, kb, body.text)
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


async def _matched(ctx: Context, conv: Conversation, kb: KnowledgeBase, text: str) -> Outcome:
    index = await ctx.embedder.index_of(kb, knowledge.digest(kb))
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
            summary=await _summary(ctx, conv),
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


async def _summary(ctx: Context, conv: Conversation) -> str:
    """What the inbox shows: the visitor's last questions, masked, in one line."""
    rows = await conversations.messages(ctx.db, conv.id)
    said = [r.text for r in rows if r.author == Author.VISITOR.value][-3:]
    return " / ".join(said)[:200] or "转人工"


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
            summary=await _summary(ctx, conv),
            mobile=mobile,
            actor=ctx.caller,
        )
        opens = SERVICE_HOURS.next_opening(ctx.now)
        return Outcome(
            answer=f"已登记回电请求，人工客服会在 {opens:%m月%d日 %H:%M} 后致电 "
            f"{h.mobile_masked}。",
            handover=handovers.ref(h, ctx.now),
        )
    return await _send_to_shop(ctx, conv, mobile)


def _number_in(text: str) -> str:
    found = re.search(_MOBILE_IN_TEXT, re.sub(r"[\s\-]", "", text))
    return found.group(0) if found else text


async def _prescreen_step(
    ctx: Context, conv: Conversation, kb: KnowledgeBase, text: str
) -> Outcome:
    if questions.cancels(text):
        conv.state = {}
        return Outcome(
            answer="好的，预审已取消。还有其他问题随时问我。",
            follow_ups=[PRESCREEN_CHIP, HANDOVER_CHIP],
        )
    need = msgspec.convert(conv.state.get("need", {}), questions.Need)
    slot = need.next_slot()
    assert slot is not None
    today = business_date(ctx.now)
    filled = questions.fill(need, slot, text, prescreen.models_of(ctx.catalogue), today)
    if filled is None:
        return Outcome(answer=questions.RETRY[slot] + "（回复“取消”可退出预审）", topic="prescreen")
    conv.state = {"flow": "prescreen", "need": msgspec.to_builtins(filled)}
    following = filled.next_slot()
    if following is not None:
        return Outcome(answer=questions.QUESTIONS[following], topic="prescreen")
    return await _prescreen_result(ctx, conv, filled)


async def _prescreen_result(ctx: Context, conv: Conversation, need: questions.Need) -> Outcome:
    today = business_date(ctx.now)
    priced = await prescreen.quote(ctx.db, ctx.catalogue, need, today)
    check = await prescreen.precheck(ctx.db, ctx.catalogue, need, priced, today)
    lines = [
        f"预审结果（仅供参考，不构成审批承诺）：{need.model_name}，"
        f"{'新车' if need.is_new else f'{need.model_year}年二手车'}，"
        f"车价{format_cny(Decimal(need.price or 0))}。"
    ]
    if priced is None:
        lines.append("目前没有适合这辆车的金融产品，可以转人工客服了解其他方案。")
    else:
        q = priced.summary
        lines += priced.notes
        lines.append(
            f"参考方案“{q.product_name}”：首付{format_cny(Decimal(q.down_payment))}，"
            f"融资{format_cny(Decimal(q.financed))}，{q.term_months}期，"
            f"每月约{format_cny(Decimal(q.monthly_payment))}，"
            f"含费用年化利率{q.annualised_rate_percent}%。"
        )
    verdict = {
        "likely": "初步预审：按您提供的信息，规则检查未发现问题。",
        "review": "初步预审：部分情况需要人工进一步审核。",
        "unlikely": "初步预审：按您提供的信息，可能无法通过。",
    }[check.outcome.value]
    lines.append(verdict + ("原因：" + "；".join(check.reasons) + "。" if check.reasons else ""))
    lines.append("正式审批还需要身份证、征信等资料。")
    extra: dict[str, Any] = {"precheck": check, "quote": priced.summary if priced else None}
    if priced is None:
        conv.state = {}
        return Outcome(
            answer="\n".join(lines), topic="prescreen", follow_ups=[HANDOVER_CHIP], extra=extra
        )
    conv.state = {"flow": "draft", "need": msgspec.to_builtins(need)}
    lines.append(
        "需要的话，留下您的手机号，我把方案转给离您最近的门店，业务员会联系您办理；"
        "回复“取消”则不转。"
    )
    return Outcome(answer="\n".join(lines), topic="prescreen", extra=extra)


async def _send_to_shop(ctx: Context, conv: Conversation, mobile: str) -> Outcome:
    need = msgspec.convert(conv.state.get("need", {}), questions.Need)
    conv.state = {}
    today = business_date(ctx.now)
    priced = await prescreen.quote(ctx.db, ctx.catalogue, need, today)
    assert priced is not None  # the flow asks for a number only after a quote
    shop = await prescreen.nearest_shop(ctx.db, need.region_code or "")
    summary = (
        f"预审转单：{need.model_name} 车价{need.price} 首付{priced.summary.down_payment} "
        f"{priced.summary.term_months}期"
    )
    if shop is None:  # no shop in the province: the lessor's service team calls
        h = await handovers.create(
            ctx.db,
            ctx.pii,
            conv,
            HandoverKind.CALLBACK,
            ctx.now,
            organisation_id=await handovers.lessor_id(ctx.db),
            summary=summary,
            mobile=mobile,
            actor=ctx.caller,
        )
        return Outcome(
            answer=f"您所在的地区暂时没有合作门店，已登记给人工客服，会致电 "
            f"{h.mobile_masked} 为您安排。",
            handover=handovers.ref(h, ctx.now),
        )
    app = await prescreen.draft_for(
        ctx.db,
        ctx.catalogue,
        shop,
        need,
        priced,
        {"source": "assistant", "conversation_id": conv.id},
    )
    h = await handovers.create(
        ctx.db,
        ctx.pii,
        conv,
        HandoverKind.DRAFT,
        ctx.now,
        organisation_id=shop.id,
        summary=summary,
        mobile=mobile,
        application_id=app.id,
        actor=ctx.caller,
    )
    return Outcome(
        answer=f"已把您的方案转给“{shop.name}”，并为您生成了申请草稿；门店业务员会致电 "
        f"{h.mobile_masked}，带上身份证到店即可完成正式申请。",
        handover=handovers.ref(h, ctx.now, shop.name),
    )
