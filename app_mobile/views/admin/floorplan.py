"""The lessor's floor-plan console 库存融资管理 for admins: every dealer with its line (limit, used,
available, curtailments overdue, stock-audit alerts), and per dealer the line's form (set or
change it, with a reason that goes to the audit log), its stock audits 盘库 (open one with a
deadline, close one early: the units not scanned become sold-out-of-trust alerts; each scan's
photo as a thumbnail, full size on a tap) and its alerts."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.i18n import format_date, format_money, format_percent
from app_mobile.state.floorplan_line import LineForm
from app_mobile.views.dealer.floorplan import line_card
from app_mobile.views.risk.common import heading, muted, screen
from common.api.floorplan import AuditUnitView, AuditView, DealerLine, LineView
from common.business_day import business_date

if TYPE_CHECKING:
    from app_mobile.shell import App

ROUTE = "/admin/floorplan"
AUDIT_DAYS = 7  # a new audit's deadline, a week out unless the admin picks another day
THUMB_W, THUMB_H = 96, 72
THUMBS_PER_AUDIT = 24  # a lot's worth on a phone; the audit's counts say how many in all


def floorplan_admin_entry(app: App) -> ft.Control:
    t = app.t

    async def open_it(e: ft.Event[Any]) -> None:
        await app.go(ROUTE)

    return tagged("admin-floorplan", ft.Card(content=ft.ListTile(
        leading=ft.Icon(ft.Icons.WAREHOUSE_OUTLINED), title=ft.Text(t("fpl_console")),
        subtitle=ft.Text(t("fpl_console_hint"), size=12), on_click=open_it,
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT))))  # fmt: skip


def _summary(app: App, line: LineView | None) -> list[ft.Control]:
    t = app.t
    if line is None:
        return [muted(t("fpl_no_line"))]
    out: list[ft.Control] = [
        ft.Text(t("fpl_figures", limit=format_money(line.limit), used=format_money(line.used),
                  available=format_money(line.available)), size=13),
        muted(t("fpl_terms", rate=format_percent(line.annual_rate_percent), days=line.max_days,
                units=line.units_financed), 12),
    ]  # fmt: skip
    if line.status != "active":
        out.append(ft.Text(t("fpl_suspended"), color=ft.Colors.ORANGE_900, size=13))
    if line.curtailments_overdue != "0.00":
        out.append(ft.Text(t("fp_overdue_total", amount=format_money(line.curtailments_overdue)),
                           color=ft.Colors.RED_800, size=13))  # fmt: skip
    if line.alerts:
        out.append(ft.Text(t("fp_alerts", n=line.alerts), color=ft.Colors.RED_800, size=13))
    return out


def _dealer_card(app: App, row: DealerLine) -> ft.Control:
    async def open_it(e: ft.Event[Any]) -> None:
        await app.go(f"{ROUTE}/{row.dealer_id}")

    body = ft.Column([ft.Text(row.dealer_name, size=15, weight=ft.FontWeight.W_600),
                      *_summary(app, row.line)], spacing=4)  # fmt: skip
    tile = ft.Container(content=ft.Row([ft.Container(body, expand=True),
                                        ft.Icon(ft.Icons.CHEVRON_RIGHT)]),
                        padding=12, on_click=open_it)  # fmt: skip
    return tagged(f"fpl-dealer-{row.dealer_id}", ft.Card(content=tile))


async def floorplan_admin_view(app: App) -> ft.View:
    t = app.t
    banner = ErrorBanner()
    try:
        rows = await app.api.floorplan_lines()
    except ApiError as exc:
        banner.show(exc.message(t.language))
        rows = []
    return screen(app, ROUTE, t("fpl_console"),
                  [banner.control, *(_dealer_card(app, r) for r in rows)])  # fmt: skip


def _field(app: App, label: str, value: str, **kw: Any) -> ft.TextField:
    return ft.TextField(label=app.t(label), value=value, **kw)


def _line_form(app: App, dealer_id: str, line: LineView | None, banner: ErrorBanner) -> ft.Control:
    t, page = app.t, app.page
    form = LineForm.of(line)
    number = ft.KeyboardType.NUMBER
    fields: dict[str, ft.TextField] = {
        "limit": _field(app, "fpl_limit", form.limit, keyboard_type=number, suffix="元"),
        "rate": _field(app, "fpl_rate", form.rate, keyboard_type=number, suffix="%"),
        "max_days": _field(app, "fpl_max_days", form.max_days, keyboard_type=number),
        "first_after_days": _field(app, "fpl_first_after",
                                   form.first_after_days, keyboard_type=number),
        "every_days": _field(app, "fpl_every", form.every_days,
                             keyboard_type=number),
        "percent": _field(app, "fpl_percent", form.percent, keyboard_type=number,
                          suffix="%"),
        "reason": _field(app, "fpl_reason", form.reason, max_length=200),
    }  # fmt: skip
    status = ft.Switch(label=t("fpl_active"), value=form.status == "active")

    async def save(e: ft.Event[Any]) -> None:
        for name, field in fields.items():
            setattr(form, name, field.value or "")
        form.status = "active" if status.value else "suspended"
        problems = form.problems()
        for name, field in fields.items():
            field.error = t(problems[name]) if name in problems else None
        if problems:
            page.update()
            return
        try:
            await app.api.floorplan_set_line(dealer_id, form.body())
        except ApiError as exc:
            for name in exc.fields:
                target = {"annual_rate_percent": "rate"}.get(name, name.removeprefix("plan."))
                if target in fields:
                    fields[target].error = exc.message(t.language)
            banner.show(exc.message(t.language))
            page.update()
            return
        _NOTICES[app] = t("fpl_saved")
        await app.show(f"{ROUTE}/{dealer_id}")

    controls: list[ft.Control] = [
        heading(t("fpl_line_title" if line else "fpl_new_line")),
        tagged("fpl-limit", fields["limit"]), tagged("fpl-rate", fields["rate"]),
        tagged("fpl-max-days", fields["max_days"]),
        muted(t("fpl_plan_hint"), 12),
        ft.Row([ft.Container(tagged("fpl-first-after", fields["first_after_days"]), expand=True),
                ft.Container(tagged("fpl-every", fields["every_days"]), expand=True),
                ft.Container(tagged("fpl-percent", fields["percent"]), expand=True)],
               spacing=8),
        tagged("fpl-status", status), tagged("fpl-reason", fields["reason"]),
        tagged("fpl-save", ft.FilledButton(t("fpl_save"), icon=ft.Icons.SAVE, on_click=save,
                                           height=48)),
    ]  # fmt: skip
    return ft.Card(content=ft.Container(ft.Column(controls, spacing=10), padding=16))


def _audit_card(app: App, audit: AuditView, dealer_id: str, banner: ErrorBanner) -> ft.Control:
    t = app.t

    async def close(e: ft.Event[Any]) -> None:
        try:
            done = await app.api.floorplan_close_audit(audit.id)
        except ApiError as exc:
            banner.show(exc.message(t.language))
            app.page.update()
            return
        _NOTICES[app] = t("fpl_audit_closed", missing=done.missing)
        await app.show(f"{ROUTE}/{dealer_id}")

    lines: list[ft.Control] = [
        ft.Text(t("fpl_audit_line", opened=format_date(audit.opened_on),
                  deadline=format_date(audit.deadline)), size=14, weight=ft.FontWeight.W_600),
        ft.Text(t("fpl_audit_counts", scanned=audit.scanned, units=len(audit.units),
                  missing=audit.missing), size=13),
    ]  # fmt: skip
    scanned = [u for u in audit.units if u.thumbnail_url][:THUMBS_PER_AUDIT]
    if scanned:
        lines.append(_photo_row(app, audit.id, scanned))
    if audit.status == "open":
        lines.append(tagged(f"fpl-audit-close-{audit.id}", ft.OutlinedButton(
            t("fpl_audit_close"), icon=ft.Icons.LOCK_CLOCK, on_click=close)))  # fmt: skip
    else:
        lines.append(muted(t("fpl_audit_done"), 12))
    body = ft.Container(ft.Column(lines, spacing=6), padding=12)
    return tagged(f"fpl-audit-{audit.id}", ft.Card(content=body))


async def _image(app: App, url: str) -> bytes | None:
    """Fetched with the bearer token and shown from bytes: no token ever goes into a URL."""
    try:
        return await app.api.fetch_image(url)
    except ApiError:
        return None


def _photo_row(app: App, audit_id: str, scanned: list[AuditUnitView]) -> ft.Control:
    """盘库照片: each scanned unit's thumbnail with its VIN, fetched once the card is on screen;
    a tap opens the photo full size."""
    t, page = app.t, app.page
    frames: list[ft.Container] = []
    tiles: list[ft.Control] = []
    for unit in scanned:
        frame = ft.Container(width=THUMB_W, height=THUMB_H, bgcolor=ft.Colors.GREY_300,
                             border_radius=6)  # fmt: skip

        def opener(u: AuditUnitView):  # type: ignore[no-untyped-def]
            async def open_(e: ft.Event[Any]) -> None:
                await _full_size(app, u)

            return open_

        frames.append(frame)
        tiles.append(tagged(f"fpl-scan-{audit_id}-{unit.vin}", ft.Container(
            ft.Column([frame, ft.Text(unit.vin[-8:], size=11)], spacing=2),
            on_click=opener(unit), tooltip=t("fpl_photo_open", vin=unit.vin),
        ), label=t("fpl_photo_open", vin=unit.vin)))  # fmt: skip

    async def fill() -> None:
        images = await asyncio.gather(*(_image(app, str(u.thumbnail_url)) for u in scanned))
        for frame, data in zip(frames, images, strict=True):
            if data:
                frame.content = ft.Image(src=data, width=THUMB_W, height=THUMB_H,
                                         fit=ft.BoxFit.COVER, border_radius=6)  # fmt: skip
        page.update()

    page.run_task(fill)
    return ft.Column([muted(t("fpl_audit_photos"), 12),
                      ft.Row(tiles, wrap=True, spacing=8, run_spacing=8)], spacing=4)  # fmt: skip


async def _full_size(app: App, unit: AuditUnitView) -> None:
    """The scan's photo in a dialog, pinch/scroll to zoom, fitted to the screen."""
    t, page = app.t, app.page
    data = await _image(app, str(unit.photo_url))

    async def close(e: ft.Event[Any]) -> None:
        page.pop_dialog()

    body: ft.Control = (
        ft.InteractiveViewer(ft.Image(src=data, fit=ft.BoxFit.CONTAIN), min_scale=1, max_scale=6,
                             boundary_margin=40)
        if data else ft.Text(t("fpl_photo_failed"), color=ft.Colors.RED_700)
    )  # fmt: skip
    page.show_dialog(ft.AlertDialog(
        title=ft.Text(f"{unit.vin} · {unit.model}"),
        content=tagged("fpl-photo-full", ft.Container(
            body, width=min(page.width or 360, 900), height=(page.height or 640) * 0.6)),
        actions=[tagged("fpl-photo-close", ft.TextButton(t("fpl_photo_close"), on_click=close))],
        inset_padding=8, content_padding=8,
    ))  # fmt: skip


_NOTICES: WeakKeyDictionary[App, str] = WeakKeyDictionary()  # a one-off line for the next build


async def floorplan_dealer_view(app: App, dealer_id: str) -> ft.View:
    t, page = app.t, app.page
    route = f"{ROUTE}/{dealer_id}"
    banner = ErrorBanner()
    notice = _NOTICES.pop(app, "")
    if notice:
        banner.show(notice, success=True)
    try:
        rows = {r.dealer_id: r for r in await app.api.floorplan_lines()}
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("fpl_console"), [banner.control])
    row = rows.get(dealer_id)
    if row is None:
        banner.show(t("fpl_unknown_dealer"))
        return screen(app, route, t("fpl_console"), [banner.control])
    controls: list[ft.Control] = [banner.control]
    if row.line is not None:  # the line as its dealer sees it: figures, rate, warnings
        controls.append(line_card(app, row.line))
    controls.append(_line_form(app, dealer_id, row.line, banner))
    if row.line is not None:
        audits = await app.api.floorplan_audits(dealer_id)
        alerts = await app.api.floorplan_alerts(dealer_id)
        today = business_date(datetime.now(UTC))
        deadline = ft.TextField(
            label=t("fpl_audit_deadline"), value=(today + timedelta(days=AUDIT_DAYS)).isoformat()
        )

        async def open_audit(e: ft.Event[Any]) -> None:
            try:
                due = date.fromisoformat((deadline.value or "").strip())
            except ValueError:
                deadline.error = t("fpl_audit_deadline_invalid")
                page.update()
                return
            try:
                await app.api.floorplan_open_audit(dealer_id, due)
            except ApiError as exc:
                deadline.error = exc.message(t.language)
                page.update()
                return
            _NOTICES[app] = t("fpl_audit_opened", date=format_date(due))
            await app.show(route)

        controls += [
            heading(t("fpl_audits")),
            ft.Row([ft.Container(tagged("fpl-audit-deadline", deadline), expand=True),
                    tagged("fpl-audit-open", ft.FilledButton(
                        t("fpl_audit_open"), icon=ft.Icons.FACT_CHECK, on_click=open_audit))],
                   vertical_alignment=ft.CrossAxisAlignment.START),
            *(_audit_card(app, a, dealer_id, banner) for a in audits),
            *([] if audits else [muted(t("fpl_no_audits"))]),
            heading(t("fpl_alerts")),
            *(tagged(f"fpl-alert-{a.id}", ft.ListTile(
                leading=ft.Icon(ft.Icons.WARNING_AMBER, color=ft.Colors.RED_800),
                title=ft.Text(a.vin), subtitle=ft.Text(t("fpl_alert_line",
                                                       date=format_date(a.raised_at.date())))))
              for a in alerts),
            *([] if alerts else [muted(t("fpl_no_alerts"))]),
        ]  # fmt: skip
    return screen(app, route, row.dealer_name, controls)
