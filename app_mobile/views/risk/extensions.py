"""Extension reviews 展期审核: the referred requests, newest first, and the recently decided ones
(read only); one request's facts, the rules' reasons, its terms now and after and the new
schedule in brief, then approve or decline with a note.

Routes: /risk/extensions, /risk/extensions/<id>.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, LabelledText, tagged
from app_mobile.components.decision import OUTCOME_COLOURS, REASON_ICONS
from app_mobile.i18n import format_date, format_datetime, format_money
from app_mobile.state.extension_review import (
    case_line,
    check_note,
    fact_lines,
    schedule_summary,
    split_queue,
    terms_rows,
)
from app_mobile.views.risk.common import heading, muted, risk_session, screen
from common.api.auth import Role
from common.api.servicing import ExtensionView

if TYPE_CHECKING:
    from app_mobile.shell import App

QUEUE = "/risk/extensions"
DECIDED_SHOWN = 20
STATE_COLOURS = {**OUTCOME_COLOURS, "reversed": ft.Colors.GREY_700}


def _state(app: App, status: str) -> ft.Control:
    return ft.Container(
        content=ft.Text(app.t(f"ext_state_{status}"), size=12, color=ft.Colors.WHITE),
        bgcolor=STATE_COLOURS.get(status, ft.Colors.GREY_600),
        border_radius=10,
        padding=ft.Padding.symmetric(horizontal=8, vertical=2),
    )


def _card(app: App, view: ExtensionView) -> ft.Control:
    t = app.t
    line = case_line(view)

    async def open_(e: ft.Event[Any]) -> None:
        await app.go(f"{QUEUE}/{view.id}")

    lines: list[ft.Control] = [
        ft.Row(
            [
                ft.Text(
                    line.title,
                    weight=ft.FontWeight.W_600,
                    expand=True,
                    max_lines=1,
                    overflow=ft.TextOverflow.ELLIPSIS,
                ),
                _state(app, view.status),
            ]
        ),
        muted(f"{t('ext_review_months', n=line.months)} · {line.rent}", 13),
    ]
    if view.status == "referred":
        lines += [ft.Text(f"• {r}", size=13, color=ft.Colors.ORANGE_900) for r in line.reasons]
        lines.append(muted(t("ext_review_filed", at=format_datetime(view.created_at)), 12))
    else:
        when = format_datetime(view.decided_at or view.created_at)
        lines.append(muted(when, 12))
        if view.reviewer_note:
            lines.append(muted(t("ext_review_reviewer_note", note=view.reviewer_note), 12))
    card = ft.Card(
        content=ft.Container(padding=12, on_click=open_, content=ft.Column(lines, spacing=4))
    )
    return tagged(f"ext-case-{view.id}", card, label=line.label())


async def queue_view(app: App) -> ft.View:
    t = app.t
    banner = ErrorBanner()
    session = risk_session(app)
    if session.notice:
        banner.show(session.notice, success=True)
        session.notice = ""
    try:
        views = await app.api.extension_queue(newest=True, limit=200)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        views = []
    referred, decided = split_queue(views)
    waiting = [_card(app, v) for v in referred] or [muted(t("ext_review_empty"), 14)]
    done = [_card(app, v) for v in decided[:DECIDED_SHOWN]]
    done = done or [muted(t("ext_review_none_decided"), 14)]

    async def refresh(e: ft.Event[Any]) -> None:
        await app.show(QUEUE)

    view = screen(
        app,
        QUEUE,
        t("risk_extensions"),
        [
            banner.control,
            heading(t("ext_review_referred", n=len(referred))),
            tagged("ext-queue", ft.Column(waiting), label=str(len(referred))),
            heading(t("ext_review_decided")),
            tagged("ext-decided", ft.Column(done), label=str(len(decided))),
        ],
    )
    assert view.appbar is not None
    view.appbar.actions = [  # type: ignore[union-attr]
        ft.IconButton(ft.Icons.REFRESH, tooltip=t("refresh"), on_click=refresh),
        *(view.appbar.actions or []),  # type: ignore[union-attr]
    ]
    return view


def _pair(label: str, value: str) -> ft.Control:
    return ft.Row(
        [
            ft.Text(label, size=13, color=ft.Colors.ON_SURFACE_VARIANT, width=170),
            ft.Text(value, size=14, expand=True, selectable=True),
        ],
        vertical_alignment=ft.CrossAxisAlignment.START,
    )


def _reasons(app: App, view: ExtensionView) -> ft.Control:
    t = app.t
    colour = OUTCOME_COLOURS.get(view.decision.outcome, ft.Colors.GREY_700)
    rows: list[ft.Control] = [
        ft.Text(t(f"outcome_{view.decision.outcome}"), size=16, weight=ft.FontWeight.BOLD,
                color=colour),
    ]  # fmt: skip
    for r in view.reasons:
        rows.append(
            ft.Row(
                [
                    ft.Icon(REASON_ICONS.get(r.kind, ft.Icons.INFO_OUTLINE), size=16),
                    ft.Text(r.text, size=13, expand=True),
                    ft.Text(r.code, size=11, color=ft.Colors.ON_SURFACE_VARIANT),
                ]
            )
        )
    label = " ".join([t(f"outcome_{view.decision.outcome}"), *(r.text for r in view.reasons)])
    return tagged("ext-reasons", ft.Column(rows, spacing=2), label=label)


def _terms(app: App, view: ExtensionView) -> list[ft.Control]:
    t, p = app.t, view.preview
    head = ft.Row(
        [
            ft.Text("", width=120),
            ft.Text(t("ext_now"), size=12, color=ft.Colors.ON_SURFACE_VARIANT, expand=True),
            ft.Text(t("ext_after"), size=12, color=ft.Colors.ON_SURFACE_VARIANT, expand=True),
        ]
    )
    rows: list[ft.Control] = [head]
    for row in terms_rows(p):
        rows.append(
            ft.Row(
                [
                    ft.Text(t(row.key), size=13, color=ft.Colors.ON_SURFACE_VARIANT, width=120),
                    ft.Text(row.now, size=14, expand=True),
                    ft.Text(row.after, size=14, expand=True, weight=ft.FontWeight.W_600),
                ]
            )
        )
    label = " ".join(f"{t(r.key)} {r.now} {r.after}" for r in terms_rows(p))
    out: list[ft.Control] = [tagged("ext-terms", ft.Column(rows, spacing=4), label=label)]
    if p.fee != "0.00":
        out.append(muted(t("ext_fee", amount=format_money(p.fee))))
    if p.capitalised != "0.00":
        out.append(muted(t("ext_capitalised", amount=format_money(p.capitalised))))
    s = schedule_summary(p)
    if s.first_due is not None:
        lines = [
            t("ext_review_span", first=s.first_number, n=s.instalments,
              start=format_date(s.first_due), end=format_date(s.last_due)),
            t("ext_review_first_amount", amount=format_money(s.first_amount)),
            t("ext_review_totals", principal=format_money(s.principal),
              interest=format_money(s.interest)),
        ]  # fmt: skip
        out += [
            heading(t("ext_review_schedule")),
            tagged("ext-schedule", ft.Column([muted(x, 13) for x in lines], spacing=2),
                   label=" ".join(lines)),
        ]  # fmt: skip
    return out


def _decision_bar(app: App, view: ExtensionView, banner: ErrorBanner) -> list[ft.Control]:
    t = app.t
    note = ft.TextField(
        label=t("ext_review_note"), multiline=True, min_lines=2, max_lines=4, max_length=200
    )
    title = case_line(view).title
    failure = LabelledText("ext-decision-error", "", size=13, color=ft.Colors.RED_900)
    failure.control.visible = False

    def decider(approve: bool):  # type: ignore[no-untyped-def]
        async def decide(e: ft.Event[Any]) -> None:
            try:
                text = check_note(note.value or "")
            except ValueError:
                note.error = t("review_note_needed")
                note.update()
                return
            note.error = None
            try:
                await app.api.decide_extension(view.id, approve, text)
            except ApiError as exc:  # e.g. 409 extension_stale: the schedule changed since
                message = exc.message(t.language)
                banner.show(message)
                failure.set(message)  # also beside the buttons, where the reviewer is looking
                failure.control.visible = True
                app.page.update()
                return
            key = "ext_review_approved_ok" if approve else "ext_review_declined_ok"
            risk_session(app).notice = t(key, title=title)
            await app.go(QUEUE)

        return decide

    buttons = ft.Row(
        [
            tagged(
                "ext-approve",
                ft.Button(
                    t("ext_review_approve"), icon=ft.Icons.CHECK, on_click=decider(True),
                    bgcolor=ft.Colors.GREEN_700, color=ft.Colors.WHITE,
                ),
            ),
            tagged(
                "ext-decline",
                ft.OutlinedButton(
                    t("ext_review_decline"), icon=ft.Icons.BLOCK, on_click=decider(False)
                ),
            ),
        ],
        spacing=12,
        wrap=True,
    )  # fmt: skip
    return [tagged("ext-note", note), buttons, failure.control]


async def detail_view(app: App, extension_id: str) -> ft.View:
    t = app.t
    route = f"{QUEUE}/{extension_id}"
    banner = ErrorBanner()
    try:
        views = await app.api.extension_queue(newest=True, limit=200)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        views = []
    view = next((v for v in views if v.id == extension_id), None)
    if view is None:
        if not banner.shown:
            banner.show(t("ext_review_gone"))
        return screen(app, route, t("ext_review_title"), [banner.control])
    line = case_line(view)
    reason = t("ext_review_reason", text=view.reason) if view.reason else t("ext_review_no_reason")
    header = ft.Column(
        [
            ft.Row(
                [
                    ft.Text(line.title, size=18, weight=ft.FontWeight.BOLD, expand=True,
                            selectable=True),
                    _state(app, view.status),
                ]
            ),
            muted(f"{t('ext_review_months', n=line.months)} · "
                  f"{t('ext_review_filed', at=format_datetime(view.created_at))}"),
            ft.Text(reason, size=14),
        ],
        spacing=4,
    )  # fmt: skip
    facts = [_pair(label, value) for label, value in fact_lines(view, t.language)]
    controls: list[ft.Control] = [
        banner.control,
        tagged("ext-header", header, label=f"{line.title} {reason}"),
        heading(t("ext_review_rules_said", n=view.decision.ruleset_version)),
        _reasons(app, view),
        heading(t("ext_review_facts")),
        tagged("ext-facts", ft.Column(facts, spacing=2),
               label=" ".join(f"{a} {b}" for a, b in fact_lines(view, t.language))),
        heading(t("ext_review_terms")),
        *_terms(app, view),
        ft.Divider(),
    ]  # fmt: skip
    if view.status == "referred" and app.role() == Role.RISK_OFFICER:
        controls += _decision_bar(app, view, banner)
    elif view.status == "referred":  # an admin looks on; the API takes decisions from risk only
        controls.append(muted(t("ext_review_risk_only")))
    elif view.reviewer_note:
        controls.append(muted(t("ext_review_reviewer_note", note=view.reviewer_note)))
    return screen(app, route, t("ext_review_title"), controls)
