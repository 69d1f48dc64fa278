"""Home of the monitor role 租后管理: the contracts on the books — their status (awaiting
signature, signed, active), each contract's terms, schedule and PDF, and a check of its seal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from app_mobile.views.account import account_card, app_bar
from app_mobile.views.contracts import contracts_section

if TYPE_CHECKING:
    from app_mobile.shell import App


async def home_view(app: App) -> ft.View:
    return ft.View(
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        route="/home",
        appbar=app_bar(app, app.t("monitor_console"), home=True),
        scroll=ft.ScrollMode.AUTO,
        controls=[account_card(app), *await contracts_section(app, heading_key="book_contracts")],
    )
