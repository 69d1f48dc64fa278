"""The lessee 承租人: my contracts — read, sign with a code, see the schedule and the PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from app_mobile.views.account import account_card, app_bar
from app_mobile.views.contracts import contract_view, contracts_section, signed_view

if TYPE_CHECKING:
    from app_mobile.shell import App

__all__ = ["home_view", "screen_for"]


async def home_view(app: App) -> ft.View:
    return ft.View(
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        route="/home",
        appbar=app_bar(app, app.t("app_title"), home=True),
        scroll=ft.ScrollMode.AUTO,
        controls=[account_card(app), *await contracts_section(app)],
    )


async def screen_for(app: App, route: str) -> ft.View | None:
    if route.startswith("/contracts/") and route.endswith("/signed"):
        return await signed_view(app, route.removeprefix("/contracts/").removesuffix("/signed"))
    if route.startswith("/contracts/"):
        return await contract_view(app, route.removeprefix("/contracts/"))
    return None
