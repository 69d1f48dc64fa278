"""The staff home: start or continue an application, see my applications."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.components import tagged
from app_mobile.views.account import account_card, app_bar

if TYPE_CHECKING:
    from app_mobile.shell import App


async def intake_buttons(app: App) -> list[ft.Control]:
    """Start or continue an application, and the shop's applications (staff and dealers)."""
    t = app.t
    has_draft = app.user is not None and bool(await app.store.draft(app.user.id))

    async def new_application(e: ft.Event[Any]) -> None:
        from app_mobile.views.staff.intake.controller import IntakeController

        app.intake = await IntakeController.start_new(app)
        await app.go("/intake/vehicle")

    async def continue_draft(e: ft.Event[Any]) -> None:
        app.intake = None  # resumed from the device copy by the router
        await app.go("/intake/resume")

    async def my_applications(e: ft.Event[Any]) -> None:
        await app.go("/applications")

    buttons: list[ft.Control] = [
        tagged(
            "home-new-application",
            ft.Button(
                t("new_application"),
                icon=ft.Icons.ADD,
                on_click=new_application,
                height=56,
                width=float("inf"),
            ),
        )
    ]
    if has_draft:
        buttons.append(
            tagged(
                "home-continue-draft",
                ft.OutlinedButton(
                    t("continue_draft"),
                    icon=ft.Icons.EDIT_NOTE,
                    on_click=continue_draft,
                    height=48,
                    width=float("inf"),
                ),
            )
        )
    buttons.append(
        tagged(
            "my-applications",
            ft.OutlinedButton(
                t("my_applications"),
                icon=ft.Icons.LIST_ALT,
                on_click=my_applications,
                height=48,
                width=float("inf"),
            ),
        )
    )
    return buttons


async def home_view(app: App) -> ft.View:
    return ft.View(
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        route="/home",
        appbar=app_bar(app, app.t("app_title"), home=True),
        scroll=ft.ScrollMode.AUTO,
        controls=[account_card(app), *await intake_buttons(app)],
    )
