"""The sign-in screen: username and password, or (a lessee) mobile number and SMS code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.views.auth.lessee_login import lessee_form

if TYPE_CHECKING:
    from app_mobile.shell import App


def login_view(app: App) -> ft.View:
    t = app.t
    banner = ErrorBanner()
    if app.flash:
        banner.show(app.flash)
        app.flash = ""
    username = ft.TextField(label=t("username"), autocorrect=False)
    password = ft.TextField(label=t("password"), password=True, can_reveal_password=True)
    busy = ft.ProgressRing(visible=False, width=20, height=20)

    async def sign_in(e: ft.Event[Any]) -> None:
        if not username.value.strip() or not password.value:
            banner.show(
                "请输入用户名和密码" if t.language == "zh" else "Enter username and password"
            )
            app.page.update()
            return
        banner.clear()
        busy.visible = True
        app.page.update()
        try:
            pair = await app.api.login(username.value.strip(), password.value)
        except ApiError as exc:
            busy.visible = False
            banner.show(exc.message(t.language))
            app.page.update()
            return
        await app.signed_in(pair)

    password.on_submit = sign_in
    submit = ft.Button(
        t("sign_in"), on_click=sign_in, width=float("inf"), height=48, icon=ft.Icons.LOGIN
    )

    async def switch_language(e: ft.Event[Any]) -> None:
        await app.toggle_language()

    async def ask(e: ft.Event[Any]) -> None:
        await app.go("/assistant")

    async def switch_mode(e: ft.Event[Any]) -> None:
        app.login_by_sms = not app.login_by_sms
        await app.show("/login")

    if app.login_by_sms:
        form = lessee_form(app, banner)
        other = tagged(
            "login-mode-password", ft.TextButton(t("sign_in_by_password"), on_click=switch_mode)
        )
    else:
        form = [
            tagged("login-username", username),
            tagged("login-password", password),
            ft.Row([busy], alignment=ft.MainAxisAlignment.CENTER),
            tagged("login-submit", submit),
        ]
        other = tagged("login-mode-sms", ft.TextButton(t("sign_in_by_sms"), on_click=switch_mode))
    return ft.View(
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        route="/login",
        scroll=ft.ScrollMode.AUTO,
        padding=24,
        controls=[
            ft.Row(
                [ft.TextButton(t("language"), on_click=switch_language)],
                alignment=ft.MainAxisAlignment.END,
            ),
            ft.Icon(ft.Icons.DIRECTIONS_CAR_FILLED, size=56, color=ft.Colors.INDIGO),
            ft.Text(t("app_title"), size=24, weight=ft.FontWeight.BOLD),
            banner.control,
            *form,
            ft.Row([other], alignment=ft.MainAxisAlignment.CENTER),
            ft.Divider(),
            tagged(
                "login-assistant",
                ft.OutlinedButton(t("as_ask"), icon=ft.Icons.SUPPORT_AGENT, on_click=ask),
                label=t("as_ask"),
            ),
        ],
    )
