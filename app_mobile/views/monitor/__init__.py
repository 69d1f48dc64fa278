"""Home of the monitor role 租后管理: the live vehicle alerts (7×24; each with its map), the
collections queue (cases by bucket, broken promises first; actions and the contract's
timeline), then the contracts on the books — their status, terms, schedule and PDF, and for an
active one its GPS terminals and monitoring plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from app_mobile.views.account import account_card, app_bar
from app_mobile.views.contracts import contracts_section
from app_mobile.views.monitor.alerts import alert_view, alerts_section
from app_mobile.views.monitor.collections import case_view, collections_section, timeline_view
from app_mobile.views.monitor.setup import plan_view, terminals_view

if TYPE_CHECKING:
    from app_mobile.shell import App


async def home_view(app: App) -> ft.View:
    return ft.View(
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        route="/home",
        appbar=app_bar(app, app.t("monitor_console"), home=True),
        scroll=ft.ScrollMode.AUTO,
        controls=[
            account_card(app),
            *await alerts_section(app),
            *await collections_section(app),
            *await contracts_section(app, heading_key="book_contracts"),
        ],
    )


async def screen_for(app: App, route: str) -> ft.View | None:
    if route.startswith("/alerts/"):
        return await alert_view(app, route.removeprefix("/alerts/"))
    if route.startswith("/collections/"):
        return await case_view(app, route.removeprefix("/collections/"))
    if route.startswith("/contracts/") and route.endswith("/timeline"):
        return await timeline_view(app, route.split("/")[2])
    if route.startswith("/contracts/") and route.endswith("/terminals"):
        return await terminals_view(app, route.split("/")[2])
    if route.startswith("/contracts/") and route.endswith("/plan"):
        return await plan_view(app, route.split("/")[2])
    return None
