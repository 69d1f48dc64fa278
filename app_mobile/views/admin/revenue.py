"""The lessor's revenue-share overview 分账报送总览: the months of charging-pile leases whose report
is overdue, the longest first, each opening its contract. No report, no variable rent: the
floor is still billed, so this is the list to chase."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, LabelledText, tagged
from app_mobile.i18n import format_date, format_money
from app_mobile.views.risk.common import muted, screen
from common.api.revenue_share import OverdueReportView

if TYPE_CHECKING:
    from app_mobile.shell import App

ROUTE = "/admin/revenue-share"
HOME = "/home"


def revenue_entry(app: App) -> ft.Control:
    """The admin home's card, with the count of months overdue: asked once per visit to the home
    (`app_mobile.state.revenue_overview`), not on every render of it."""
    t = app.t
    headline = LabelledText("rev-entry-headline", t("rev_overview_hint"), size=12)
    visit, on_top = app.visit, app.shown_route == HOME  # of this render, not of when it loads

    async def ask() -> int:
        return len(await app.api.revenue_overview("overdue"))

    async def load() -> None:
        try:
            n = await app.overdue_months.for_render(visit, on_top, ask)
        except ApiError as exc:
            headline.set(exc.message(t.language))
        else:
            headline.set(t("rev_overview_overdue", n=n) if n else t("rev_overview_hint"))
        app.page.update()

    async def open_it(e: ft.Event[Any]) -> None:
        await app.go(ROUTE)

    app.page.run_task(load)
    return tagged("admin-revenue", ft.Card(content=ft.ListTile(
        leading=ft.Icon(ft.Icons.EV_STATION), title=ft.Text(t("rev_overview")),
        subtitle=headline.control, trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        on_click=open_it)))  # fmt: skip


def _row(app: App, x: OverdueReportView) -> ft.Control:
    async def open_it(e: ft.Event[Any]) -> None:
        await app.go(f"/contracts/{x.contract_id}")

    return tagged(f"rev-overdue-{x.contract_number}-{x.period}", ft.ListTile(
        leading=ft.Icon(ft.Icons.REPORT_GMAILERRORRED, color=ft.Colors.RED_700),
        title=ft.Text(x.contract_number),
        subtitle=ft.Text(app.t("rev_overview_line", period=x.period,
                               date=format_date(x.report_due), days=x.days_late,
                               floor=format_money(x.floor)), size=12),
        on_click=open_it))  # fmt: skip


async def revenue_overview_view(app: App) -> ft.View:
    t = app.t
    banner = ErrorBanner()
    try:
        rows = await app.api.revenue_overview("overdue")
    except ApiError as exc:
        banner.show(exc.message(t.language))
        rows = []
    body: list[ft.Control] = [banner.control, muted(t("rev_overview_hint"))]
    body += [_row(app, x) for x in rows] or [muted(t("rev_overview_none"))]
    return screen(app, ROUTE, t("rev_overview"), body)
