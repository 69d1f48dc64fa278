"""Alerts 预警 for the monitor role, 7×24: the live list (new ones arrive without reload: it is
refreshed every few seconds while shown), filters by type and severity, and an alert's screen —
why it opened, the map with the track, the corridor and the alert's positions, then acknowledge
and resolve (resolved or false alarm, with a note)."""

from __future__ import annotations

import asyncio
import weakref
from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.i18n import format_datetime
from app_mobile.views.monitor.vehicle_map import vehicle_map
from app_mobile.views.risk.common import heading, muted, screen
from common.api.monitoring import AlertView
from common.api.partners import DeliveryView
from common.regions import province_name

if TYPE_CHECKING:
    from app_mobile.shell import App

REFRESH_S = 5.0
_shown: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()  # app -> generation
SEVERITY_COLOURS = {"critical": ft.Colors.RED_700, "warning": ft.Colors.ORANGE_700,
                    "info": ft.Colors.BLUE_GREY_500}  # fmt: skip
TYPES = ("", "deviation", "region", "signal_loss", "tamper")
SEVERITIES = ("", "critical", "warning", "info")
LIVE = ("open", "acknowledged")


def _chip(text: str, colour: str) -> ft.Control:
    return ft.Container(
        content=ft.Text(text, color=ft.Colors.WHITE, size=12),
        bgcolor=colour, border_radius=10, padding=ft.Padding.symmetric(horizontal=8, vertical=2),
    )  # fmt: skip


def _card(app: App, a: AlertView) -> ft.Control:
    t = app.t

    async def open_alert(e: ft.Event[Any]) -> None:
        await app.go(f"/alerts/{a.id}")

    status = t(f"alert_status_{a.status}")
    lines: list[ft.Control] = [
        ft.Row([ft.Text(a.type_label, weight=ft.FontWeight.W_600, expand=True),
                _chip(t(f"alert_sev_{a.severity}"), SEVERITY_COLOURS.get(a.severity, "grey"))]),
        ft.Text(a.reasons[0] if a.reasons else "", size=14),
        muted(f"{a.contract_number} · {a.vin} · {format_datetime(a.opened_at)} · {status}", 12),
    ]  # fmt: skip
    if a.condition_ended_at is not None and a.status in LIVE:
        lines.append(muted(t("alert_ended", at=format_datetime(a.condition_ended_at)), 12))
    return tagged(
        f"alert-{a.type}",
        ft.Card(content=ft.Container(content=ft.Column(lines, spacing=4), padding=12,
                                     on_click=open_alert)),
        label=f"{a.type_label} {a.contract_number}",
    )  # fmt: skip


async def alerts_section(app: App) -> list[ft.Control]:
    """The live list on the monitor's home; it refreshes itself while the home is shown."""
    t = app.t
    listing = ft.Column(spacing=6)
    banner = ErrorBanner()
    chosen = {"type": "", "severity": "", "region": ""}
    summary = ft.Text("", size=13, color=ft.Colors.ON_SURFACE_VARIANT)
    seen: dict[str, str] = {}  # province code prefix -> name, of every alert loaded so far
    regions = ft.Dropdown(label=t("alert_filter_region"), value="", width=170,
                          on_select=lambda e: chose("region", e))  # fmt: skip

    def region_options() -> list[ft.DropdownOption]:
        named = sorted(seen.items(), key=lambda kv: kv[0])
        return [ft.DropdownOption(key="", text=t("alert_type_all")),
                *[ft.DropdownOption(key=k, text=v) for k, v in named]]  # fmt: skip

    async def load() -> None:
        try:
            found = await app.api.monitoring_alerts(**chosen)
        except ApiError as exc:
            banner.show(exc.message(t.language))
            return
        banner.clear()
        for a in found:
            name = province_name(a.region_code or "")
            if name is not None:
                seen[(a.region_code or "")[:2]] = name
        regions.options = region_options()
        live = [a for a in found if a.status in LIVE]
        summary.value = t("alerts_summary", live=len(live),
                          critical=sum(1 for a in live if a.severity == "critical"))  # fmt: skip
        shown = live + [a for a in found if a.status not in LIVE][:10]
        listing.controls = [_card(app, a) for a in shown] or [muted(t("alerts_none"))]

    def chose(what: str, e: ft.Event[Any]) -> None:
        chosen[what] = e.control.value or ""
        app.page.run_task(refresh_once)

    async def refresh_once() -> None:
        await load()
        app.page.update()

    generation = _shown[app] = _shown.get(app, 0) + 1

    async def keep_fresh() -> None:
        """Until the home is left or built anew (its newer list refreshes itself)."""
        while True:
            await asyncio.sleep(REFRESH_S)
            if app.page.route not in ("/home", "/") or _shown.get(app) != generation:
                return
            await refresh_once()

    await load()
    app.page.run_task(keep_fresh)
    types = ft.Dropdown(
        label=t("alert_filter_type"), value="", width=170, on_select=lambda e: chose("type", e),
        options=[ft.DropdownOption(key=k, text=t(f"alert_type_{k or 'all'}")) for k in TYPES],
    )  # fmt: skip
    severities = ft.Dropdown(
        label=t("alert_filter_severity"), value="", width=170,
        on_select=lambda e: chose("severity", e),
        options=[ft.DropdownOption(key=k, text=t(f"alert_sev_{k}") if k else t("alert_type_all"))
                 for k in SEVERITIES],
    )  # fmt: skip
    return [
        heading(t("alerts_title")), summary, banner.control,
        ft.Row([tagged("alerts-filter-type", types), tagged("alerts-filter-severity", severities),
                tagged("alerts-filter-region", regions)], wrap=True),
        tagged("alerts-list", listing, label="alerts"),
    ]  # fmt: skip


DELIVERY_COLOURS = {"delivered": "green", "pending": "blue", "failed": "orange", "gave_up": "red"}


def _deliveries(app: App, found: list[DeliveryView], resend: Any) -> list[ft.Control]:
    """Who was told of this alert (webhooks to the contract's partners) and how it went."""
    t = app.t
    out: list[ft.Control] = [heading(t("alert_deliveries_title"))]
    if not found:
        return [*out, muted(t("alert_deliveries_none"))]
    for d in found:
        code = d.last_status_code or d.last_error_code or "—"
        line = (t("delivery_line", event=d.event_type, attempts=d.attempts, code=code)
                if d.attempts else d.event_type)  # fmt: skip
        row: list[ft.Control] = [
            ft.Column([ft.Text(d.endpoint_url, size=13, selectable=True),
                       muted(line, 12)], spacing=2, expand=True),
            _chip(t(f"delivery_status_{d.status}"), DELIVERY_COLOURS.get(d.status, "grey")),
        ]  # fmt: skip
        if d.status in ("failed", "gave_up"):

            async def again(e: ft.Event[Any], delivery_id: str = d.id) -> None:
                await resend(delivery_id)

            row.append(ft.IconButton(ft.Icons.REFRESH, tooltip=t("delivery_retry"),
                                     on_click=again))  # fmt: skip
        out.append(tagged(f"delivery-{d.event_type}", ft.Row(row),
                          label=f"{d.event_type} {d.status}"))  # fmt: skip
    return out


async def alert_view(app: App, alert_id: str) -> ft.View:
    t, page = app.t, app.page
    route = f"/alerts/{alert_id}"
    banner = ErrorBanner()
    try:
        a = await app.api.monitoring_alert(alert_id)
        track = await app.api.vehicle_track(a.contract_id, hours=48)
        deliveries = await app.api.partner_deliveries(alert_id=a.id)
    except ApiError as exc:  # e.g. 404 alert_not_found
        banner.show(exc.message(t.language))
        return screen(app, route, t("alerts_title"), [banner.control])
    note = ft.TextField(label=t("alert_note"), multiline=True, max_length=500)
    outcome = ft.RadioGroup(value="resolved", content=ft.Row([
        ft.Radio(value="resolved", label=t("alert_status_resolved")),
        ft.Radio(value="false_alarm", label=t("alert_status_false_alarm")),
    ]))  # fmt: skip

    async def act(coro: Any) -> None:
        try:
            await coro
        except ApiError as exc:
            banner.show(exc.message(t.language))
            page.update()
            return
        await app.go(route)  # the same route: shown again, fresh

    async def ack(e: ft.Event[Any]) -> None:
        await act(app.api.acknowledge_alert(a.id))

    async def resolve(e: ft.Event[Any]) -> None:
        await act(app.api.resolve_alert(a.id, outcome.value or "resolved", note.value or ""))

    async def timeline(e: ft.Event[Any]) -> None:
        await app.go(f"/contracts/{a.contract_id}/timeline")

    async def resend(delivery_id: str) -> None:
        await act(app.api.retry_partner_delivery(delivery_id))

    controls: list[ft.Control] = [
        banner.control,
        ft.Row([ft.Text(a.type_label, size=18, weight=ft.FontWeight.W_600, expand=True),
                _chip(t(f"alert_sev_{a.severity}"), SEVERITY_COLOURS.get(a.severity, "grey"))]),
        ft.Row([muted(f"{a.contract_number} · {a.vin}"),
                tagged("alert-timeline", ft.TextButton(t("coll_timeline"), icon=ft.Icons.TIMELINE,
                                                       on_click=timeline))], wrap=True),
        muted(t("alert_opened", at=format_datetime(a.opened_at),
                status=t(f"alert_status_{a.status}"))),
        *[ft.Text(f"• {r}", size=14) for r in a.reasons],
        tagged("alert-map", vehicle_map(track, a), label="map"),
        muted(t("alert_map_legend"), 12),
    ]  # fmt: skip
    if a.condition_ended_at is not None:
        controls.append(muted(t("alert_ended", at=format_datetime(a.condition_ended_at))))
    if a.status == "open":
        controls.append(tagged("alert-ack", ft.FilledButton(t("alert_ack"), on_click=ack),
                               label="ack"))  # fmt: skip
    if a.status in LIVE:
        controls += [heading(t("alert_resolve_title")), outcome, note,
                     ft.OutlinedButton(t("alert_resolve"), on_click=resolve)]  # fmt: skip
    else:
        controls.append(ft.Text(t("alert_closed_note", note=a.note), size=14))
    controls += _deliveries(app, deliveries, resend)
    return screen(app, route, t("alerts_title"), controls)
