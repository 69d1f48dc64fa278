"""The pieces every role's home shares: the app bar and the account card."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.components import tagged

if TYPE_CHECKING:
    from app_mobile.shell import App


def app_bar(app: App, title: str, *, home: bool = False) -> ft.AppBar:
    async def switch_language(e: ft.Event[Any]) -> None:
        await app.toggle_language()

    async def sign_out(e: ft.Event[Any]) -> None:
        await app.sign_out()

    actions: list[ft.Control] = [ft.TextButton(app.t("language"), on_click=switch_language)]
    if home:  # every home: the assistant; for who works handovers, their inbox
        from app_mobile.views.assistant import assistant_button, inbox_button

        inbox = inbox_button(app)
        actions += [assistant_button(app), *([inbox] if inbox else [])]
        # a tooltip alone gives the icon no accessible name: the semantics label does
        button = ft.IconButton(ft.Icons.LOGOUT, tooltip=app.t("sign_out"), on_click=sign_out)
        actions.append(tagged("sign-out", button, label=app.t("sign_out")))
    return ft.AppBar(title=ft.Text(title, size=18), actions=actions)


def account_card(app: App) -> ft.Control:
    user = app.user
    if user is None:
        return ft.Container()
    t = app.t
    return ft.Card(
        content=ft.Container(
            padding=16,
            content=ft.Column(
                [
                    ft.Text(
                        t("hello", name=user.display_name), size=18, weight=ft.FontWeight.W_600
                    ),
                    ft.Text(t(f"role_{user.role.value}")),
                    ft.Text(t("organisation", name=user.organisation_name), size=13),
                ],
                spacing=4,
            ),
        )
    )
