"""My applications 我的进件: the shop's applications with their status; one opens with its
decision 审批结果 and the reasons in plain Chinese."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, decision_panel, status_chip, tagged
from app_mobile.components.schedule import schedule_table
from app_mobile.i18n import format_date, format_money, format_percent
from app_mobile.views.account import app_bar
from common.api.intake import ApplicationSummary

if TYPE_CHECKING:
    from app_mobile.shell import App


def _row(app: App, item: ApplicationSummary) -> ft.Control:
    t = app.t
    figures = " · ".join(
        x
        for x in (
            format_money(item.monthly_payment),
            format_percent(item.annualised_rate_percent),
            format_date(item.updated_at),
        )
        if x
    )
    label = " ".join(
        x for x in (item.vin, t(f"status_{item.status.value}"), item.customer_name, figures) if x
    )

    async def open_(e: ft.Event[Any]) -> None:
        await app.go(f"/applications/{item.id}")

    return tagged(
        f"application-{item.id}",
        ft.Card(
            content=ft.Container(
                padding=12,
                on_click=open_,
                content=ft.Column(
                    [
                        ft.Row(
                            [
                                ft.Text(
                                    item.vin or "—",
                                    weight=ft.FontWeight.W_600,
                                    expand=True,
                                    max_lines=1,
                                    overflow=ft.TextOverflow.ELLIPSIS,
                                ),
                                status_chip(item.status.value, t),
                            ]
                        ),
                        ft.Text(item.customer_name or "", size=13),
                        ft.Text(figures, size=13, color=ft.Colors.GREY_700),
                    ],
                    spacing=4,
                ),
            )
        ),
        label=label,
    )


async def applications_view(app: App) -> ft.View:
    t = app.t
    banner = ErrorBanner()
    rows: list[ft.Control] = []
    try:
        items = await app.api.list_applications()
    except ApiError as exc:
        banner.show(exc.message(t.language))
        items = []
    rows = [_row(app, item) for item in items]
    if not rows and not banner.shown:
        rows = [ft.Text(t("no_applications"), color=ft.Colors.GREY_700)]

    async def refresh(e: ft.Event[Any]) -> None:
        await app.show("/applications")

    bar = app_bar(app, t("my_applications"))
    bar.actions = [ft.IconButton(ft.Icons.REFRESH, tooltip=t("refresh"), on_click=refresh)]
    return ft.View(
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        route="/applications",
        appbar=bar,
        scroll=ft.ScrollMode.AUTO,
        controls=[banner.control, tagged("my-applications-list", ft.Column(rows))],
    )


async def application_view(app: App, application_id: str) -> ft.View:
    """One application: status, figures and the decision with its reasons and gates."""
    t = app.t
    banner = ErrorBanner()
    controls: list[ft.Control] = [banner.control]
    try:
        view = await app.api.get_application(application_id)
    except ApiError as exc:
        banner.show(exc.message(t.language))
    else:
        quote = view.quote
        figures = " · ".join(
            x
            for x in (
                format_money(quote.monthly_payment) if quote else "",
                format_percent(quote.annualised_rate_percent) if quote else "",
            )
            if x
        )
        controls += [
            ft.Row(
                [
                    ft.Text(t("status"), size=16),
                    status_chip(view.status.value, t, "application-status"),
                ],
                spacing=12,
            ),
            ft.Text(t("application_no", id=view.id), size=12, selectable=True),
            ft.Text(view.vehicle.vin if view.vehicle else "", weight=ft.FontWeight.W_600),
            ft.Text(view.customer.name if view.customer else "", size=13),
            ft.Text(figures, size=13, color=ft.Colors.GREY_700),
        ]
        if view.decision is not None:
            controls.append(decision_panel(view.decision, t))
        if quote is not None and quote.instalments:
            controls += [ft.Text(t("schedule_title"), size=16), schedule_table(quote, t)]
    return ft.View(
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        route=f"/applications/{application_id}",
        appbar=app_bar(app, t("application_detail")),
        scroll=ft.ScrollMode.AUTO,
        controls=[*controls],
    )
