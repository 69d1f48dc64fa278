"""Paying the floor plan on the phone 库存融资还款: a unit's payoff 结清 or its curtailment due 还本
through the provider's pay page (a new tab, as the hall pays rent), then the result once the
provider's confirmation is posted — with progress while waiting and a "refresh" that asks the
provider — and the unit as it is now: paid off, or with less principal left."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.i18n import format_datetime, format_money
from app_mobile.state.floorplan import FloorplanSession
from app_mobile.views.dealer.floorplan_units import unit_card
from app_mobile.views.payment_wait import await_payment
from app_mobile.views.risk.common import muted, screen
from common.api.floorplan import UnitView
from common.api.payments import PaymentView

if TYPE_CHECKING:
    from app_mobile.shell import App

ROUTE = "/floorplan/payments"
BACK = "/floorplan"
PAYOFF, CURTAILMENT = "payoff", "curtailment"


async def start_payment(
    app: App, session: FloorplanSession, unit: UnitView, purpose: str, banner: ErrorBanner
) -> None:
    """Make the payment (its key kept until it is made), open the pay page, follow the result."""
    key = session.pay_key(unit.vin, purpose)
    try:
        if purpose == PAYOFF:
            payment = await app.api.floorplan_payoff(unit.vin, key)
        else:  # the curtailment due with the interest billed, as the server reckons it today
            payment = await app.api.floorplan_curtailment(unit.vin, None, key)
    except ApiError as exc:
        banner.show(exc.message(app.t.language))
        app.page.update()
        return
    session.payment_made(unit.vin, purpose)
    if payment.pay_url:
        await ft.UrlLauncher().launch_url(app.api.absolute(payment.pay_url))
    await app.go(f"{ROUTE}/{payment.id}")


async def _result(app: App, p: PaymentView) -> list[ft.Control]:
    t = app.t

    async def back(e: ft.Event[Any]) -> None:
        await app.go(BACK)

    vin = p.unit_vin or ""
    if p.status == "paid":
        icon, colour = ft.Icons.CHECK_CIRCLE, ft.Colors.GREEN_700
        done = "fp_paid_off" if p.purpose == "floorplan_payoff" else "fp_curtailed"
        text = t(done, vin=vin, amount=format_money(p.amount))
    else:
        icon, colour = ft.Icons.CANCEL, ft.Colors.RED_700
        text = t("pay_not_done", status=p.status_label)
    parts: list[ft.Control] = [
        ft.Icon(icon, size=64, color=colour),
        tagged("fp-pay-result", ft.Text(text, size=18, weight=ft.FontWeight.W_600), label=text),
        ft.Text(format_money(p.amount), size=28, weight=ft.FontWeight.BOLD),
    ]
    if p.paid_at is not None:
        parts.append(muted(t("pay_paid_at", at=format_datetime(p.paid_at))))
    column = ft.Column(parts, horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=10)
    shown: list[ft.Control] = [column]
    if vin:
        with contextlib.suppress(ApiError):  # the unit as the posting left it (else: without)
            shown.append(unit_card(app, await app.api.floorplan_unit(vin), []))
    shown.append(tagged("fp-pay-back", ft.TextButton(t("fp_pay_back"), on_click=back)))
    return shown


async def payment_view(app: App, payment_id: str) -> ft.View:
    """Waiting for the provider's word, then the result."""
    t = app.t
    route = f"{ROUTE}/{payment_id}"
    banner = ErrorBanner()
    try:
        p = await app.api.payment(payment_id)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("fp_pay_title"), [banner.control])
    body = ft.Column(horizontal_alignment=ft.CrossAxisAlignment.STRETCH, spacing=12)
    if p.status != "created":
        body.controls = await _result(app, p)
        return screen(app, route, t("fp_pay_title"), [banner.control, body])

    hint = "fp_pay_hint_payoff" if p.purpose == "floorplan_payoff" else "pay_waiting_hint"
    await_payment(app, route, p, banner, body, lambda now: _result(app, now), tag="fp-pay",
                  note=f"{p.unit_vin or ''} · {t(hint)}")  # fmt: skip
    return screen(app, route, t("fp_pay_title"), [banner.control, body])
