"""Putting a leased vehicle under watch 监控设置: the installer registers the GPS terminal on the
contract's vehicle (its JT/T 808 phone number and IMEI; the HTTP/MQTT token is shown once), and
the monitor sets the contract's plan — the vehicle profile (reporting SLA and hysteresis), the
allowed provinces, the corridor's width around an imported route, and whether the lessee may see
the vehicle's last position — with the map of what is watched."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.components.widgets import field_with_id
from app_mobile.i18n import format_datetime
from app_mobile.views.monitor.vehicle_map import vehicle_map
from app_mobile.views.risk.common import heading, muted, screen
from common.api.contracts import ContractView
from common.api.monitoring import PlanBody, TerminalBody, TerminalView
from common.monitoring import provinces
from common.monitoring.profiles import ProfileName

if TYPE_CHECKING:
    from app_mobile.shell import App


def _terminal_row(app: App, terminal: TerminalView) -> ft.Control:
    t = app.t
    seen = (t("terminal_last_seen", at=format_datetime(terminal.last_seen_at))
            if terminal.last_seen_at else t("terminal_never_seen"))  # fmt: skip
    registered = t("terminal_registered") if terminal.registered_at else t("terminal_unregistered")
    line = f"{terminal.phone} · IMEI {terminal.imei}"
    return tagged(
        f"terminal-{terminal.imei}",
        ft.Container(
            content=ft.Column([ft.Text(line, size=14), muted(f"{registered} · {seen}", 12)],
                              spacing=2),
            padding=10, border=ft.Border.all(1, ft.Colors.GREY_300), border_radius=8,
        ),
        label=line,
    )  # fmt: skip


def _vehicle(contract: ContractView) -> str:
    v = contract.vehicle
    return " ".join(str(v[k]) for k in ("maker", "model", "vin") if v.get(k))


async def terminals_view(app: App, contract_id: str) -> ft.View:
    t, page = app.t, app.page
    route = f"/contracts/{contract_id}/terminals"
    banner = ErrorBanner()
    try:
        contract = await app.api.contract(contract_id)
        installed = await app.api.contract_terminals(contract_id)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("terminals_title"), [banner.control])
    vin = str(contract.vehicle.get("vin", ""))
    listing = ft.Column([_terminal_row(app, x) for x in installed], spacing=8)
    phone = ft.TextField(label=t("terminal_phone"), hint_text="013912345678",
                         keyboard_type=ft.KeyboardType.NUMBER, max_length=20)  # fmt: skip
    imei = ft.TextField(label="IMEI", keyboard_type=ft.KeyboardType.NUMBER, max_length=15)
    sim = ft.TextField(label=t("terminal_sim"), max_length=20)
    issued = ft.Column(spacing=4)
    nothing = muted(t("terminals_none"))
    nothing.visible = not installed

    async def install(e: ft.Event[Any]) -> None:
        body = TerminalBody(phone=(phone.value or "").strip(), imei=(imei.value or "").strip(),
                            vin=vin, contract_id=contract.id,
                            sim=(sim.value or "").strip() or None)  # fmt: skip
        try:
            made = await app.api.register_terminal(body)
        except ApiError as exc:
            banner.show(exc.message(t.language))
            page.update()
            return
        banner.show(t("terminal_installed"), success=True)
        listing.controls.append(_terminal_row(app, made))
        nothing.visible = False
        phone.value = imei.value = sim.value = ""
        issued.controls = [
            heading(t("terminal_token")),
            tagged("terminal-token", ft.Text(made.token or "", selectable=True, size=13,
                                             font_family="monospace"), label=made.token),
            muted(t("terminal_token_hint"), 12),
        ]  # fmt: skip
        page.update()

    controls: list[ft.Control] = [
        banner.control,
        muted(f"{contract.number} · {_vehicle(contract)}"),
        heading(t("terminals_installed")),
        nothing,
        listing,
        heading(t("terminal_install")),
        field_with_id("terminal-phone", phone),
        field_with_id("terminal-imei", imei),
        field_with_id("terminal-sim", sim),
        tagged("terminal-install", ft.FilledButton(t("terminal_install"), icon=ft.Icons.GPS_FIXED,
                                                   on_click=install)),
        issued,
    ]  # fmt: skip
    return screen(app, route, t("terminals_title"), controls)


async def plan_view(app: App, contract_id: str) -> ft.View:
    t, page = app.t, app.page
    route = f"/contracts/{contract_id}/plan"
    banner = ErrorBanner()
    try:
        contract = await app.api.contract(contract_id)
        plan = await app.api.monitoring_plan(contract_id)
        track = await app.api.vehicle_track(contract_id, hours=24)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("plan_title"), [banner.control])
    chosen = set(plan.provinces or ())
    profile = ft.Dropdown(
        label=t("plan_profile"), value=plan.profile.value,
        options=[ft.DropdownOption(key=p.value, text=t(f"profile_{p.value}")) for p in ProfileName],
    )  # fmt: skip
    width = ft.TextField(label=t("plan_width"), value=str(plan.half_width_m), suffix="m",
                         keyboard_type=ft.KeyboardType.NUMBER, width=160)  # fmt: skip
    lessee_sees = ft.Switch(label=t("plan_lessee_sees"), value=plan.lessee_sees_position)
    map_box = ft.Container(content=vehicle_map(track))

    def chip(code: str, name: str) -> ft.Control:
        def toggled(e: ft.Event[Any]) -> None:
            (chosen.add if e.control.selected else chosen.discard)(code)

        return tagged(f"plan-province-{code}",
                      ft.Chip(label=ft.Text(name, size=12), selected=code in chosen,
                              on_select=toggled),
                      label=name)  # fmt: skip

    async def save(e: ft.Event[Any]) -> None:
        try:
            half_width = int((width.value or "").strip())
        except ValueError:
            banner.show(t("plan_width_invalid"))
            page.update()
            return
        body = PlanBody(
            profile=ProfileName(profile.value or plan.profile.value), route=plan.route,
            half_width_m=half_width, regions=plan.regions,
            provinces=sorted(chosen) or None, schedule=plan.schedule,
            lessee_sees_position=bool(lessee_sees.value),
        )  # fmt: skip
        try:
            await app.api.save_monitoring_plan(contract_id, body)
            shown = await app.api.vehicle_track(contract_id, hours=24)
        except ApiError as exc:
            banner.show(exc.message(t.language))
            page.update()
            return
        map_box.content = vehicle_map(shown)
        banner.show(t("plan_saved"), success=True)
        page.update()

    route_line = t("plan_route", n=len(plan.route)) if plan.route else t("plan_no_route")
    controls: list[ft.Control] = [
        banner.control,
        muted(f"{contract.number} · {_vehicle(contract)}"),
        tagged("plan-map", map_box, label="map"),
        tagged("plan-profile", profile),
        muted(route_line, 12),
        *([field_with_id("plan-width", width)] if plan.route else []),
        heading(t("plan_provinces")),
        muted(t("plan_provinces_hint"), 12),
        ft.Row([chip(code, name) for code, name in provinces.codes().items()], wrap=True,
               spacing=6, run_spacing=6),
    ]  # fmt: skip
    if plan.regions:
        controls.append(muted(t("plan_drawn_regions", n=len(plan.regions)), 12))
    controls += [
        tagged("plan-lessee-sees", lessee_sees),
        tagged("plan-save", ft.FilledButton(t("plan_save"), icon=ft.Icons.SAVE, on_click=save)),
    ]
    return screen(app, route, t("plan_title"), controls)
