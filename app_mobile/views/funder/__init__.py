"""Home of a funder's user 资金方: its portfolio, read only."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from app_mobile.views.account import account_card, app_bar
from app_mobile.views.funder.portfolio import contract_view, portfolio_section

if TYPE_CHECKING:
    from app_mobile.shell import App


async def home_view(app: App) -> ft.View:
    return ft.View(
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        route="/home",
        appbar=app_bar(app, app.t("funder_home"), home=True),
        scroll=ft.ScrollMode.AUTO,
        controls=[account_card(app), *await portfolio_section(app)],
    )


async def screen_for(app: App, route: str) -> ft.View | None:
    if route.startswith("/funder/contracts/"):
        return await contract_view(app, route)
    return None
