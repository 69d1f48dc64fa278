"""The lessee's way in on the sign-in screen 手机验证码登录: mobile, code, and the ID's last six
on the first sign-in. What it shows lives in `LesseeSignIn` (app_mobile/state)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.components import ErrorBanner, tagged
from app_mobile.state.lessee_sign_in import LesseeSignIn

if TYPE_CHECKING:
    from app_mobile.shell import App


def lessee_form(app: App, banner: ErrorBanner) -> list[ft.Control]:
    t = app.t
    if app.lessee_sign_in is None:
        app.lessee_sign_in = LesseeSignIn()
    state = app.lessee_sign_in
    mobile = ft.TextField(
        label=t("mobile"), value=state.mobile, keyboard_type=ft.KeyboardType.PHONE, max_length=20
    )
    code = ft.TextField(
        label=t("sms_code"), value=state.code, keyboard_type=ft.KeyboardType.NUMBER, max_length=6
    )
    last6 = ft.TextField(label=t("id_last6"), value=state.id_last6, max_length=6)
    identity = tagged("lessee-id-last6", last6)
    identity.visible = state.needs_identity
    get_code = ft.OutlinedButton(state.code_button(t), disabled=not state.can_request_code())
    busy = ft.ProgressRing(visible=False, width=20, height=20)

    def show() -> None:
        message = state.message(t)
        if message:
            banner.show(message, success=state.success)
        else:
            banner.clear()
        identity.visible = state.needs_identity
        get_code.content = state.code_button(t)
        get_code.disabled = not state.can_request_code()
        busy.visible = state.busy
        app.page.update()

    def take_input() -> None:
        state.mobile, state.code, state.id_last6 = mobile.value, code.value, last6.value

    shown = object()  # this build of the form: a countdown ends when another replaces it
    state.shown_by = shown

    def on_screen() -> bool:
        return (
            app.lessee_sign_in is state
            and state.shown_by is shown
            and app.login_by_sms
            and app.shown_route == "/login"
        )

    async def count_down() -> None:
        while state.seconds_to_resend() > 0 and on_screen():
            get_code.content = state.code_button(t)
            get_code.disabled = True
            app.page.update()
            await asyncio.sleep(1)
        if on_screen():
            show()

    def working() -> None:
        banner.clear()
        busy.visible = True
        get_code.disabled = True
        app.page.update()

    async def request_code(e: ft.Event[Any]) -> None:
        take_input()
        working()
        sent = await state.request_code(app.api)
        show()
        if sent or state.seconds_to_resend():
            app.page.run_task(count_down)

    async def sign_in(e: ft.Event[Any]) -> None:
        take_input()
        working()
        pair = await state.sign_in(app.api)
        if pair is None:
            show()
            return
        app.lessee_sign_in = None  # nothing of it outlives the sign-in
        await app.signed_in(pair)

    get_code.on_click = request_code
    code.on_submit = sign_in
    last6.on_submit = sign_in
    submit = ft.Button(
        t("sign_in"), on_click=sign_in, width=float("inf"), height=48, icon=ft.Icons.SMS
    )
    if state.seconds_to_resend():  # the view was rebuilt (e.g. the language) mid-countdown
        app.page.run_task(count_down)
    return [
        tagged("lessee-mobile", mobile),
        ft.Row([tagged("lessee-get-code", get_code)], alignment=ft.MainAxisAlignment.END),
        tagged("lessee-code", code),
        identity,
        ft.Row([busy], alignment=ft.MainAxisAlignment.CENTER),
        tagged("lessee-submit", submit),
    ]
