"""Revenue sharing 电费分账 for the charging-pile operator in the hall: each month of the lease
(the floor rent, the revenue reported, the lessor's share, the variable rent charged, or that
the report is owed), and the form to report a month that has ended (or correct one): revenue
and kWh. The variable rent is then part of what the hall asks to pay, like any rent."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.i18n import format_date, format_money
from app_mobile.state.revenue_report import RevenueReportForm, reportable
from app_mobile.views.risk.common import heading, muted, screen
from common.api.revenue_share import RevenueMonthView
from common.business_day import business_date

if TYPE_CHECKING:
    from app_mobile.shell import App

_FORMS: WeakKeyDictionary[App, RevenueReportForm] = WeakKeyDictionary()
_NOTICES: WeakKeyDictionary[App, str] = WeakKeyDictionary()
STATUS_COLOURS = {"reported": ft.Colors.GREEN_700, "overdue": ft.Colors.RED_700}


def _month_card(app: App, m: RevenueMonthView) -> ft.Control:
    t = app.t
    head = ft.Row([
        ft.Text(m.period, size=15, weight=ft.FontWeight.W_600, expand=True),
        ft.Text(m.status_label, size=12, color=STATUS_COLOURS.get(m.status)),
    ])  # fmt: skip
    lines: list[ft.Control] = [head, muted(t("rev_floor", amount=format_money(m.floor)), 12)]
    if m.status == "reported" and m.revenue is not None:
        lines += [
            ft.Text(t("rev_reported", revenue=format_money(m.revenue), kwh=m.kwh or "0"), size=13),
            ft.Text(t("rev_share_rent", share=format_money(m.share or "0"),
                      rent=format_money(m.rent or "0")), size=13),
        ]  # fmt: skip
        if m.variable_rent and m.variable_rent != "0.00":
            lines.append(ft.Text(t("rev_variable", amount=format_money(m.variable_rent)),
                                 size=13, weight=ft.FontWeight.W_600))  # fmt: skip
        if m.late:
            lines.append(muted(t("rev_late"), 12))
    else:
        lines.append(muted(t("rev_due_by", date=format_date(m.report_due)), 12))
    body = ft.Container(ft.Column(lines, spacing=3), padding=12)
    return tagged(f"rev-month-{m.period}", ft.Card(content=body))


async def revenue_view(app: App, contract_id: str) -> ft.View:
    t, page = app.t, app.page
    route = f"/contracts/{contract_id}/revenue"
    banner = ErrorBanner()
    notice = _NOTICES.pop(app, "")
    if notice:
        banner.show(notice, success=True)
    try:
        reports = await app.api.revenue_reports(contract_id)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("rev_title"), [banner.control])
    today = business_date(datetime.now(UTC))
    form = _FORMS.get(app) or RevenueReportForm()
    _FORMS[app] = form
    open_months = reportable(reports.months, today)
    if not form.period and open_months:
        form.period = open_months[0].period
    period = ft.Dropdown(
        label=t("rev_period"), value=form.period or None,
        options=[ft.DropdownOption(key=m.period, text=f"{m.period} · {m.status_label}")
                 for m in open_months],
    )  # fmt: skip
    revenue = ft.TextField(label=t("rev_revenue"), value=form.revenue, suffix="元",
                           keyboard_type=ft.KeyboardType.NUMBER)  # fmt: skip
    kwh = ft.TextField(label=t("rev_kwh"), value=form.kwh, suffix="kWh",
                       keyboard_type=ft.KeyboardType.NUMBER)  # fmt: skip
    fields = {"revenue": revenue, "kwh": kwh}

    def show(problems: dict[str, str]) -> None:
        period.error_text = problems.get("period")
        for name, control in fields.items():
            control.error = problems.get(name)

    async def send(e: ft.Event[Any]) -> None:
        form.period = period.value or ""
        form.revenue, form.kwh = revenue.value or "", kwh.value or ""
        problems = form.problems()
        show({name: t(key) for name, key in problems.items()})
        if problems:
            page.update()
            return
        try:
            month = await app.api.report_revenue(contract_id, form.body(), form.key)
        except ApiError as exc:
            show(dict.fromkeys(exc.fields, exc.message(t.language)))
            banner.show(exc.message(t.language))
            page.update()
            return
        form.done()
        charged = month.variable_rent or "0.00"
        _NOTICES[app] = (
            t("rev_sent_charged", period=month.period, amount=format_money(charged))
            if charged != "0.00"
            else t("rev_sent_floor", period=month.period)
        )
        await app.show(route)

    controls: list[ft.Control] = [
        banner.control,
        muted(t("rev_hint", share=reports.share_percent, days=reports.report_due_days)),
    ]
    if open_months:
        controls.append(ft.Card(content=ft.Container(padding=16, content=ft.Column([
            heading(t("rev_form_title")),
            tagged("rev-period", period), tagged("rev-revenue", revenue), tagged("rev-kwh", kwh),
            tagged("rev-send", ft.Button(t("rev_send"), icon=ft.Icons.SEND, height=48,
                                         on_click=send)),
        ], spacing=10))))  # fmt: skip
    controls.append(heading(t("rev_months")))
    controls += [_month_card(app, m) for m in reversed(reports.months)]
    return screen(app, route, t("rev_title"), controls)
