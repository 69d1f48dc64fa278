"""The lessee 承租人: the hall (what is due and when, the schedule by status), my contracts —
read, sign with a code, the PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from app_mobile.views.account import account_card, app_bar
from app_mobile.views.contracts import contract_view, signed_view
from app_mobile.views.lessee.hall import hall_section, schedule_view
from app_mobile.views.lessee.pay import pay_view, payment_view, receipt_view
from app_mobile.views.lessee.reminders import reminders_view
from app_mobile.views.lessee.requests import (
    end_of_term_view,
    extension_view,
    payoff_view,
    prepay_view,
)
from app_mobile.views.lessee.revenue import revenue_view

if TYPE_CHECKING:
    from app_mobile.shell import App

__all__ = ["home_view", "screen_for"]


async def home_view(app: App) -> ft.View:
    return ft.View(
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        route="/home",
        appbar=app_bar(app, app.t("app_title"), home=True),
        scroll=ft.ScrollMode.AUTO,
        controls=[account_card(app), *await hall_section(app)],
    )


LESSEE_SCREENS = {
    "pay": pay_view,
    "payoff": payoff_view,
    "extension": extension_view,
    "prepay": prepay_view,
    "end-of-term": end_of_term_view,
    "revenue": revenue_view,
}


async def screen_for(app: App, route: str) -> ft.View | None:
    if route == "/reminders":
        return await reminders_view(app)
    if route.startswith("/payments/") and route.endswith("/receipt"):
        return await receipt_view(app, route.split("/")[2])
    if route.startswith("/payments/"):
        return await payment_view(app, route.split("/")[2])
    parts = route.split("/")  # /contracts/{id}/{screen}
    if len(parts) == 4 and parts[1] == "contracts" and parts[3] in LESSEE_SCREENS:
        return await LESSEE_SCREENS[parts[3]](app, parts[2])
    if route.startswith("/contracts/") and route.endswith("/schedule"):
        return await schedule_view(app, route.removeprefix("/contracts/").removesuffix("/schedule"))
    if route.startswith("/contracts/") and route.endswith("/signed"):
        return await signed_view(app, route.removeprefix("/contracts/").removesuffix("/signed"))
    if route.startswith("/contracts/"):
        return await contract_view(app, route.removeprefix("/contracts/"))
    return None
