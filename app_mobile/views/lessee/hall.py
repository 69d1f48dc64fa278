"""The lessee's hall 自助服务大厅 on the home screen: per contract, the next amount due and its
date in large type, an overdue banner, the 立即还款 button and the schedule with each row's
status (paid / due / overdue / upcoming)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.i18n import dotted, format_date, format_money
from app_mobile.views.contracts import status_chip
from app_mobile.views.risk.common import heading, muted, screen
from common.api.contracts import Instalment
from common.api.hall import HallContract
from common.contracts import ContractStatus

if TYPE_CHECKING:
    from app_mobile.shell import App

END_OF_TERM_DAYS = 90  # backend/servicing/end_of_term.py: the choice opens this long before the end
ROW_COLOURS = {
    "paid": ft.Colors.GREEN_700,
    "due": ft.Colors.BLUE_700,
    "overdue": ft.Colors.RED_700,
    "upcoming": ft.Colors.GREY_600,
}


def _overdue_banner(app: App, c: HallContract) -> ft.Control:
    text = app.t("hall_overdue_banner", days=c.days_past_due, amount=format_money(c.overdue))
    return tagged(
        f"hall-overdue-{c.number}",
        ft.Container(
            bgcolor=ft.Colors.with_opacity(0.12, ft.Colors.RED),
            border_radius=8,
            padding=10,
            content=ft.Row(
                [
                    ft.Icon(ft.Icons.WARNING_AMBER, color=ft.Colors.RED_700),
                    ft.Text(text, color=ft.Colors.RED_900, size=13, expand=True),
                ]
            ),
        ),
        label=text,
    )


def hall_card(app: App, c: HallContract, today: date) -> ft.Control:
    t = app.t

    async def open_schedule(e: ft.Event[Any]) -> None:
        await app.go(f"/contracts/{c.id}/schedule")

    async def open_contract(e: ft.Event[Any]) -> None:
        await app.go(f"/contracts/{c.id}")

    header = ft.Container(
        on_click=open_contract,
        content=ft.Row(
            [
                ft.Text(c.number, weight=ft.FontWeight.W_600, expand=True),
                status_chip(c.status_label, c.status),
                ft.Icon(ft.Icons.CHEVRON_RIGHT, color=ft.Colors.GREY_500),
            ]
        ),
    )
    parts: list[ft.Control] = [
        tagged(f"contract-{c.number}", header, label=f"{c.number} {c.status_label}"),
        muted(dotted(c.vehicle, c.vin)),
    ]
    if c.status == ContractStatus.AWAITING_SIGNATURE:
        parts.append(
            ft.Button(t("hall_sign"), icon=ft.Icons.DRAW, on_click=open_contract, height=48)
        )
    elif c.status != ContractStatus.ACTIVE:
        parts.append(muted(t("hall_not_active")))
    elif c.next_due_date is None and c.due_now == "0.00":
        parts.append(ft.Text(t("hall_nothing_due"), color=ft.Colors.GREEN_700))
    else:
        if c.days_past_due:
            parts.append(_overdue_banner(app, c))
        parts += [
            muted(t("hall_next_due"), 13),
            tagged(
                f"hall-next-{c.number}",
                ft.Text(format_money(c.next_due), size=30, weight=ft.FontWeight.BOLD),
                label=format_money(c.next_due),
            ),
            muted(t("hall_due_on", date=format_date(c.next_due_date))),
        ]
    if c.status == ContractStatus.ACTIVE and c.outstanding != "0.00":
        parts.append(_actions(app, c, today))
    if c.instalments_total:
        parts.append(
            muted(
                t("hall_progress", paid=c.instalments_paid, total=c.instalments_total,
                  left=format_money(c.outstanding)),
                12,
            )
        )  # fmt: skip
        parts.append(
            tagged(
                f"hall-schedule-{c.number}",
                ft.OutlinedButton(
                    t("hall_schedule"), icon=ft.Icons.CALENDAR_MONTH, on_click=open_schedule
                ),
            )
        )
    return ft.Card(content=ft.Container(padding=14, content=ft.Column(parts, spacing=6)))


def _actions(app: App, c: HallContract, today: date) -> ft.Control:
    """立即还款 first and large; then the requests a lessee makes from the hall."""
    t = app.t

    def go(screen: str):  # type: ignore[no-untyped-def]
        async def clicked(e: ft.Event[Any]) -> None:
            await app.go(f"/contracts/{c.id}/{screen}")

        return clicked

    amount = c.due_now if c.due_now != "0.00" else c.next_due
    pay = ft.Button(
        t("hall_pay_now", amount=format_money(amount)), icon=ft.Icons.PAYMENTS, height=52,
        width=float("inf"), on_click=go("pay"),
        style=ft.ButtonStyle(bgcolor=ft.Colors.GREEN_700, color=ft.Colors.WHITE),
    )  # fmt: skip
    more: list[ft.Control] = [
        tagged(
            f"hall-{key}-{c.number}", ft.TextButton(t(f"hall_{key}"), icon=icon, on_click=go(key))
        )
        for key, icon in (
            ("payoff", ft.Icons.CALCULATE),
            ("extension", ft.Icons.MORE_TIME),
            ("prepay", ft.Icons.SAVINGS),
        )
    ]
    if c.revenue_share:  # 电费分账: the month's revenue is reported from here
        more.insert(0, tagged(f"hall-revenue-{c.number}", ft.TextButton(
            t("hall_revenue"), icon=ft.Icons.EV_STATION, on_click=go("revenue"))))  # fmt: skip
    if c.end_date is not None and c.end_date - timedelta(days=END_OF_TERM_DAYS) <= today:
        more.append(tagged(f"hall-end-of-term-{c.number}", ft.TextButton(
            t("hall_end_of_term"), icon=ft.Icons.FLAG, on_click=go("end-of-term"))))  # fmt: skip
    return ft.Column([tagged(f"hall-pay-{c.number}", pay), ft.Row(more, wrap=True, spacing=0)])


async def hall_section(app: App) -> list[ft.Control]:
    t = app.t
    try:
        hall = await app.api.hall()
    except ApiError as exc:
        banner = ErrorBanner()
        banner.show(exc.message(t.language))
        return [banner.control]
    if not hall.contracts:
        return [heading(t("my_contracts")), muted(t("contracts_none"))]

    async def reminders(e: ft.Event[Any]) -> None:
        await app.go("/reminders")

    top = ft.Row(
        [
            ft.Container(content=heading(t("hall_heading")), expand=True),
            tagged(
                "hall-reminders",
                ft.TextButton(t("rem_title"), icon=ft.Icons.NOTIFICATIONS, on_click=reminders),
            ),
        ]
    )
    return [top, *(hall_card(app, c, hall.today) for c in hall.contracts)]


def _row(app: App, i: Instalment) -> ft.Control:
    t = app.t
    colour = ROW_COLOURS.get(i.status, ft.Colors.GREY_600)
    detail = [format_date(i.due_date)]
    if i.status in ("due", "overdue") and i.outstanding is not None:
        detail.append(t("hall_row_left", amount=format_money(i.outstanding)))
    if i.penalty != "0.00":
        detail.append(t("hall_row_penalty", amount=format_money(i.penalty)))
    label = f"{t('hall_row', n=i.number)} {format_money(i.amount_due)} {i.status_label}"
    return tagged(
        f"schedule-row-{i.number}",
        ft.Container(
            padding=ft.Padding.symmetric(vertical=6, horizontal=4),
            border=ft.Border.only(bottom=ft.BorderSide(1, ft.Colors.OUTLINE_VARIANT)),
            content=ft.Row(
                [
                    ft.Column(
                        [
                            ft.Text(t("hall_row", n=i.number), size=13),
                            muted(" · ".join(detail), 12),
                        ],
                        spacing=0,
                        expand=True,
                    ),
                    ft.Text(format_money(i.amount_due), size=14),
                    ft.Container(
                        content=ft.Text(i.status_label, color=ft.Colors.WHITE, size=11),
                        bgcolor=colour,
                        border_radius=10,
                        padding=ft.Padding.symmetric(horizontal=8, vertical=2),
                    ),
                ],
                spacing=8,
            ),
        ),
        label=label,
    )


async def schedule_view(app: App, contract_id: str) -> ft.View:
    t = app.t
    route = f"/contracts/{contract_id}/schedule"
    banner = ErrorBanner()
    try:
        c = await app.api.contract(contract_id)
        rows = await app.api.schedule(contract_id)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("hall_schedule"), [banner.control])
    return screen(
        app, route, t("hall_schedule_title", number=c.number),
        [banner.control, *(_row(app, i) for i in rows)],
    )  # fmt: skip
