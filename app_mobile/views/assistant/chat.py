"""The chat 智能客服: ask in Chinese, tap a suggestion, see a quote and a pre-check, reach a
person. Open from the sign-in screen (a visitor) and from every home's app bar."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.state.assistant import Chat, handover_text, precheck_text, quote_lines
from common.api.assistant import FollowUp, PrecheckOutcome

if TYPE_CHECKING:
    from app_mobile.shell import App

CHAT_ROUTE = "/assistant"
BUBBLE = {
    "visitor": ft.Colors.INDIGO_100,
    "assistant": ft.Colors.GREY_200,
    "agent": ft.Colors.GREEN_100,
}
OUTCOME_COLOUR = {
    PrecheckOutcome.LIKELY: ft.Colors.GREEN_800,
    PrecheckOutcome.REVIEW: ft.Colors.ORANGE_800,
    PrecheckOutcome.UNLIKELY: ft.Colors.RED_700,
}


def assistant_button(app: App) -> ft.Control:
    async def open_(e: ft.Event[Any]) -> None:
        await app.go(CHAT_ROUTE)

    button = ft.IconButton(ft.Icons.SUPPORT_AGENT, tooltip=app.t("as_open"), on_click=open_)
    return tagged("assistant-open", button, label=app.t("as_open"))


def _bubble(index: int, author: str, text: str) -> ft.Control:
    mine = author == "visitor"
    box = ft.Container(
        content=ft.Text(text, size=14, selectable=True, color=ft.Colors.BLACK),
        bgcolor=BUBBLE.get(author, ft.Colors.GREY_200),
        border_radius=12,
        padding=10,
        width=300,
    )
    who = {"agent": "人工客服", "assistant": "智能客服"}.get(author)
    column = [ft.Text(who, size=11, color=ft.Colors.ON_SURFACE_VARIANT)] if who else []
    return tagged(
        f"assistant-line-{index}",
        ft.Row(
            [ft.Column([*column, box], spacing=2)],
            alignment=ft.MainAxisAlignment.END if mine else ft.MainAxisAlignment.START,
        ),
        label=f"{who or '我'}：{text}",
    )


def chat_view(app: App) -> ft.View:
    t, page = app.t, app.page
    chat: Chat = app.chat
    banner = ErrorBanner()
    lines = ft.Column(spacing=8)
    chips = ft.Row(wrap=True, spacing=6, run_spacing=6)
    cards = ft.Column(spacing=8)
    field = ft.TextField(
        label=t("as_input"), expand=True, max_length=500, multiline=False, shift_enter=False
    )
    busy = ft.ProgressRing(visible=False, width=18, height=18)

    def render() -> None:
        lines.controls = [_bubble(i, x.author, x.text) for i, x in enumerate(chat.lines)]
        chips.controls = [_chip(f) for f in chat.follow_ups]
        cards.controls = _cards(app, chat)

    async def send(text: str) -> None:
        text = text.strip()
        if not text:
            return
        banner.clear()
        chat.asked(text)
        field.value, busy.visible = "", True
        render()
        page.update()
        try:
            chat.answered(await app.api.assistant_say(text, chat.conversation_id))
        except ApiError as exc:
            chat.lines.pop()
            banner.show(exc.message(t.language))
        busy.visible = False
        render()
        page.update()

    def _chip(f: FollowUp) -> ft.Control:
        async def tap(e: ft.Event[Any]) -> None:
            await send(f.text)

        return tagged(
            f"assistant-chip-{f.topic or 'text'}",
            ft.OutlinedButton(f.text, on_click=tap),
            label=f.text,
        )

    async def submit(e: ft.Event[Any]) -> None:
        await send(field.value or "")

    async def refresh(e: ft.Event[Any]) -> None:
        if chat.conversation_id is None:
            return
        try:
            chat.refreshed(await app.api.assistant_conversation(chat.conversation_id))
        except ApiError as exc:
            banner.show(exc.message(t.language))
        render()
        page.update()

    async def back(e: ft.Event[Any]) -> None:
        await app.go("/home" if app.user else "/login")

    field.on_submit = submit
    box = tagged("assistant-input", field)
    box.expand = True  # the field takes the row's width, the send button stays in sight
    render()
    send_button = tagged(
        "assistant-send",
        ft.IconButton(ft.Icons.SEND, tooltip=t("as_send"), on_click=submit),
        label=t("as_send"),
    )
    return ft.View(
        route=CHAT_ROUTE,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        scroll=ft.ScrollMode.AUTO,
        auto_scroll=True,
        appbar=ft.AppBar(
            leading=tagged(
                "assistant-back", ft.IconButton(ft.Icons.ARROW_BACK, on_click=back), label=t("back")
            ),
            title=ft.Text(t("as_title"), size=18),
            actions=[
                tagged(
                    "assistant-refresh",
                    ft.IconButton(ft.Icons.REFRESH, tooltip=t("refresh"), on_click=refresh),
                    label=t("refresh"),
                )
            ],
        ),
        controls=[
            banner.control,
            tagged("assistant-lines", lines),
            cards,
            chips,
        ],
        # the field stays at the bottom of the screen, above the keyboard, as the chat scrolls
        bottom_appbar=ft.BottomAppBar(
            content=ft.Row([box, busy, send_button]), padding=ft.Padding(8, 4, 8, 4), height=84
        ),
    )


def _cards(app: App, chat: Chat) -> list[ft.Control]:
    out: list[ft.Control] = []
    if chat.quote is not None:
        text = quote_lines(chat.quote)
        out.append(
            tagged(
                "assistant-quote",
                ft.Card(
                    content=ft.Container(
                        padding=12,
                        content=(
                            ft.Column(
                                [
                                    ft.Text(text[0], weight=ft.FontWeight.W_600),
                                    *(ft.Text(x, size=13) for x in text[1:]),
                                ],
                                spacing=2,
                            )
                        ),
                    )
                ),
                label="；".join(text),
            )
        )
    if chat.precheck is not None:
        said = precheck_text(chat.precheck)
        out.append(
            tagged(
                "assistant-precheck",
                ft.Text(
                    said, color=OUTCOME_COLOUR[chat.precheck.outcome], weight=ft.FontWeight.W_600
                ),
                label=said,
            )
        )
    if chat.handover is not None:
        said = handover_text(chat.handover)
        out.append(
            tagged(
                "assistant-handover",
                ft.Container(
                    content=ft.Row([ft.Icon(ft.Icons.SUPPORT_AGENT), ft.Text(said, expand=True)]),
                    bgcolor=ft.Colors.with_opacity(0.12, ft.Colors.GREEN),
                    padding=10,
                    border_radius=8,
                ),
                label=said,
            )
        )
    if chat.sign_in_needed and app.user is None:

        async def sign_in(e: ft.Event[Any]) -> None:
            app.login_by_sms = True
            await app.go("/login")

        out.append(
            tagged("assistant-sign-in", ft.TextButton(app.t("as_sign_in"), on_click=sign_in))
        )
    return out
