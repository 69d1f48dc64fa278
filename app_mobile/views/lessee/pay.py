"""Paying on the phone 立即还款: choose what to pay, the provider's pay page (a new tab, as
WeChat Pay's H5 page is), then the result once the provider's notification has landed — with
progress while waiting and a "refresh" that asks the provider — and the receipt 电子收据."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.i18n import dotted, format_datetime, format_money
from app_mobile.state.pay import PayForm
from app_mobile.views.payment_wait import await_payment
from app_mobile.views.risk.common import heading, muted, screen
from common.api.hall import HallContract
from common.api.payments import PaymentRequest, PaymentView

if TYPE_CHECKING:
    from app_mobile.shell import App


async def headline(app: App, contract_id: str) -> HallContract | None:
    hall = await app.api.hall()
    return next((c for c in hall.contracts if c.id == contract_id), None)


async def start_payment(
    app: App, contract_id: str, request: PaymentRequest, banner: ErrorBanner
) -> None:
    """Create the payment (one Idempotency-Key per tap), open the pay page, follow the result."""
    try:
        payment = await app.api.pay(contract_id, request, uuid.uuid4().hex)
    except ApiError as exc:
        banner.show(exc.message(app.t.language))
        app.page.update()
        return
    if payment.pay_url:
        await ft.UrlLauncher().launch_url(app.api.absolute(payment.pay_url))
    await app.go(f"/payments/{payment.id}")


async def pay_view(app: App, contract_id: str) -> ft.View:
    t, page = app.t, app.page
    route = f"/contracts/{contract_id}/pay"
    banner = ErrorBanner()
    try:
        c = await headline(app, contract_id)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("pay_title"), [banner.control])
    if c is None or c.outstanding == "0.00":
        return screen(app, route, t("pay_title"), [muted(t("hall_nothing_due"))])
    form = PayForm(c)
    form.option = form.choices[0][0] if form.choices else "custom"
    custom = ft.TextField(
        label=t("pay_custom_amount"), prefix="¥", width=200,
        keyboard_type=ft.KeyboardType.NUMBER, visible=form.option == "custom",
    )  # fmt: skip
    confirm = ft.Button(height=52, width=float("inf"), icon=ft.Icons.PAYMENTS)

    def label() -> None:
        custom.visible = form.option == "custom"
        custom.error = form.custom_problem() if form.option == "custom" and form.custom else None
        amount = form.amount
        confirm.content = (
            t("pay_confirm", amount=format_money(amount)) if amount else t("pay_title")
        )
        confirm.disabled = amount is None

    def refresh() -> None:
        label()
        page.update()

    async def chosen(e: ft.Event[Any]) -> None:
        form.option = e.control.value
        refresh()

    async def typed(e: ft.Event[Any]) -> None:
        form.custom = custom.value or ""
        refresh()

    async def go_pay(e: ft.Event[Any]) -> None:
        request = form.request()
        if request is None:
            return
        confirm.disabled = True
        page.update()
        await start_payment(app, contract_id, request, banner)

    labels = {"next": "pay_option_next", "overdue": "pay_option_overdue"}
    radios: list[ft.Control] = [
        ft.Radio(value=option, label=t(labels[option], amount=format_money(amount)))
        for option, amount in form.choices
    ]
    radios.append(ft.Radio(value="custom", label=t("pay_option_custom")))
    group = tagged("pay-options", ft.RadioGroup(content=ft.Column(radios), value=form.option,
                                                on_change=chosen))  # fmt: skip
    custom.on_change, confirm.on_click = typed, go_pay
    label()
    controls: list[ft.Control] = [
        banner.control,
        ft.Text(c.number, weight=ft.FontWeight.W_600),
        muted(dotted(c.vehicle, c.vin)),
        heading(t("pay_choose")),
        group,
        tagged("pay-custom", custom),
        muted(t("pay_sandbox_note"), 12),
        tagged("pay-confirm", confirm),
    ]
    return screen(app, route, t("pay_title"), controls)


def _result(app: App, p: PaymentView) -> list[ft.Control]:
    t = app.t

    async def receipt(e: ft.Event[Any]) -> None:
        await app.go(f"/payments/{p.id}/receipt")

    async def home(e: ft.Event[Any]) -> None:
        await app.go("/home")

    if p.status == "paid":
        icon, colour, text = ft.Icons.CHECK_CIRCLE, ft.Colors.GREEN_700, t("pay_done")
    else:
        icon, colour, text = (
            ft.Icons.CANCEL,
            ft.Colors.RED_700,
            t("pay_not_done", status=p.status_label),
        )
    parts: list[ft.Control] = [
        ft.Icon(icon, size=64, color=colour),
        tagged("pay-result", ft.Text(text, size=18, weight=ft.FontWeight.W_600), label=text),
        ft.Text(format_money(p.amount), size=28, weight=ft.FontWeight.BOLD),
    ]
    if p.paid_at is not None:
        parts.append(muted(t("pay_paid_at", at=format_datetime(p.paid_at))))
    if p.receipt_number:
        parts.append(tagged("pay-receipt", ft.OutlinedButton(
            t("pay_receipt", number=p.receipt_number), icon=ft.Icons.RECEIPT_LONG,
            on_click=receipt)))  # fmt: skip
    parts.append(ft.TextButton(t("pay_back_home"), on_click=home))
    return [ft.Column(parts, horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=10)]


async def payment_view(app: App, payment_id: str) -> ft.View:
    """Waiting for the provider's word, then the result."""
    t = app.t
    route = f"/payments/{payment_id}"
    banner = ErrorBanner()
    try:
        p = await app.api.payment(payment_id)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("pay_title"), [banner.control])
    if p.status != "created":
        return screen(app, route, t("pay_title"), _result(app, p))
    body = ft.Column(horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=12)

    async def shown(now: PaymentView) -> list[ft.Control]:
        return _result(app, now)

    await_payment(app, route, p, banner, body, shown, tag="pay", note=t("pay_waiting_hint"))
    return screen(app, route, t("pay_title"), [banner.control, body])


async def receipt_view(app: App, payment_id: str) -> ft.View:
    t = app.t
    route = f"/payments/{payment_id}/receipt"
    banner = ErrorBanner()
    try:
        r = await app.api.receipt(payment_id)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("receipt_title"), [banner.control])
    rows = [
        ft.Row([ft.Text(t("hall_row", n=x.number), size=13, width=70),
                ft.Text(x.component_label, size=13, expand=True),
                ft.Text(format_money(x.amount), size=13)])
        for x in r.lines
    ]  # fmt: skip
    if r.unapplied != "0.00":
        rows.append(ft.Row([ft.Text(t("receipt_unapplied"), size=13, expand=True),
                            ft.Text(format_money(r.unapplied), size=13)]))  # fmt: skip
    controls: list[ft.Control] = [
        banner.control,
        tagged(
            "receipt-number",
            ft.Text(t("receipt_number", number=r.receipt_number), weight=ft.FontWeight.W_600),
        ),
        muted(f"{r.contract_number} · {r.lessee_name}"),
        tagged(
            "receipt-amount", ft.Text(format_money(r.amount), size=28, weight=ft.FontWeight.BOLD)
        ),
        muted(t("pay_paid_at", at=format_datetime(r.paid_at))),
        heading(t("receipt_allocation")),
        *rows,
        muted(t("receipt_txn", txn=r.provider_txn_id), 11),
    ]
    return screen(app, route, t("receipt_title"), controls)
