"""Home of the dealer 经销商: what its staff do (file and follow applications), its statements
对账单, its floor plan 库存融资, and its account (deals, commissions, what each side owes, the
year in charts)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from app_mobile.views.account import account_card, app_bar
from app_mobile.views.dealer.account import account_section, deals_view
from app_mobile.views.dealer.floorplan import floorplan_entry
from app_mobile.views.dealer.statements import statements_entry, statements_screen
from app_mobile.views.staff.home import intake_buttons

if TYPE_CHECKING:
    from app_mobile.shell import App


async def home_view(app: App) -> ft.View:
    return ft.View(
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        route="/home",
        appbar=app_bar(app, app.t("dealer_home"), home=True),
        scroll=ft.ScrollMode.AUTO,
        controls=[
            account_card(app),
            *await intake_buttons(app),
            statements_entry(app),
            floorplan_entry(app),
            *await account_section(app),
        ],
    )


async def screen_for(app: App, route: str) -> ft.View | None:
    if route.startswith("/dealer/deals/"):
        return await deals_view(app, route)
    if route.startswith("/dealer/statements"):
        return await statements_screen(app, route)
    return None
