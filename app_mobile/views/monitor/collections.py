"""Collections 催收 for the monitor role: the queue (broken promises first, then by bucket and
amount), a case's actions — call note, promise to pay with a date, field visit, escalate — and
a contract's timeline (activation, postings, penalty, bucket changes, reminders, actions)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.i18n import format_date, format_datetime, format_money
from app_mobile.views.risk.common import heading, muted, screen
from common.api.collections import ActionKind, ActionRequest, QueueItem
from common.business_day import business_date

if TYPE_CHECKING:
    from app_mobile.shell import App

BUCKET_COLOURS = {"M1": ft.Colors.AMBER_700, "M2": ft.Colors.ORANGE_700}


def _case_card(app: App, x: QueueItem) -> ft.Control:
    t = app.t

    async def open_case(e: ft.Event[Any]) -> None:
        await app.go(f"/collections/{x.case_id}")

    chip = ft.Container(
        content=ft.Text(x.bucket, color=ft.Colors.WHITE, size=12),
        bgcolor=BUCKET_COLOURS.get(x.bucket, ft.Colors.RED_700),
        border_radius=10,
        padding=ft.Padding.symmetric(horizontal=8, vertical=2),
    )
    lines: list[ft.Control] = [
        ft.Row([ft.Text(x.contract_number, weight=ft.FontWeight.W_600, expand=True), chip]),
        ft.Text(t("coll_overdue", amount=format_money(x.overdue), days=x.days_past_due), size=14),
        muted(f"{x.lessee_name} · {x.mobile}", 12),
    ]
    if x.broken_promise:
        lines.append(
            ft.Text(
                t("coll_broken", date=format_date(x.promise_date)), color=ft.Colors.RED_700, size=12
            )
        )
    elif x.promise_date is not None:
        lines.append(
            muted(
                t(
                    "coll_promised",
                    date=format_date(x.promise_date),
                    amount=format_money(x.promise_amount or ""),
                ),
                12,
            )
        )
    if x.last_action_at is not None:
        lines.append(
            muted(
                t(
                    "coll_last",
                    what=t(f"coll_kind_{x.last_action}"),
                    at=format_datetime(x.last_action_at),
                ),
                12,
            )
        )
    card = ft.Card(
        content=ft.Container(padding=12, on_click=open_case, content=ft.Column(lines, spacing=3))
    )
    return tagged(f"case-{x.contract_number}", card, label=f"{x.contract_number} {x.bucket}")


async def collections_section(app: App) -> list[ft.Control]:
    """The monitor's home: the live cases, or that there are none."""
    t = app.t
    try:
        queue = await app.api.collections_queue()
    except ApiError as exc:
        banner = ErrorBanner()
        banner.show(exc.message(t.language))
        return [banner.control]
    body = [_case_card(app, x) for x in queue] or [muted(t("coll_none"))]
    return [heading(t("coll_heading", n=len(queue))), *body]


async def case_view(app: App, case_id: str) -> ft.View:
    t, page = app.t, app.page
    route = f"/collections/{case_id}"
    banner = ErrorBanner()
    try:
        case = next((x for x in await app.api.collections_queue() if x.case_id == case_id), None)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("coll_title"), [banner.control])
    if case is None:
        return screen(app, route, t("coll_title"), [muted(t("coll_closed"))])
    kind = ft.RadioGroup(
        value=ActionKind.CALL_NOTE.value,
        content=ft.Column(
            [ft.Radio(value=k.value, label=t(f"coll_kind_{k.value}")) for k in ActionKind]
        ),
    )
    note = ft.TextField(label=t("coll_note"), multiline=True, max_length=500)
    promise_on = ft.TextField(
        label=t("coll_promise_date"),
        width=170,
        value=(business_date(datetime.now(UTC)) + timedelta(days=3)).isoformat(),
    )
    promise_amount = ft.TextField(
        label=t("coll_promise_amount"), width=170, prefix="¥", value=case.overdue
    )
    done = ft.Column()

    async def save(e: ft.Event[Any]) -> None:
        promised = kind.value == ActionKind.PROMISE_TO_PAY.value
        what = ActionKind(kind.value or ActionKind.CALL_NOTE.value)
        try:
            on = date.fromisoformat((promise_on.value or "").strip()) if promised else None
            request = ActionRequest(
                kind=what,
                note=(note.value or "").strip() or t(f"coll_kind_{what.value}"),
                promise_date=on,
                promise_amount=((promise_amount.value or "").strip() or None) if promised else None,
            )
            saved = await app.api.collection_action(case_id, request)
        except ValueError:
            banner.show(t("coll_date_invalid"))
            page.update()
            return
        except ApiError as exc:
            banner.show(exc.message(t.language))
            page.update()
            return
        banner.clear()
        done.controls = [
            tagged(
                "coll-saved",
                ft.Text(t("coll_saved", status=saved.case_status), color=ft.Colors.GREEN_700),
            )
        ]
        page.update()

    async def timeline(e: ft.Event[Any]) -> None:
        await app.go(f"/contracts/{case.contract_id}/timeline")

    controls: list[ft.Control] = [
        banner.control,
        _case_card(app, case),
        ft.TextButton(t("coll_timeline"), icon=ft.Icons.TIMELINE, on_click=timeline),
        heading(t("coll_new_action")),
        tagged("coll-kind", kind),
        tagged("coll-note", note),
        ft.Row(
            [
                tagged("coll-promise-date", promise_on),
                tagged("coll-promise-amount", promise_amount),
            ],
            wrap=True,
        ),
        tagged(
            "coll-save", ft.Button(t("coll_save"), icon=ft.Icons.SAVE, height=48, on_click=save)
        ),
        done,
    ]
    return screen(app, route, t("coll_title"), controls)


async def timeline_view(app: App, contract_id: str) -> ft.View:
    t = app.t
    route = f"/contracts/{contract_id}/timeline"
    banner = ErrorBanner()
    try:
        events = await app.api.timeline(contract_id)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("coll_timeline"), [banner.control])
    rows: list[ft.Control] = [
        ft.Container(
            padding=ft.Padding.symmetric(vertical=6),
            border=ft.Border.only(bottom=ft.BorderSide(1, ft.Colors.OUTLINE_VARIANT)),
            content=ft.Column(
                [muted(format_datetime(e.at), 11), ft.Text(e.summary, size=13)], spacing=1
            ),
        )
        for e in reversed(events)  # newest first
    ]
    return screen(
        app,
        route,
        t("coll_timeline"),
        [
            banner.control,
            tagged("timeline", ft.Column(rows, spacing=0), label=f"{len(events)} events"),
        ],
    )
