"""Contracts on a phone: the list a role sees (我的合同 for the lessee), one contract (its terms
with the rate by IRR first, the schedule, the PDF), and the lessee's signing with a code texted
to the phone."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.components.schedule import instalment_table
from app_mobile.components.widgets import LabelledText
from app_mobile.i18n import dotted, format_date, format_datetime, format_money, format_percent
from app_mobile.state.signing import SigningForm
from app_mobile.views.risk.common import heading, muted, screen
from common.api.auth import Role
from common.api.contracts import ContractSummary, ContractView
from common.contracts import ContractStatus

if TYPE_CHECKING:
    from app_mobile.shell import App

STATUS_COLOURS = {
    ContractStatus.AWAITING_SIGNATURE: ft.Colors.ORANGE_700,
    ContractStatus.SIGNED: ft.Colors.BLUE_700,
    ContractStatus.ACTIVE: ft.Colors.GREEN_700,
    ContractStatus.CANCELLED: ft.Colors.GREY_600,
    ContractStatus.SETTLED: ft.Colors.TEAL_700,
}


def status_chip(label: str, status: ContractStatus) -> ft.Control:
    return ft.Container(
        content=ft.Text(label, color=ft.Colors.WHITE, size=12),
        bgcolor=STATUS_COLOURS[status],
        border_radius=12,
        padding=ft.Padding.symmetric(horizontal=10, vertical=4),
    )


def contract_card(app: App, c: ContractSummary) -> ft.Control:
    t = app.t

    async def open_it(e: ft.Event[Any]) -> None:
        await app.go(f"/contracts/{c.id}")

    body = ft.Column(
        [
            ft.Row(
                [
                    ft.Text(c.number, weight=ft.FontWeight.W_600, expand=True),
                    status_chip(c.status_label, c.status),
                ]
            ),
            muted(dotted(c.vehicle, c.vin)),
            ft.Text(
                t(
                    "contract_rent_line",
                    rent=format_money(c.monthly_payment),
                    n=c.term_months,
                    rate=format_percent(c.annualised_rate_percent),
                ),
                size=14,
            ),
        ],
        spacing=4,
    )
    card = ft.Card(content=ft.Container(padding=12, content=body, on_click=open_it))
    return tagged(f"contract-{c.number}", card, label=f"{c.number} {c.status_label}")


async def contracts_section(app: App, heading_key: str = "my_contracts") -> list[ft.Control]:
    """A home's list of the contracts its role sees (or why there is none)."""
    t = app.t
    try:
        contracts = await app.api.contracts()
    except ApiError as exc:
        banner = ErrorBanner()
        banner.show(exc.message(t.language))
        return [banner.control]
    cards = [contract_card(app, c) for c in contracts]
    return [heading(t(heading_key)), *(cards or [muted(t("contracts_none"))])]


def _rate_box(app: App, c: ContractView) -> ft.Control:
    """The annualised rate by IRR incl. fees, larger than any other figure (PBOC 2021)."""
    t = app.t
    return ft.Container(
        bgcolor=ft.Colors.with_opacity(0.12, ft.Colors.BLUE),
        border_radius=8,
        padding=12,
        content=ft.Column(
            [
                ft.Text(t("contract_irr_label"), size=13, color=ft.Colors.BLUE_900),
                LabelledText(
                    "contract-irr",
                    format_percent(c.annualised_rate_percent),
                    size=28,
                    weight=ft.FontWeight.BOLD,
                    color=ft.Colors.BLUE_900,
                ).control,
                muted(t("contract_nominal", rate=format_percent(c.nominal_rate_percent)), 12),
            ],
            spacing=2,
        ),
    )


def _terms(app: App, c: ContractView) -> ft.Control:
    t = app.t
    rows = [
        ("contract_product", c.product_name),
        ("contract_vehicle", f"{c.vehicle.get('maker', '')} {c.vehicle.get('model', '')} · "
                             f"{c.vehicle.get('vin', '')}"),
        ("contract_principal", format_money(c.principal)),
        ("contract_down_payment", format_money(c.down_payment)),
        ("contract_deposit", format_money(c.deposit)),
        ("contract_fees", format_money(c.fees)),
        ("contract_monthly", format_money(c.monthly_payment)),
        ("contract_term", t("months", n=c.term_months)),
        ("contract_total", format_money(c.total_payment)),
        ("contract_issued", format_date(c.issued_on)),
    ]  # fmt: skip
    return ft.Column(
        [
            ft.Row(
                [
                    ft.Text(t(k), size=13, color=ft.Colors.ON_SURFACE_VARIANT, width=110),
                    ft.Text(v, size=13, expand=True),
                ]
            )
            for k, v in rows
        ],
        spacing=4,
    )


def _signing(app: App, c: ContractView, banner: ErrorBanner) -> ft.Control:
    """Tick every confirmation, ask for a code, type it, sign."""
    t, page = app.t, app.page
    form = SigningForm(dict(c.confirmations))
    code = ft.TextField(label=t("sign_code"), keyboard_type=ft.KeyboardType.NUMBER,
                        max_length=6, width=160)  # fmt: skip
    ask = ft.OutlinedButton(t("sign_get_code"), icon=ft.Icons.SMS, disabled=True)
    sign = ft.Button(t("sign_now"), icon=ft.Icons.DRAW, disabled=True, height=52,
                     width=float("inf"))  # fmt: skip
    note = muted("")

    def refresh() -> None:
        ask.disabled = not form.may_ask_code
        ask.content = t("sign_wait", s=form.wait_s) if form.wait_s else t("sign_get_code")
        sign.disabled = not form.ready
        page.update()

    def ticker(key: str):  # type: ignore[no-untyped-def]
        async def changed(e: ft.Event[Any]) -> None:
            form.tick(key, bool(e.control.value))
            refresh()

        return changed

    async def countdown() -> None:
        while form.wait_s:
            await asyncio.sleep(1)
            form.second_passed()
            refresh()

    async def ask_code(e: ft.Event[Any]) -> None:
        try:
            sent = await app.api.send_sign_code(c.id)
        except ApiError as exc:
            banner.show(exc.message(t.language))
            page.update()
            return
        banner.clear()
        form.code_sent(sent.sent_to)
        note.value = t("sign_code_sent", to=sent.sent_to)
        refresh()
        page.run_task(countdown)

    async def typed(e: ft.Event[Any]) -> None:
        form.code = code.value or ""
        refresh()

    async def sign_it(e: ft.Event[Any]) -> None:
        sign.disabled = True
        page.update()
        try:
            await app.api.sign_contract(c.id, form.request("AutoLease app (web)"))
        except ApiError as exc:
            banner.show(exc.message(t.language))
            refresh()
            return
        await app.go(f"/contracts/{c.id}/signed")

    ask.on_click, code.on_change, sign.on_click = ask_code, typed, sign_it
    boxes = [
        tagged(f"confirm-{key}", ft.Checkbox(label=text, on_change=ticker(key)))
        for key, text in form.confirmations.items()
    ]
    return ft.Column(
        [
            heading(t("sign_heading")),
            *boxes,
            ft.Row([tagged("sign-get-code", ask), tagged("sign-code", code)], wrap=True),
            note,
            tagged("sign-now", sign),
        ],
        spacing=8,
    )


async def contract_view(app: App, contract_id: str) -> ft.View:
    t, page = app.t, app.page
    banner = ErrorBanner()
    route = f"/contracts/{contract_id}"
    try:
        c = await app.api.contract(contract_id)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("contract_title"), [banner.control])

    async def open_pdf(e: ft.Event[Any]) -> None:
        try:
            link = await app.api.contract_pdf_link(c.id)
        except ApiError as exc:
            banner.show(exc.message(t.language))
            page.update()
            return
        await ft.UrlLauncher().launch_url(link.url)

    controls: list[ft.Control] = [
        banner.control,
        ft.Row(
            [
                ft.Text(c.number, size=18, weight=ft.FontWeight.W_600, expand=True),
                tagged(
                    "contract-status", status_chip(c.status_label, c.status), label=c.status_label
                ),
            ]
        ),
        _rate_box(app, c),
        _terms(app, c),
        tagged(
            "contract-pdf",
            ft.OutlinedButton(
                t("contract_open_pdf"), icon=ft.Icons.PICTURE_AS_PDF, on_click=open_pdf
            ),
        ),
    ]
    lessee = app.user is not None and app.user.role == Role.LESSEE
    if lessee and c.status == ContractStatus.AWAITING_SIGNATURE and c.confirmations:
        controls.append(_signing(app, c, banner))
    elif c.signed_at is not None:
        controls.append(muted(t("contract_signed_on", at=format_date(c.signed_at))))
    if lessee and c.status == ContractStatus.ACTIVE:
        controls += await _vehicle_position(app, c.id)
    watcher = app.user is not None and app.user.role in (Role.MONITOR, Role.ADMIN)
    if watcher and c.status == ContractStatus.ACTIVE:
        controls.append(_monitoring_links(app, c.id))
    controls += [
        heading(t("contract_schedule")),
        instalment_table(c.schedule, t, "contract-schedule"),
    ]
    return screen(app, route, t("contract_title"), controls)


def _monitoring_links(app: App, contract_id: str) -> ft.Control:
    """A monitor's way to the vehicle's terminals and to the contract's monitoring plan."""

    def opener(path: str) -> Any:
        async def go(e: ft.Event[Any]) -> None:
            await app.go(f"/contracts/{contract_id}/{path}")

        return go

    t = app.t
    return ft.Row([
        tagged("contract-terminals", ft.OutlinedButton(
            t("terminals_title"), icon=ft.Icons.GPS_FIXED, on_click=opener("terminals"))),
        tagged("contract-plan", ft.OutlinedButton(
            t("plan_title"), icon=ft.Icons.MAP, on_click=opener("plan"))),
    ], wrap=True)  # fmt: skip


async def _vehicle_position(app: App, contract_id: str) -> list[ft.Control]:
    """The vehicle's last position, where the contract shares it with the lessee (else none)."""
    from app_mobile.views.monitor.vehicle_map import position_map

    try:
        seen = await app.api.vehicle_position(contract_id)
    except ApiError:
        return []  # not shared by this contract (403), or no terminal yet
    if seen.lat is None or seen.lon is None or seen.at is None:
        return []
    return [
        heading(app.t("vehicle_position")),
        tagged("vehicle-position", position_map(seen.lon, seen.lat), label="position"),
        muted(app.t("vehicle_position_at", at=format_datetime(seen.at)), 12),
    ]


async def signed_view(app: App, contract_id: str) -> ft.View:
    """The signing result: sealed, and what a check of the file says."""
    t = app.t
    route = f"/contracts/{contract_id}/signed"
    banner = ErrorBanner()
    try:
        c = await app.api.contract(contract_id)
        report = await app.api.verify_contract(contract_id)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("sign_result"), [banner.control])
    ok = report.original

    async def back(e: ft.Event[Any]) -> None:
        await app.go(f"/contracts/{contract_id}")

    lines = [
        ft.Icon(
            ft.Icons.VERIFIED if ok else ft.Icons.ERROR,
            size=56,
            color=ft.Colors.GREEN_700 if ok else ft.Colors.RED_700,
        ),
        tagged(
            "sign-result",
            ft.Text(
                t("sign_done") if ok else t("sign_check_failed"),
                size=18,
                weight=ft.FontWeight.W_600,
            ),
        ),
        muted(t("sign_done_detail", number=c.number)),
        muted(t("sign_seal", signer=report.signer, at=format_date(report.timestamp_at))),
        muted(f"SHA-256 {report.sha256[:16]}…", 12),
        ft.TextButton(t("contract_back"), on_click=back),
    ]
    column = ft.Column(lines, horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=8)
    return screen(app, route, t("sign_result"), [banner.control, column])
