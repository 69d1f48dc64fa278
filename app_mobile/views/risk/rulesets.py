"""Rule-set versions 规则集版本: the active one marked, drafts, and a new draft from the active."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.i18n import format_date
from app_mobile.views.risk.common import muted, risk_session, screen
from common.api.risk import RuleSetStatus, RuleSetSummary

if TYPE_CHECKING:
    from app_mobile.shell import App


def _badge(text: str, colour: str) -> ft.Control:
    return ft.Container(
        content=ft.Text(text, size=12, color=ft.Colors.WHITE),
        bgcolor=colour,
        border_radius=10,
        padding=ft.Padding.symmetric(horizontal=8, vertical=2),
    )


def version_badges(app: App, s: RuleSetSummary) -> list[ft.Control]:
    t = app.t
    badges = []
    if s.active:
        badges.append(_badge(t("ruleset_active"), ft.Colors.GREEN_700))
    if s.status == RuleSetStatus.DRAFT:
        badges.append(_badge(t("ruleset_draft"), ft.Colors.GREY_600))
    else:
        badges.append(_badge(t("ruleset_published"), ft.Colors.BLUE_700))
    return badges


def _version_card(app: App, s: RuleSetSummary) -> ft.Control:
    t = app.t

    async def open_(e: ft.Event[Any]) -> None:
        await app.go(f"/risk/rulesets/{s.id}")

    words = [t("ruleset_version", n=s.version), s.name]
    if s.active:
        words.append(t("ruleset_active"))
    words.append(t("ruleset_draft") if s.status == RuleSetStatus.DRAFT else t("ruleset_published"))
    when = format_date(s.published_at or s.updated_at)
    card = ft.Card(
        content=ft.Container(
            padding=12,
            on_click=open_,
            content=ft.Column(
                [
                    ft.Row(
                        [
                            ft.Text(
                                t("ruleset_version", n=s.version),
                                size=16,
                                weight=ft.FontWeight.W_600,
                            ),
                            *version_badges(app, s),
                        ],
                        wrap=True,
                    ),
                    ft.Text(s.name, size=13, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS),
                    muted(" · ".join(x for x in (when, s.publish_reason or "") if x), 12),
                ],
                spacing=4,
            ),
        )
    )
    return tagged(f"ruleset-version-{s.version}", card, label=" ".join(words))


async def versions_view(app: App) -> ft.View:
    t = app.t
    banner = ErrorBanner()
    try:
        versions = await app.api.rulesets()
    except ApiError as exc:
        banner.show(exc.message(t.language))
        versions = []

    async def new_draft(e: ft.Event[Any]) -> None:
        try:
            detail = await app.api.create_ruleset()
        except ApiError as exc:
            banner.show(exc.message(t.language))
            banner.control.update()
            return
        session = risk_session(app)
        session.form, session.simulation, session.problems = None, None, []
        await app.go(f"/risk/rulesets/{detail.summary.id}")

    newest_first = sorted(versions, key=lambda s: s.version, reverse=True)
    return screen(
        app,
        "/risk/rulesets",
        t("ruleset_versions"),
        [
            banner.control,
            tagged(
                "ruleset-new-draft",
                ft.Button(t("ruleset_new_draft"), icon=ft.Icons.ADD, on_click=new_draft, height=48),
            ),
            tagged(
                "ruleset-versions",
                ft.Column([_version_card(app, s) for s in newest_first]),
                label=str(len(versions)),
            ),
        ],
    )
