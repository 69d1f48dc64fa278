"""The manual-review queue 人工审核队列 and one case: the application, its photos, the decision
and its trace, and the verdict."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, decision_panel, tagged
from app_mobile.components.decision import trace_panel
from app_mobile.i18n import format_money, format_percent
from app_mobile.state.labels import Vocabulary
from app_mobile.state.review import (
    case_line,
    check_decision,
    fired,
    review_notice,
)
from app_mobile.views.risk.common import heading, muted, risk_session, screen
from app_mobile.views.risk.review_details import photo_tiles, reveal_control
from common.api.intake import ApplicationView

if TYPE_CHECKING:
    from app_mobile.shell import App


def _case_card(app: App, view: ApplicationView) -> ft.Control:
    line = case_line(view, app.t.language)

    async def open_(e: ft.Event[Any]) -> None:
        await app.go(f"/risk/reviews/{view.id}")

    figures = " · ".join(
        x for x in (line.amount, line.rate, app.t("term_n", n=line.term_months or 0)) if x
    )
    card = ft.Card(
        content=ft.Container(
            padding=12,
            on_click=open_,
            content=ft.Column(
                [
                    ft.Row(
                        [
                            ft.Text(
                                line.vin or "—",
                                weight=ft.FontWeight.W_600,
                                expand=True,
                                max_lines=1,
                                overflow=ft.TextOverflow.ELLIPSIS,
                            ),
                            ft.Text(line.customer, size=13),
                        ]
                    ),
                    ft.Text(figures, size=13, color=ft.Colors.ON_SURFACE_VARIANT),
                    *[ft.Text(f"• {r}", size=13, color=ft.Colors.ORANGE_900) for r in line.reasons],
                ],
                spacing=4,
            ),
        )
    )
    return tagged(f"review-case-{view.id}", card, label=line.label())


async def queue_view(app: App) -> ft.View:
    t = app.t
    banner = ErrorBanner()
    session = risk_session(app)
    if session.notice:
        banner.show(session.notice, success=True)
        session.notice = ""
    try:
        cases = await app.api.review_queue()
    except ApiError as exc:
        banner.show(exc.message(t.language))
        cases = []
    rows: list[ft.Control] = [_case_card(app, c) for c in cases]
    if not rows:
        rows = [muted(t("reviews_empty"), 14)]

    async def refresh(e: ft.Event[Any]) -> None:
        await app.show("/risk/reviews")

    view = screen(
        app,
        "/risk/reviews",
        t("risk_reviews"),
        [banner.control, tagged("review-queue", ft.Column(rows), label=str(len(cases)))],
    )
    assert view.appbar is not None
    view.appbar.actions = [  # type: ignore[union-attr]
        ft.IconButton(ft.Icons.REFRESH, tooltip=t("refresh"), on_click=refresh),
        *(view.appbar.actions or []),  # type: ignore[union-attr]
    ]
    return view


def _line(label: str, value: str | ft.Control) -> ft.Control:
    shown = _value(value) if isinstance(value, str) else value
    return ft.Row(
        [ft.Text(label, size=13, color=ft.Colors.ON_SURFACE_VARIANT, width=150), shown],
        vertical_alignment=ft.CrossAxisAlignment.START,
    )


def _value(text: str) -> ft.Text:
    return ft.Text(text or "—", size=14, expand=True, selectable=True)


async def _trace(app: App, view: ApplicationView) -> list[ft.Control]:
    """The fired steps, named from the rule-set version that decided the case."""
    trace = view.decision.trace if view.decision else []
    ruleset: dict[str, Any] | None = None
    if fired(trace):
        try:
            versions = await app.api.rulesets()
            used = next(
                (v for v in versions if v.version == view.decision.ruleset_version),  # type: ignore[union-attr]
                None,
            )
            if used is not None:
                ruleset = (await app.api.ruleset(used.id)).ruleset
        except ApiError:
            ruleset = None  # the ids alone still tell a risk officer what fired
    return [trace_panel(trace, Vocabulary(ruleset, app.t.language), app.t)]


async def detail_view(app: App, application_id: str) -> ft.View:
    t = app.t
    route = f"/risk/reviews/{application_id}"
    banner = ErrorBanner()
    try:
        cases = await app.api.review_queue(limit=200)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        cases = []
    view = next((c for c in cases if c.id == application_id), None)
    if view is None:
        if not banner.shown:
            banner.show(t("reviews_empty"))
        return screen(app, route, t("review_title"), [banner.control])

    note = ft.TextField(label=t("review_note"), multiline=True, min_lines=2, max_lines=5)

    def decider(decision: str):  # type: ignore[no-untyped-def]
        async def decide(e: ft.Event[Any]) -> None:
            try:
                verdict, text = check_decision(decision, note.value or "")
            except ValueError:
                note.error = t("review_note_needed")
                note.update()
                return
            try:
                await app.api.review(application_id, verdict, text)
            except ApiError as exc:
                banner.show(exc.message(t.language))
                banner.control.update()
                return
            risk_session(app).notice = review_notice(verdict, view, t.language)
            await app.go("/risk/reviews")

        return decide

    line = case_line(view, t.language)
    vehicle, customer, quote = view.vehicle, view.customer, view.quote
    masked_id = customer.id_number if customer else ""
    name = tagged("review-customer-name", _value(line.customer), label=line.customer)
    id_number = tagged("review-id-number", _value(masked_id), label=masked_id)
    name.expand = id_number.expand = True  # the value takes the rest of its line
    facts: list[ft.Control] = [
        _line(t("vin"), line.vin),
        _line(
            t("catalogue_model"),
            " ".join(
                x
                for x in (
                    vehicle.maker if vehicle else "",
                    vehicle.catalogue_model_name if vehicle else "",
                    str(vehicle.model_year or "") if vehicle else "",
                )
                if x
            ),
        ),
        _line(t("vehicle_price"), format_money(vehicle.price) if vehicle else ""),
        _line(t("customer_name"), name),
        _line(t("resident_id"), id_number),
        _line(t("mobile"), customer.mobile if customer else ""),
        _line(t("financed"), line.amount),
        _line(t("term"), str(quote.term_months) if quote else ""),
        _line(t("annual_rate"), format_percent(quote.annual_rate_percent) if quote else ""),
        _line(t("annualised_rate"), line.rate),
        _line(t("monthly_payment"), format_money(quote.monthly_payment) if quote else ""),
    ]
    buttons = ft.Row(
        [
            tagged(
                "review-approve",
                ft.Button(
                    t("review_approve"),
                    icon=ft.Icons.CHECK,
                    on_click=decider("approve"),
                    bgcolor=ft.Colors.GREEN_700,
                    color=ft.Colors.WHITE,
                ),
            ),
            tagged(
                "review-decline",
                ft.OutlinedButton(
                    t("review_decline"), icon=ft.Icons.BLOCK, on_click=decider("decline")
                ),
            ),
        ],
        spacing=12,
        wrap=True,
    )
    controls: list[ft.Control] = [
        banner.control,
        decision_panel(view.decision, t),
        heading(t("review_title")),
        tagged("review-application", ft.Column(facts, spacing=4), label=line.label()),
        *([reveal_control(app, view.id, name, id_number, banner)] if customer else []),
        heading(t("review_photos_title")),
        *await photo_tiles(app, view),
        heading(t("review_trace")),
        *await _trace(app, view),
        tagged("review-note", note),
        buttons,
    ]
    return screen(app, route, t("review_title"), controls)
