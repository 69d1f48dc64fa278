"""The chat 智能客服 as the screen shows it: the messages so far, the suggestions to tap, the
quote and pre-check of a finished pre-screen, the person it was handed to. Testable without Flet."""

from __future__ import annotations

from dataclasses import dataclass, field

from app_mobile.i18n import format_money
from common.api.assistant import (
    ConversationView,
    FollowUp,
    HandoverKind,
    HandoverRef,
    Precheck,
    PrecheckOutcome,
    QuoteSummary,
    Reply,
)

GREETING = (
    "您好，我是安租7×24小时智能客服。可以问我租赁、还款、展期、提前结清、保险、GPS等问题，"
    "也可以让我帮您预审融资需求、算算月供。"
)
STARTERS = [
    FollowUp(text="帮我预审一下融资需求，算算月供", topic="prescreen"),
    FollowUp(text="我下期还多少？什么时候扣款？", topic="account_next_due"),
    FollowUp(text="怎么办理提前结清？", topic="payoff_how"),
    FollowUp(text="转人工客服", topic="handover"),
]
OUTCOME_TEXT = {
    PrecheckOutcome.LIKELY: "初步预审：规则检查未发现问题",
    PrecheckOutcome.REVIEW: "初步预审：需要人工进一步审核",
    PrecheckOutcome.UNLIKELY: "初步预审：可能无法通过",
}
HANDOVER_TEXT = {
    HandoverKind.LIVE: "已转人工客服（{hours}），客服会在这里回复您",
    HandoverKind.CALLBACK: "已登记回电：{mobile}（{hours}）",
    HandoverKind.DRAFT: "已转给门店：{shop}，业务员会致电 {mobile}",
}


@dataclass(frozen=True)
class Line:
    author: str  # visitor | assistant | agent
    text: str


@dataclass
class Chat:
    conversation_id: str | None = None
    lines: list[Line] = field(default_factory=lambda: [Line("assistant", GREETING)])
    follow_ups: list[FollowUp] = field(default_factory=lambda: list(STARTERS))
    quote: QuoteSummary | None = None
    precheck: Precheck | None = None
    handover: HandoverRef | None = None
    sign_in_needed: bool = False

    def asked(self, text: str) -> None:
        self.lines.append(Line("visitor", text))
        self.follow_ups = []

    def answered(self, reply: Reply) -> None:
        self.conversation_id = reply.conversation_id
        self.lines.append(Line("assistant", reply.answer))
        self.follow_ups = reply.follow_ups
        self.quote = reply.quote or self.quote
        self.precheck = reply.precheck or self.precheck
        self.handover = reply.handover or self.handover
        self.sign_in_needed = reply.sign_in_needed

    def refreshed(self, view: ConversationView) -> None:
        """The conversation as stored (with what a person answered in the inbox)."""
        self.lines = [Line("assistant", GREETING)] + [
            Line(m.author.value, m.text) for m in view.messages
        ]
        self.handover = view.handover or self.handover


def quote_lines(q: QuoteSummary) -> list[str]:
    return [
        f"参考方案：{q.product_name}",
        f"车价 {format_money(q.price)} · 首付 {format_money(q.down_payment)}",
        f"融资 {format_money(q.financed)} · {q.term_months} 期",
        f"月供约 {format_money(q.monthly_payment)}",
        f"含费用年化利率 {q.annualised_rate_percent}%",
    ]


def precheck_text(p: Precheck) -> str:
    text = OUTCOME_TEXT[p.outcome]
    return text + ("：" + "；".join(p.reasons) if p.reasons else "")


def handover_text(h: HandoverRef) -> str:
    return HANDOVER_TEXT[h.kind].format(
        hours=h.service_hours, mobile=h.mobile or "", shop=h.shop or ""
    )
