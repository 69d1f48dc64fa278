"""Home of a vehicle maker's user 主机厂: its dealer network's floor plans at a glance — per
dealer the line's utilisation, the stock and its age, sell-through and turnover, curtailments
overdue, units sold out of trust and the last stock audit. Aggregated, read only."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, figure_tile, tagged
from app_mobile.i18n import format_date, format_money
from app_mobile.views.account import account_card, app_bar
from app_mobile.views.risk.common import heading, muted
from common.api.oem import NetworkDealer

if TYPE_CHECKING:
    from app_mobile.shell import App


def _audit_line(app: App, d: NetworkDealer) -> str:
    t, a = app.t, d.last_audit
    if a is None:
        return t("oem_no_audit")
    key = "oem_audit_open" if a.status == "open" else "oem_audit_closed"
    return t(key, deadline=format_date(a.deadline), scanned=a.scanned, units=a.units,
             missing=a.missing)  # fmt: skip


def _dealer_card(app: App, d: NetworkDealer) -> ft.Control:
    t = app.t
    used = Decimal(d.utilisation_percent or "0")
    warn = used >= 90 or d.curtailments_overdue != "0.00" or d.sold_out_of_trust > 0
    bar_colour = ft.Colors.RED_400 if used >= 90 else ft.Colors.INDIGO_400
    body: list[ft.Control] = [
        ft.Row([ft.Text(d.dealer_name, size=15, weight=ft.FontWeight.W_600, expand=True),
                *([ft.Icon(ft.Icons.WARNING_AMBER, color=ft.Colors.AMBER_600)] if warn else [])]),
        muted(t("oem_line", used=format_money(d.used), limit=format_money(d.limit),
                percent=d.utilisation_percent or "—"), 12),
        ft.ProgressBar(value=min(float(used) / 100, 1.0), color=bar_colour,
                       bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST),
        ft.Row([
            figure_tile(f"oem-stock-{d.dealer_id}", t("oem_stock"), str(d.units_in_stock),
                        t("oem_age", days=d.average_stock_age_days or 0,
                          aged=d.units_over_90_days)),
            figure_tile(f"oem-sold-{d.dealer_id}", t("oem_sold"), str(d.sold_last_30_days),
                        t("oem_turnover", times=d.turnover_90_days or "—")),
        ]),
        ft.Row([
            figure_tile(f"oem-overdue-{d.dealer_id}", t("oem_overdue"),
                        format_money(d.curtailments_overdue)),
            figure_tile(f"oem-trust-{d.dealer_id}", t("oem_out_of_trust"),
                        str(d.sold_out_of_trust)),
        ]),
        muted(_audit_line(app, d), 12),
    ]  # fmt: skip
    return tagged(f"oem-dealer-{d.dealer_id}", ft.Card(content=ft.Container(
        content=ft.Column(body, spacing=8), padding=12)), label=d.dealer_name)  # fmt: skip


async def home_view(app: App) -> ft.View:
    t = app.t
    banner = ErrorBanner()
    controls: list[ft.BaseControl] = [account_card(app), banner.control, heading(t("oem_network"))]
    try:
        found = await app.api.oem_dealers()
    except ApiError as exc:
        banner.show(exc.message(t.language))
        found = []
    controls += [_dealer_card(app, d) for d in found] or [muted(t("oem_no_dealers"))]
    return ft.View(
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        route="/home",
        appbar=app_bar(app, t("oem_home"), home=True),
        scroll=ft.ScrollMode.AUTO,
        controls=controls,
    )
