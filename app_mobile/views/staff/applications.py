"""My applications 我的进件: the shop's applications with their status; one opens with its
decision 审批结果 and the reasons in plain Chinese."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, decision_panel, status_chip, tagged
from app_mobile.components.schedule import schedule_table
from app_mobile.i18n import format_money, format_percent
from app_mobile.state.applications import describe, financed_text, is_device_draft
from app_mobile.views.account import app_bar
from common.api.contracts import ContractSummary
from common.api.intake import ApplicationStatus, ApplicationSummary
from common.contracts import ContractStatus

if TYPE_CHECKING:
    from app_mobile.shell import App


def _delete_button(app: App, item: ApplicationSummary, banner: ErrorBanner) -> ft.Control:
    """Delete a draft, after a confirmation; the device copy goes with it when it is this one."""
    t, page = app.t, app.page

    async def confirmed(e: ft.Event[Any]) -> None:
        page.pop_dialog()
        try:
            await app.api.delete_application(item.id)
        except ApiError as exc:
            banner.show(exc.message(t.language))
            banner.control.update()
            return
        user = app.user
        if user is not None and is_device_draft(await app.store.draft(user.id), item.id):
            await app.store.drop_draft(user.id)
        if app.intake is not None and app.intake.state.application_id == item.id:
            app.intake = None
        app.flash = t("draft_deleted")
        await app.show("/applications")

    async def cancelled(e: ft.Event[Any]) -> None:
        page.pop_dialog()

    async def ask(e: ft.Event[Any]) -> None:
        page.show_dialog(
            ft.AlertDialog(
                modal=True,
                title=ft.Text(t("draft_delete")),
                content=ft.Text(t("draft_delete_confirm")),
                actions=[
                    tagged("draft-delete-cancel", ft.TextButton(t("cancel"), on_click=cancelled)),
                    tagged(
                        "draft-delete-confirm",
                        ft.Button(
                            t("draft_delete"),
                            icon=ft.Icons.DELETE_OUTLINE,
                            on_click=confirmed,
                            bgcolor=ft.Colors.RED_700,
                            color=ft.Colors.WHITE,
                        ),
                    ),
                ],
            )
        )

    return tagged(
        f"application-delete-{item.id}",
        ft.IconButton(ft.Icons.DELETE_OUTLINE, tooltip=t("draft_delete"), on_click=ask),
        label=t("draft_delete"),
    )


def _row(app: App, item: ApplicationSummary, banner: ErrorBanner) -> ft.Control:
    t = app.t
    lines = describe(item, t)

    async def open_(e: ft.Event[Any]) -> None:
        await app.go(f"/applications/{item.id}")

    heading: list[ft.Control] = [
        ft.Text(
            lines.title,
            weight=ft.FontWeight.W_600,
            expand=True,
            max_lines=2,  # maker, model and year: the year must not be cut off
            overflow=ft.TextOverflow.ELLIPSIS,
        ),
        status_chip(item.status.value, t),
    ]
    body: list[ft.Control] = [
        *([ft.Text(lines.vin, size=12, color=ft.Colors.ON_SURFACE_VARIANT)] if lines.vin else []),
        ft.Text(lines.customer, size=13),
        ft.Text(lines.figures, size=13, color=ft.Colors.ON_SURFACE_VARIANT),
    ]
    if lines.progress:
        body.append(ft.Text(lines.progress, size=12, color=ft.Colors.INDIGO_700))
    card = ft.Card(
        content=ft.Container(
            padding=12,
            on_click=open_,
            content=ft.Column([ft.Row(heading), *body], spacing=4),
        )
    )
    tagged_card = tagged(
        f"application-{item.id}", card, label=lines.label(t(f"status_{item.status.value}"))
    )
    if item.status != ApplicationStatus.DRAFT:
        return tagged_card
    tagged_card.expand = True
    return ft.Row(
        [tagged_card, _delete_button(app, item, banner)],
        vertical_alignment=ft.CrossAxisAlignment.CENTER,
        spacing=0,
    )


async def applications_view(app: App) -> ft.View:
    t = app.t
    banner = ErrorBanner()
    if app.flash:
        banner.show(app.flash, success=True)
        app.flash = ""
    rows: list[ft.Control] = []
    try:
        items = await app.api.list_applications()
    except ApiError as exc:
        banner.show(exc.message(t.language))
        items = []
    rows = [_row(app, item, banner) for item in items]
    if not rows and not banner.shown:
        rows = [ft.Text(t("no_applications"), color=ft.Colors.ON_SURFACE_VARIANT)]

    async def refresh(e: ft.Event[Any]) -> None:
        await app.show("/applications")

    bar = app_bar(app, t("my_applications"))
    bar.actions = [  # refresh beside the language switch, not instead of it
        ft.IconButton(ft.Icons.REFRESH, tooltip=t("refresh"), on_click=refresh),
        *(bar.actions or []),
    ]
    return ft.View(
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        route="/applications",
        appbar=bar,
        scroll=ft.ScrollMode.AUTO,
        controls=[banner.control, tagged("my-applications-list", ft.Column(rows))],
    )


async def _contract_panel(app: App, application_id: str, banner: ErrorBanner) -> ft.Control:
    """An approved application's contract: its status (generated / awaiting signature / signed /
    active), or a button that generates it and texts the lessee."""
    t = app.t
    panel = ft.Column(spacing=6)

    def show(contract: ContractSummary | None) -> None:
        if contract is None:
            panel.controls = [tagged("application-generate-contract", ft.Button(
                t("contract_generate"), icon=ft.Icons.DESCRIPTION, on_click=generate))]  # fmt: skip
            return
        line = t("contract_status_line", number=contract.number, status=contract.status_label)
        panel.controls = [
            ft.Text(t("contract_heading"), size=16),
            tagged("application-contract", ft.Text(line, size=14), label=line),
        ]
        if contract.status == ContractStatus.ACTIVE:  # delivered: the GPS terminal goes in

            async def terminals(e: ft.Event[Any], contract_id: str = contract.id) -> None:
                await app.go(f"/contracts/{contract_id}/terminals")

            panel.controls.append(tagged("application-terminals", ft.OutlinedButton(
                t("terminals_title"), icon=ft.Icons.GPS_FIXED, on_click=terminals)))  # fmt: skip

    async def generate(e: ft.Event[Any]) -> None:
        try:
            made = await app.api.generate_contract(application_id)
        except ApiError as exc:
            banner.show(exc.message(t.language))
        else:
            show(await app.api.application_contract(made.application_id))
        app.page.update()

    try:
        show(await app.api.application_contract(application_id))
    except ApiError as exc:
        banner.show(exc.message(t.language))
    return panel


async def application_view(app: App, application_id: str) -> ft.View:
    """One application: status, figures and the decision with its reasons and gates."""
    t = app.t
    banner = ErrorBanner()
    controls: list[ft.Control] = [banner.control]
    try:
        view = await app.api.get_application(application_id)
    except ApiError as exc:
        banner.show(exc.message(t.language))
    else:
        quote = view.quote
        figures = " · ".join(
            x
            for x in (
                format_money(quote.monthly_payment) if quote else "",
                format_percent(quote.annualised_rate_percent) if quote else "",
            )
            if x
        )
        controls += [
            ft.Row(
                [
                    ft.Text(t("status"), size=16),
                    status_chip(view.status.value, t, "application-status"),
                ],
                spacing=12,
            ),
            ft.Text(t("application_no", id=view.id), size=12, selectable=True),
            ft.Text(financed_text(view, t.language), weight=ft.FontWeight.W_600),
            ft.Text(view.customer.name if view.customer else "", size=13),
            ft.Text(figures, size=13, color=ft.Colors.ON_SURFACE_VARIANT),
        ]
        if view.decision is not None:
            controls.append(decision_panel(view.decision, t))
        if view.status == ApplicationStatus.APPROVED:
            controls.append(await _contract_panel(app, application_id, banner))
        if quote is not None and quote.instalments:
            controls += [ft.Text(t("schedule_title"), size=16), schedule_table(quote, t)]
    return ft.View(
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        route=f"/applications/{application_id}",
        appbar=app_bar(app, t("application_detail")),
        scroll=ft.ScrollMode.AUTO,
        controls=[*controls],
    )
