"""The manual-review queue 人工审核 as the screens show it: one line per case, the fired trace."""

from __future__ import annotations

from dataclasses import dataclass

from app_mobile.i18n import format_money, format_percent
from app_mobile.state.labels import Vocabulary
from common.api.intake import ApplicationView
from common.api.risk import ReviewDecision, TraceStepView

TRACE_KINDS = {
    "rule": ("规则", "Rule"),
    "row": ("决策表", "Table"),
    "default": ("决策表默认", "Table default"),
    "bin": ("评分卡", "Score card"),
}


@dataclass(frozen=True)
class CaseLine:
    """What the queue shows of one referred application (the customer already masked)."""

    id: str
    vin: str
    customer: str
    amount: str
    rate: str
    term_months: int | None
    reasons: list[str]

    def label(self) -> str:
        return " ".join(
            x for x in (self.vin, self.customer, self.amount, self.rate, *self.reasons) if x
        )


def case_line(view: ApplicationView, language: str = "zh") -> CaseLine:
    quote = view.quote
    decision = view.decision
    reasons = [r.zh if language == "zh" else r.en for r in decision.reasons] if decision else []
    return CaseLine(
        id=view.id,
        vin=view.vehicle.vin if view.vehicle else "",
        customer=view.customer.name if view.customer else "",
        amount=format_money(quote.principal) if quote else "",
        rate=format_percent(quote.annualised_rate_percent) if quote else "",
        term_months=quote.term_months if quote else None,
        reasons=reasons,
    )


def fired(trace: list[TraceStepView]) -> list[TraceStepView]:
    """The steps that hit and took effect: what a reviewer needs to see of the trace."""
    return [step for step in trace if step.hit and step.applied]


def trace_kind(step: TraceStepView, language: str = "zh") -> str:
    """规则 / Rule, 决策表 / Table, ...: what kind of step fired."""
    return TRACE_KINDS.get(step.kind, (step.kind, step.kind))[0 if language == "zh" else 1]


def trace_text(step: TraceStepView, words: Vocabulary) -> str:
    """One fired step in a line: 决策表：征信信号 · 未结清贷款较多 (bureau_signals/many_loans)."""
    kind = trace_kind(step, words.language)
    sep = "：" if words.language == "zh" else ": "
    return f"{kind}{sep}{words.step(step.id).plain()}"


def check_decision(decision: str, note: str) -> tuple[ReviewDecision, str]:
    """A reviewer's verdict ready to send; a note is required (it is the audit's 'why')."""
    note = note.strip()
    if not note:
        raise ValueError("review_note_needed")
    return ReviewDecision(decision), note


def review_notice(verdict: ReviewDecision, view: ApplicationView, language: str = "zh") -> str:
    """What the reviewer is told after deciding: the verdict in words and whose case it was."""
    words = {
        ReviewDecision.APPROVE: ("已批准", "Approved"),
        ReviewDecision.DECLINE: ("已拒绝", "Declined"),
    }[verdict]
    line = case_line(view, language)
    who = " · ".join(x for x in (line.customer, line.vin) if x)
    word = words[0 if language == "zh" else 1]
    return f"{word}：{who}" if language == "zh" else f"{word}: {who}"
