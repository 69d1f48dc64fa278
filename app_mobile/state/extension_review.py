"""The extension review queue 展期审核 as the screens show it: referred requests newest first,
the decided ones below; one request's facts, terms now and after, and the new schedule in brief;
the note a decision (or a published rule set) must carry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app_mobile.i18n import format_date, format_money, format_percent
from common.api.servicing import ExtensionPreview, ExtensionView

NOTE_LIMIT = 200  # ExtensionDecisionBody.note / ExtensionRuleSetBody.note
DECIDED = ("approved", "declined", "reversed")


def split_queue(views: Sequence[ExtensionView]) -> tuple[list[ExtensionView], list[ExtensionView]]:
    """(referred, newest first; decided, most recently decided first)."""
    referred = sorted((v for v in views if v.status == "referred"),
                      key=lambda v: (v.created_at, v.id), reverse=True)  # fmt: skip
    decided = sorted((v for v in views if v.status in DECIDED),
                     key=lambda v: (v.decided_at or v.created_at, v.id), reverse=True)  # fmt: skip
    return referred, decided


def check_note(text: str) -> str:
    """The note, trimmed; a decision without one is refused here, before anything is sent."""
    note = text.strip()
    if not note:
        raise ValueError("请填写审核意见 / a note is required")
    if len(note) > NOTE_LIMIT:
        raise ValueError(f"不超过{NOTE_LIMIT}字 / at most {NOTE_LIMIT} characters")
    return note


@dataclass(frozen=True)
class CaseLine:
    """What the queue shows of one request (the lessee already masked by the server)."""

    id: str
    title: str  # contract number · lessee
    months: int
    rent: str  # ¥3,000.00 → ¥2,400.00
    reasons: list[str]

    def label(self) -> str:
        return " ".join([self.title, str(self.months), self.rent, *self.reasons])


def case_line(view: ExtensionView) -> CaseLine:
    p = view.preview
    who = " · ".join(x for x in (view.contract_number, view.lessee_name or "") if x)
    return CaseLine(
        id=view.id,
        title=who or view.contract_id[:8],
        months=view.months_to_add or p.months_to_add,
        rent=f"{format_money(p.current.rent)} → {format_money(p.proposed.rent)}",
        reasons=[r.text for r in view.reasons],
    )


def fact_lines(view: ExtensionView, language: str = "zh") -> list[tuple[str, str]]:
    """(label, value) per fact the rules judged, as the server names them."""
    return [(f.label_zh if language == "zh" else f.label_en, str(f.value)) for f in view.facts]


@dataclass(frozen=True)
class TermsRow:
    key: str  # the i18n key of the line
    now: str
    after: str


def terms_rows(p: ExtensionPreview) -> list[TermsRow]:
    """Rent, term, rate by IRR and end date, now and after."""
    c, n = p.current, p.proposed
    return [
        TermsRow("ext_review_rent", format_money(c.rent), format_money(n.rent)),
        TermsRow("ext_review_term", str(c.term_months), str(n.term_months)),
        TermsRow(
            "ext_review_rate",
            format_percent(c.annualised_rate_percent),
            format_percent(n.annualised_rate_percent),
        ),
        TermsRow("ext_review_end", format_date(c.end_date), format_date(n.end_date)),
    ]


@dataclass(frozen=True)
class ScheduleSummary:
    """The new schedule in brief 新还款计划摘要."""

    instalments: int
    first_number: int
    first_due: date | None
    last_due: date | None
    first_amount: str  # the first new rent, with the extension fee
    principal: str  # what the rows repay, arrears capitalised included
    interest: str


def schedule_summary(p: ExtensionPreview) -> ScheduleSummary:
    rows = p.schedule
    if not rows:
        return ScheduleSummary(0, 0, None, None, "0.00", "0.00", "0.00")
    principal = sum((Decimal(r.principal) for r in rows), Decimal(0))
    interest = sum((Decimal(r.interest) for r in rows), Decimal(0))
    return ScheduleSummary(
        instalments=len(rows), first_number=rows[0].number, first_due=rows[0].due_date,
        last_due=rows[-1].due_date, first_amount=str(rows[0].amount_due),
        principal=f"{principal:.2f}", interest=f"{interest:.2f}",
    )  # fmt: skip
