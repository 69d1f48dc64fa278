"""A unit's best time to sell 最佳出手时机 on the phone: the predicted sale price month by month
(with its interval) and what selling leaves after the floor plan's interest, as a chart; the
month where holding stops paying, and the figures of each month."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, LabelledText, tagged
from app_mobile.components.value_chart import value_path_chart
from app_mobile.i18n import format_date, format_money
from app_mobile.state.residual import sell_series
from app_mobile.views.risk.common import muted, screen

if TYPE_CHECKING:
    from app_mobile.shell import App

PREFIX = "/floorplan/sell/"


def sell_button(app: App, vin: str) -> ft.Control:
    async def opened(_: ft.Event[ft.OutlinedButton]) -> None:
        await app.go(f"{PREFIX}{vin}")

    return tagged(f"fp-sell-{vin}", ft.OutlinedButton(
        app.t("sell_open"), icon=ft.Icons.TRENDING_DOWN, on_click=opened))  # fmt: skip


async def sell_timing_view(app: App, vin: str) -> ft.View:
    t = app.t
    route = f"{PREFIX}{vin}"
    banner = ErrorBanner()
    try:
        timing = await app.api.floorplan_sell_timing(vin)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("sell_title"), [banner.control])
    rows: list[ft.Control] = [
        ft.Text(t("sell_row", date=format_date(m.on), value=format_money(m.value),
                  interest=format_money(m.interest), net=format_money(m.net),
                  gain=format_money(m.gain)), size=12,
                weight=ft.FontWeight.W_600 if m.months == timing.best_months else None)
        for m in timing.months
    ]  # fmt: skip
    controls: list[ft.Control] = [
        banner.control,
        ft.Text(vin, size=15, weight=ft.FontWeight.W_600),
        LabelledText(
            "sell-best",
            t("sell_best", date=format_date(timing.best_on)),
            size=20,
            weight=ft.FontWeight.BOLD,
            color=ft.Colors.INDIGO,
        ).control,
        LabelledText("sell-note", timing.note, size=13).control,
        muted(t("sell_chart"), 11),
        tagged("sell-chart", value_path_chart(sell_series(timing), height=180)),
        tagged("sell-months", ft.Column(rows, spacing=4)),
        muted(t("rv_model", version=timing.model_version), 10),
    ]
    return screen(app, route, t("sell_title"), controls)
