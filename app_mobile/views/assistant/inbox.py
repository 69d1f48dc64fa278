"""The staff inbox 客服工作台: handovers with the conversation, working hours shown; a person
reads the conversation, reveals the number to call (audited), replies in the chat, closes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.i18n import format_datetime
from app_mobile.views.account import app_bar
from common.api.assistant import HandoverDetail, HandoverView
from common.api.auth import Role

if TYPE_CHECKING:
    from app_mobile.shell import App

INBOX_ROUTE = "/assistant/inbox"
INBOX_ROLES = (Role.ADMIN, Role.STAFF, Role.DEALER_ADMIN)
KIND_KEYS = {"live": "as_kind_live", "callback": "as_kind_callback", "draft": "as_kind_draft"}


def inbox_button(app: App) -> ft.Control | None:
    if app.role() not in INBOX_ROLES:
        return None

    async def open_(e: ft.Event[Any]) -> None:
        await app.go(INBOX_ROUTE)

    button = ft.IconButton(ft.Icons.INBOX, tooltip=app.t("as_inbox"), on_click=open_)
    return tagged("assistant-inbox", button, label=app.t("as_inbox"))


def _summary(app: App, item: HandoverView) -> str:
    t, h = app.t, item.handover
    parts = [t(KIND_KEYS[h.kind.value]), item.who, format_datetime(item.created_at)]
    if h.mobile:
        parts.append(h.mobile)
    if h.shop:
        parts.append(h.shop)
    if h.status.value == "closed":
        parts.append(t("as_closed"))
    return " · ".join(parts)


async def inbox_view(app: App) -> ft.View:
    t = app.t
    banner = ErrorBanner()
    rows: list[ft.Control] = []
    hours = ""
    try:
        inbox = await app.api.assistant_inbox(status=None)
    except ApiError as exc:
        banner.show(exc.message(t.language))
    else:
        hours = t(
            "as_hours",
            hours=inbox.service_hours,
            now=t("as_open_now") if inbox.open_now else t("as_closed_now"),
        )
        for item in inbox.items:

            async def open_(e: ft.Event[Any], handover_id: str = item.handover.id) -> None:
                await app.go(f"{INBOX_ROUTE}/{handover_id}")

            line = _summary(app, item)
            rows.append(
                tagged(
                    f"inbox-{item.handover.id}",
                    ft.Card(
                        content=ft.Container(
                            padding=12,
                            on_click=open_,
                            content=ft.Column(
                                [
                                    ft.Text(line, weight=ft.FontWeight.W_600, size=13),
                                    ft.Text(
                                        item.summary,
                                        size=13,
                                        max_lines=2,
                                        overflow=ft.TextOverflow.ELLIPSIS,
                                    ),
                                ],
                                spacing=4,
                            ),
                        )
                    ),
                    label=f"{line} {item.summary}",
                )
            )
        if not inbox.items:
            rows.append(ft.Text(t("as_inbox_empty")))
    return ft.View(
        route=INBOX_ROUTE,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        scroll=ft.ScrollMode.AUTO,
        appbar=app_bar(app, t("as_inbox")),
        controls=[banner.control, tagged("inbox-hours", ft.Text(hours), label=hours), *rows],
    )


async def handover_view(app: App, handover_id: str) -> ft.View:
    t, page = app.t, app.page
    banner = ErrorBanner()
    body = ft.Column(spacing=8)
    reply = ft.TextField(label=t("as_reply"), multiline=True, min_lines=2, max_length=500)
    note = ft.TextField(label=t("as_note"), max_length=200)

    def render(detail: HandoverDetail) -> None:
        item = detail.item
        said: list[ft.Control] = [ft.Text(_summary(app, item), weight=ft.FontWeight.W_600)]
        for i, m in enumerate(detail.conversation.messages):
            who = {"visitor": item.who, "assistant": "智能客服", "agent": "人工客服"}[
                m.author.value
            ]
            text = f"{who}（{format_datetime(m.at)}）：{m.text}"
            said.append(
                tagged(f"handover-line-{i}", ft.Text(text, size=13, selectable=True), label=text)
            )
        body.controls = said

    async def load() -> None:
        try:
            render(await app.api.assistant_handover(handover_id))
        except ApiError as exc:
            banner.show(exc.message(t.language))

    async def reveal(e: ft.Event[Any]) -> None:
        try:
            number = await app.api.assistant_reveal(handover_id)
        except ApiError as exc:
            banner.show(exc.message(t.language))
        else:
            number_text.value = number
            shown.label, shown.visible = number, True
        page.update()

    async def send(e: ft.Event[Any]) -> None:
        if not (reply.value or "").strip():
            return
        try:
            render(await app.api.assistant_reply(handover_id, reply.value.strip()))
            reply.value = ""
        except ApiError as exc:
            banner.show(exc.message(t.language))
        page.update()

    async def close(e: ft.Event[Any]) -> None:
        try:
            render(
                await app.api.assistant_close(handover_id, (note.value or "").strip() or "已处理")
            )
        except ApiError as exc:
            banner.show(exc.message(t.language))
        page.update()

    number_text = ft.Text("", selectable=True, size=16)
    shown = tagged("handover-mobile", number_text, label="")
    shown.visible = False
    await load()
    return ft.View(
        route=f"{INBOX_ROUTE}/{handover_id}",
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        scroll=ft.ScrollMode.AUTO,
        appbar=app_bar(app, t("as_handover")),
        controls=[
            banner.control,
            tagged("handover-conversation", body),
            ft.Row(
                [tagged("handover-reveal", ft.TextButton(t("as_reveal"), on_click=reveal)), shown]
            ),
            tagged("handover-reply-text", reply),
            tagged("handover-reply", ft.Button(t("as_send"), icon=ft.Icons.SEND, on_click=send)),
            tagged("handover-note", note),
            tagged("handover-close", ft.OutlinedButton(t("as_close"), on_click=close)),
        ],
    )


async def screens_for(app: App, route: str) -> list[ft.View]:
    """The inbox, and a handover above it."""
    if app.role() not in INBOX_ROLES or not route.startswith(INBOX_ROUTE):
        return []
    views = [await inbox_view(app)]
    rest = route.removeprefix(INBOX_ROUTE).strip("/")
    if rest:
        views.append(await handover_view(app, rest))
    return views
