"""The dealer's statements 对账单 on the phone: a range (this month by default, last month, or
dates typed in), the statement (opening, one line per movement with the running balance,
closing), exports to CSV / Excel / PDF — a small file opens at once through a short-lived link,
a large one becomes a job whose progress shows until its download is ready — and the monthly
statements of the closed months, each opening its month."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, field_with_id, tagged
from app_mobile.components.widgets import LabelledText, figure
from app_mobile.i18n import format_money
from app_mobile.state.statements import (
    ROUTE,
    finished,
    period_of,
    progress_text_key,
    quick_ranges,
    route_for,
)
from app_mobile.views.risk.common import heading, muted, screen
from common.api.statements import (
    FILE_FORMATS,
    DownloadLink,
    ExportJobView,
    ExportStatus,
    StatementFormat,
    StatementRowView,
)
from common.business_day import business_date
from common.errors import DomainError
from common.statements import StatementRange

if TYPE_CHECKING:
    from app_mobile.shell import App

SHOWN_ROWS = 300  # on the phone; the exports carry every row
POLL_S = 1.0


def _today() -> date:
    return business_date(datetime.now(UTC))


def statements_entry(app: App) -> ft.Control:
    """A card for the dealer's home that opens the statements."""
    t = app.t

    async def open_statements(e: ft.Event[Any]) -> None:
        await app.go(ROUTE)

    tile = ft.ListTile(
        leading=ft.Icon(ft.Icons.RECEIPT_LONG),
        title=ft.Text(t("stm_title"), weight=ft.FontWeight.W_600),
        subtitle=ft.Text(t("stm_entry_hint"), size=12),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        on_click=open_statements,
    )
    return tagged("dealer-statements-entry", ft.Card(content=tile), label=t("stm_title"))


def _row(t: Any, k: int, r: StatementRowView) -> ft.Control:
    up = r.credit > 0
    amount = f"+{format_money(r.credit)}" if up else f"-{format_money(r.debit)}"
    colour = ft.Colors.GREEN_600 if up else ft.Colors.DEEP_ORANGE_400
    summary = f"{r.date.isoformat()} {r.label} {amount}"
    return tagged(f"stm-row-{k}", ft.Container(
        padding=ft.Padding.symmetric(vertical=6),
        border=ft.Border.only(bottom=ft.BorderSide(1, ft.Colors.OUTLINE_VARIANT)),
        content=ft.Column([
            ft.Row([ft.Text(f"{r.date.isoformat()}  {r.label}", size=14, expand=True),
                    ft.Text(amount, size=14, color=colour, weight=ft.FontWeight.W_600)]),
            muted(" · ".join(x for x in (r.document, r.memo) if x), 12),
            muted(t("stm_balance_after", amount=format_money(r.balance)), 12),
        ], spacing=1),
    ), label=summary)  # fmt: skip


async def statements_screen(app: App, route: str) -> ft.View | None:
    """The screen at /dealer/statements (this month) or /dealer/statements/<from>/<to>."""
    if route != ROUTE and not route.startswith(ROUTE + "/"):
        return None
    t, page = app.t, app.page
    banner = ErrorBanner()
    today = _today()
    period = period_of(route, today)
    if period is None:
        banner.show(t("stm_bad_range"))
        period = quick_ranges(today)["stm_this_month"]
    try:
        s = await app.api.dealer_statement(period.start, period.end)
        months = await app.api.dealer_statement_months()
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("stm_title"), [banner.control])

    async def go_to(target: StatementRange) -> None:
        await app.go(route_for(target))

    def quick(key: str, target: StatementRange) -> ft.Control:
        async def chosen(e: ft.Event[Any]) -> None:
            await go_to(target)

        selected = target == period
        button = (ft.FilledButton if selected else ft.OutlinedButton)(t(key), on_click=chosen)
        return tagged(f"stm-{key.removeprefix('stm_').replace('_', '-')}", button)

    start_field = ft.TextField(label=t("stm_from"), value=period.start.isoformat(), width=140,
                               dense=True)  # fmt: skip
    end_field = ft.TextField(label=t("stm_to"), value=period.end.isoformat(), width=140,
                             dense=True)  # fmt: skip

    async def apply(e: ft.Event[Any]) -> None:
        try:
            target = StatementRange.parse((start_field.value or "").strip(),
                                          (end_field.value or "").strip())  # fmt: skip
        except DomainError as exc:
            banner.show(exc.message if t.language == "zh" else exc.message_en)
            page.update()
            return
        await go_to(target)

    status = LabelledText("stm-export-status", "", size=13)
    bar = ft.ProgressBar(value=0, visible=False)
    download = ft.Button(t("stm_download"), icon=ft.Icons.DOWNLOAD)
    download_box = tagged("stm-download", download)
    download_box.visible = False  # the wrapper, not its content: Semantics needs a visible one

    async def follow(job: ExportJobView) -> None:
        """Polls the job until it is done (then offers its download) or failed."""
        bar.visible, download_box.visible = True, False
        while True:
            status.set(t(progress_text_key(job), progress=job.progress, rows=job.rows))
            bar.value = job.progress / 100
            page.update()
            if finished(job):
                break
            await asyncio.sleep(POLL_S)
            job = await app.api.dealer_statement_export(job.id)
        bar.visible = False
        if job.status == ExportStatus.DONE:
            link = await app.api.dealer_statement_export_link(job.id)

            async def fetch(e: ft.Event[Any]) -> None:
                await ft.UrlLauncher().launch_url(link.url)

            download.on_click = fetch
            download_box.visible = True
        page.update()

    def export_button(fmt: StatementFormat) -> ft.Control:
        async def export(e: ft.Event[Any]) -> None:
            banner.clear()
            try:
                got = await app.api.dealer_statement_link(period.start, period.end, fmt)
                if isinstance(got, DownloadLink):
                    await ft.UrlLauncher().launch_url(got.url)
                else:
                    await follow(got)
            except ApiError as exc:
                banner.show(exc.message(t.language))
                page.update()

        button = ft.OutlinedButton(t(f"stm_export_{fmt.value}"), icon=ft.Icons.FILE_DOWNLOAD,
                                   on_click=export)  # fmt: skip
        return tagged(f"stm-export-{fmt.value}", button)

    rows: list[ft.Control] = [_row(t, k, r) for k, r in enumerate(s.rows[:SHOWN_ROWS])]
    if len(s.rows) > SHOWN_ROWS:
        rows.append(muted(t("stm_more_rows", count=len(s.rows) - SHOWN_ROWS)))
    if not s.rows:
        rows.append(tagged("stm-no-rows", muted(t("stm_no_rows"))))
    month_items: list[ft.Control] = []
    for m in months:
        target = StatementRange(m.start, m.end)

        async def open_month(e: ft.Event[Any], target: StatementRange = target) -> None:
            await go_to(target)

        line = t("stm_month_line", opening=format_money(m.opening),
                 closing=format_money(m.closing), rows=m.rows)  # fmt: skip
        month_items.append(tagged(f"stm-month-{m.month}", ft.ListTile(
            title=ft.Text(m.month, weight=ft.FontWeight.W_600), subtitle=ft.Text(line, size=12),
            trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT), on_click=open_month, dense=True,
        ), label=f"{m.month} {line}"))  # fmt: skip
    if not month_items:
        month_items.append(muted(t("stm_no_months")))

    summary = ft.Card(content=ft.Container(padding=14, content=ft.Column([
        tagged("stm-period", ft.Text(t("stm_period", start=s.start.isoformat(),
                                       end=s.end.isoformat()), size=14),
               label=f"{s.start.isoformat()} {s.end.isoformat()}"),
        ft.Row([figure(t("stm_opening"), format_money(s.opening), "stm-opening", size=18),
                figure(t("stm_closing"), format_money(s.closing), "stm-closing", size=18)],
               alignment=ft.MainAxisAlignment.SPACE_BETWEEN),
        muted(t("stm_credit_total", amount=format_money(s.total_credit)), 12),
        muted(t("stm_debit_total", amount=format_money(s.total_debit)), 12),
        muted(t("stm_balance_hint"), 11),
    ], spacing=6)))  # fmt: skip
    controls: list[ft.Control] = [
        banner.control,
        ft.Row([quick(k, r) for k, r in quick_ranges(today).items()], wrap=True),
        ft.Row(
            [
                field_with_id("stm-from", start_field),
                field_with_id("stm-to", end_field),
                tagged("stm-apply", ft.Button(t("stm_apply"), on_click=apply)),
            ],
            wrap=True,
        ),
        summary,
        heading(t("stm_export")),
        ft.Row([export_button(f) for f in FILE_FORMATS], wrap=True),
        bar,
        status.control,
        download_box,
        heading(t("stm_rows", count=len(s.rows))),
        tagged("stm-rows", ft.Column(rows, spacing=0)),
        heading(t("stm_months")),
        tagged("stm-months", ft.Column(month_items, spacing=0)),
    ]
    return screen(app, route, t("stm_title"), controls)
