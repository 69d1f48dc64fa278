"""Waiting for the provider's word on a payment 等待支付结果, the lessee's rent and the dealer's
floor-plan payoff alike: the amount, the pay page to open again, a refresh, and a poll that
shows the result as soon as the provider answers (while the screen is still shown)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.i18n import format_money
from app_mobile.views.risk.common import muted
from common.api.payments import PaymentView

if TYPE_CHECKING:
    from app_mobile.shell import App

POLL_S = 1.5
POLL_FOR_S = 120

Result = Callable[[PaymentView], Awaitable[list[ft.Control]]]


def await_payment(
    app: App, route: str, p: PaymentView, banner: ErrorBanner, body: ft.Column, result: Result,
    *, tag: str, note: str,
) -> None:  # fmt: skip
    """Fill `body` with the waiting screen of `p` (identifiers `<tag>-waiting`, `-reopen`,
    `-refresh`) and follow the payment until the provider answers, then show `result`."""
    t, page = app.t, app.page

    async def settled(now: PaymentView) -> None:
        body.controls = await result(now)
        page.update()

    async def reopen(e: ft.Event[Any]) -> None:
        if p.pay_url:
            await ft.UrlLauncher().launch_url(app.api.absolute(p.pay_url))

    async def ask(e: ft.Event[Any]) -> None:
        try:
            now = await app.api.refresh_payment(p.id)
        except ApiError as exc:
            banner.show(exc.message(t.language))
            page.update()
            return
        if now.status != "created":
            await settled(now)

    waiting: list[ft.Control] = [
        ft.ProgressRing(),
        tagged(f"{tag}-waiting", ft.Text(t("pay_waiting"), size=16)),
        ft.Text(format_money(p.amount), size=28, weight=ft.FontWeight.BOLD),
        muted(note, 12),
        tagged(f"{tag}-reopen",
               ft.OutlinedButton(t("pay_reopen"), icon=ft.Icons.OPEN_IN_NEW, on_click=reopen)),
        tagged(f"{tag}-refresh", ft.TextButton(t("pay_refresh"), on_click=ask)),
    ]  # fmt: skip
    body.controls = [ft.Column(waiting, horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                               spacing=12)]  # fmt: skip

    async def follow() -> None:
        waited = 0.0
        while waited < POLL_FOR_S and app.shown_route == route:
            await asyncio.sleep(POLL_S)
            waited += POLL_S
            try:
                now = await app.api.payment(p.id)
            except ApiError:
                continue
            if now.status != "created":
                if app.shown_route == route:
                    await settled(now)
                return

    page.run_task(follow)
