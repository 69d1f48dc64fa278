"""The decision 审批结果 in plain words: outcome, score, reasons and the gates still to pass."""

from __future__ import annotations

import flet as ft

from app_mobile.i18n import Translator
from app_mobile.state.labels import Labelled, Vocabulary
from app_mobile.state.review import fired, trace_kind, trace_text
from common.api.risk import DecisionView, TraceStepView

OUTCOME_COLOURS = {
    "approved": ft.Colors.GREEN_700,
    "referred": ft.Colors.ORANGE_800,
    "declined": ft.Colors.RED_700,
}
REASON_ICONS = {
    "decline": ft.Icons.BLOCK,
    "refer": ft.Icons.PERSON_SEARCH,
    "approve": ft.Icons.CHECK,
}


def decision_lines(decision: DecisionView, t: Translator) -> list[str]:
    """The decision as sentences, in the current language (also the accessibility label)."""
    zh = t.language == "zh"
    lines = [t(f"outcome_{decision.outcome}"), t("decision_score", score=decision.score)]
    lines += [r.zh if zh else r.en for r in decision.reasons]
    lines += [g.zh if zh else g.en for g in decision.gates]
    if decision.review is not None:
        word = t(f"review_{decision.review.decision}_word")
        lines.append(t("decision_review", decision=word, note=decision.review.note))
    return lines


def decision_panel(
    decision: DecisionView | None, t: Translator, identifier: str = "decision-reasons"
) -> ft.Control:
    """A card with the outcome, the reasons and the gates; tests read it by `identifier`."""
    if decision is None:
        text = t("decision_pending")
        return ft.Semantics(
            identifier=identifier,
            label=text,
            content=ft.Text(text, color=ft.Colors.ON_SURFACE_VARIANT),
        )
    zh = t.language == "zh"
    colour = OUTCOME_COLOURS.get(decision.outcome, ft.Colors.GREY_700)
    body: list[ft.Control] = [
        ft.Row(
            [
                ft.Icon(ft.Icons.GAVEL, color=colour),
                ft.Text(
                    t(f"outcome_{decision.outcome}"),
                    size=18,
                    weight=ft.FontWeight.BOLD,
                    color=colour,
                    expand=True,
                ),
                ft.Text(t("decision_score", score=decision.score), size=13),
            ],
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        ft.Text(t("decision_reasons"), size=12, color=ft.Colors.ON_SURFACE_VARIANT),
    ]
    if not decision.reasons:
        body.append(ft.Text(t("decision_no_reasons"), size=14))
    for reason in decision.reasons:
        body.append(
            ft.Row(
                [
                    ft.Icon(REASON_ICONS.get(reason.kind, ft.Icons.INFO_OUTLINE), size=18),
                    ft.Text(reason.zh if zh else reason.en, size=14, expand=True),
                ],
                vertical_alignment=ft.CrossAxisAlignment.START,
            )
        )
    if decision.gates:
        body.append(ft.Text(t("decision_gates"), size=12, color=ft.Colors.ON_SURFACE_VARIANT))
        for gate in decision.gates:
            body.append(
                ft.Row(
                    [
                        ft.Icon(ft.Icons.VERIFIED_USER_OUTLINED, size=18),
                        ft.Text(gate.zh if zh else gate.en, size=14, expand=True),
                    ],
                    vertical_alignment=ft.CrossAxisAlignment.START,
                )
            )
    if decision.review is not None:
        word = t(f"review_{decision.review.decision}_word")
        body.append(
            ft.Text(t("decision_review", decision=word, note=decision.review.note), size=13)
        )
    card = ft.Card(
        content=ft.Container(padding=12, content=ft.Column(body, spacing=6)),
    )
    return ft.Semantics(
        identifier=identifier, label=" ".join(decision_lines(decision, t)), content=card
    )


def coded_text(item: Labelled, size: int = 13, prefix: str = "") -> ft.Text:
    """The label, then its code small and grey beside it (the code alone when it has none)."""
    spans = [ft.TextSpan(f"{prefix}{item.text}")]
    if item.named:
        spans.append(
            ft.TextSpan(
                f"  {item.code}",
                style=ft.TextStyle(size=size - 2, color=ft.Colors.ON_SURFACE_VARIANT),
            )
        )
    return ft.Text(spans=spans, size=size, selectable=True)


def trace_panel(
    trace: list[TraceStepView], words: Vocabulary, t: Translator, identifier: str = "review-trace"
) -> ft.Control:
    """The fired steps of a decision trace 决策轨迹, each named, with its id small beside it."""
    steps = fired(trace)
    sep = "：" if t.language == "zh" else ": "
    lines: list[ft.Control] = [
        coded_text(words.step(s.id), prefix=f"• {trace_kind(s, t.language)}{sep}") for s in steps
    ] or [ft.Text(t("review_trace_empty"), size=13)]
    label = " ".join(trace_text(s, words) for s in steps) or t("review_trace_empty")
    return ft.Semantics(identifier=identifier, label=label, content=ft.Column(lines, spacing=2))
