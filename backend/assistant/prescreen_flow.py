"""The pre-screen as a conversation 融资预审: each answer read and the next question asked, then
the quote and the pre-check, and — given a number — the need sent to the nearest shop."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec

from backend.assistant import handovers, prescreen
from backend.assistant.turn import HANDOVER_CHIP, PRESCREEN_CHIP, Context, Outcome
from backend.db.models import Conversation
from common.api.assistant import HandoverKind
from common.assistant import prescreen as questions
from common.business_day import business_date
from common.money import format_cny


async def step(ctx: Context, conv: Conversation, text: str) -> Outcome:
    """The answer to the question asked; the next question, or the result."""
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
    return await _result(ctx, conv, filled)


async def _result(ctx: Context, conv: Conversation, need: questions.Need) -> Outcome:
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


async def send_to_shop(ctx: Context, conv: Conversation, mobile: str) -> Outcome:
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
