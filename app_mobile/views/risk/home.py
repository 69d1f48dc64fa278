"""The risk officer's home 风控工作台: the way into reviews, rule sets, history, flags and
products."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.components import tagged
from app_mobile.views.account import account_card, app_bar

if TYPE_CHECKING:
    from app_mobile.shell import App

TWO_UP: dict[str | ft.ResponsiveRowBreakpoint, int | float] = {"xs": 12, "md": 6}
ENTRIES = (
    ("risk-reviews", "risk_reviews", ft.Icons.FACT_CHECK, "/risk/reviews"),
    ("risk-rulesets", "risk_rulesets", ft.Icons.RULE, "/risk/rulesets"),
    ("risk-history", "risk_history", ft.Icons.HISTORY, "/risk/history"),
    ("risk-flags", "risk_flags", ft.Icons.FLAG, "/risk/flags"),
    ("risk-products", "risk_products", ft.Icons.SELL, "/risk/products"),
    ("risk-extensions", "risk_extensions", ft.Icons.EVENT_REPEAT, "/risk/extensions"),
    ("risk-extension-rules", "risk_extension_rules", ft.Icons.TUNE, "/risk/extension-rules"),
)


def risk_entries(app: App) -> list[ft.Control]:
    """The doors of the risk console, also offered on the admin's home."""

    def opener(route: str):  # type: ignore[no-untyped-def]
        async def open_(e: ft.Event[Any]) -> None:
            await app.go(route)

        return open_

    buttons: list[ft.Control] = []
    for identifier, key, icon, route in ENTRIES:
        button = ft.Button(
            app.t(key), icon=icon, on_click=opener(route), height=56, width=float("inf")
        )
        control = tagged(identifier, button)
        control.col = TWO_UP
        buttons.append(control)
    return [ft.ResponsiveRow(buttons)]


async def home_view(app: App) -> ft.View:
    t = app.t
    return ft.View(
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        route="/home",
        appbar=app_bar(app, t("risk_console"), home=True),
        scroll=ft.ScrollMode.AUTO,
        controls=[account_card(app), *risk_entries(app)],
    )
