"""Finance's payment exceptions 异常收款: money the provider took that was not posted. The open
ones counted by kind; one opened shows its amounts, order, contract and history, and the actions
its kind allows now (原路退款 refund, 入账 post, 线下处理 dismiss — a note is required to dismiss);
the resolved ones with how, when and by whom."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.state.payment_exceptions import (
    ACTIONS,
    counts,
    detail_lines,
    kind_text,
    refusal,
    summary,
)
from app_mobile.views.risk.common import heading, muted, screen
from common.api.payments import PaymentExceptionView

if TYPE_CHECKING:
    from app_mobile.shell import App

ROUTE = "/admin/payment-exceptions"
ICONS = {"refund": ft.Icons.UNDO, "post": ft.Icons.POST_ADD, "dismiss": ft.Icons.DONE}


def payment_exceptions_entry(app: App) -> ft.Control:
    """The admin home's card, beside the reconciliation card."""
    t = app.t

    async def open_it(e: ft.Event[Any]) -> None:
        await app.go(ROUTE)

    return tagged("admin-payment-exceptions", ft.Card(content=ft.ListTile(
        leading=ft.Icon(ft.Icons.REPORT_PROBLEM), title=ft.Text(t("pex_title")),
        subtitle=ft.Text(t("pex_hint"), size=12), on_click=open_it)))  # fmt: skip


async def payment_exceptions_view(app: App) -> ft.View:
    t, page = app.t, app.page
    banner = ErrorBanner()
    body = ft.Column(spacing=8)
    state: dict[str, str] = {"status": "open"}

    async def load(status: str) -> None:
        state["status"] = status
        try:
            items = await app.api.payment_exceptions(status)
        except ApiError as exc:
            banner.show(exc.message(t.language))
            body.controls = []
        else:
            body.controls = listing(items, status)
        page.update()

    def listing(items: list[PaymentExceptionView], status: str) -> list[ft.Control]:
        if status == "open":
            head = counts(items, t)
        else:
            head = t("pex_none_resolved") if not items else f"{t('pex_resolved')} · {len(items)}"
        rows: list[ft.Control] = [tagged("pex-counts", ft.Text(head, size=14), label=head)]
        for x in items:
            rows.append(tagged(f"pex-{x.id}", ft.Card(content=ft.ListTile(
                title=ft.Text(kind_text(x.kind, t)), subtitle=ft.Text(summary(x, t), size=12),
                trailing=ft.Text(str(x.seen_count)), on_click=opener(x)))))  # fmt: skip
        return rows

    def opener(x: PaymentExceptionView):  # type: ignore[no-untyped-def]
        async def open_one(e: ft.Event[Any]) -> None:
            body.controls = details(x)
            page.update()

        return open_one

    def details(x: PaymentExceptionView) -> list[ft.Control]:
        note = ft.TextField(label=t("pex_note"), multiline=True, max_lines=3, max_length=500)

        def sender(action: str):  # type: ignore[no-untyped-def]
            async def send(e: ft.Event[Any]) -> None:
                why = refusal(x, action, note.value or "")
                if why is not None:
                    note.error = t(why)
                    page.update()
                    return
                note.error = None
                try:
                    done = await app.api.resolve_payment_exception(x.id, action, note.value or "")
                except ApiError as exc:
                    banner.show(exc.message(t.language))
                    page.update()
                    return
                banner.show(t("pex_done", action=t(f"pex_action_{action}")), success=True)
                body.controls = details(done)
                page.update()

            return send

        buttons: list[ft.Control] = [
            tagged(
                f"pex-{action}",
                ft.Button(t(f"pex_action_{action}"), icon=ICONS[action], on_click=sender(action)),
            )
            for action in ACTIONS
            if action in x.actions
        ]

        async def back(e: ft.Event[Any]) -> None:
            await load(state["status"])

        controls: list[ft.Control] = [
            heading(f"{kind_text(x.kind, t)} · {x.out_trade_no}"),
            *(muted(line) for line in detail_lines(x, t)),
        ]
        if buttons:
            controls += [tagged("pex-note", note), ft.Row(buttons, wrap=True)]
        controls.append(ft.TextButton(t("pex_back"), icon=ft.Icons.ARROW_BACK, on_click=back))
        return controls

    async def show_open(e: ft.Event[Any]) -> None:
        await load("open")

    async def show_resolved(e: ft.Event[Any]) -> None:
        await load("resolved")

    switch = ft.Row([
        tagged("pex-show-open", ft.Button(t("pex_open"), on_click=show_open)),
        tagged("pex-show-resolved", ft.Button(t("pex_resolved"), on_click=show_resolved)),
    ], wrap=True)  # fmt: skip
    try:
        first = listing(await app.api.payment_exceptions("open"), "open")
    except ApiError as exc:
        banner.show(exc.message(t.language))
        first = []
    body.controls = first
    return screen(app, ROUTE, t("pex_title"), [banner.control, switch, body])
