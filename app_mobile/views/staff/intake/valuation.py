"""The vehicle step's valuation card 车辆估值: the residual model's value of the car as typed
(model, year, mileage, the condition the clerk picks), its 80 % interval, the main drivers and
the value over the next three years as a small chart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import LabelledText, tagged
from app_mobile.components.value_chart import value_path_chart
from app_mobile.i18n import format_money
from app_mobile.state.residual import (
    CONDITIONS,
    driver_lines,
    valuation_query,
    valuation_series,
)
from app_mobile.views.staff.intake.controller import today
from common.api.intake import Valuation

if TYPE_CHECKING:
    from app_mobile.views.staff.intake.controller import IntakeController


def valuation_card(controller: IntakeController) -> ft.Control:
    state, t = controller.state, controller.app.t
    picked = {"condition": "good"}
    headline = LabelledText("intake-valuation-value", "", size=20, weight=ft.FontWeight.BOLD)
    interval = LabelledText("intake-valuation-interval", "", size=13)
    drivers = LabelledText("intake-valuation-drivers", "", size=12)
    version = ft.Text("", size=10, color=ft.Colors.ON_SURFACE_VARIANT)
    chart = ft.Column([], spacing=4)

    def show(v: Valuation) -> None:
        headline.set(t("rv_value", value=format_money(v.value)))
        interval.set(t("rv_interval", low=format_money(v.low), high=format_money(v.high)))
        drivers.set(t("rv_drivers", drivers="；".join(driver_lines(v))) if v.drivers else "")
        version.value = t("rv_model", version=v.model_version)
        chart.controls = [
            ft.Text(t("rv_path"), size=11, color=ft.Colors.ON_SURFACE_VARIANT),
            tagged("intake-valuation-chart", value_path_chart(valuation_series(v))),
        ]

    async def load(_: ft.Event[Any] | None = None) -> None:
        query = valuation_query(state.catalogue_model_id, state.model_year, state.mileage,
                                state.region_code, picked["condition"], today())  # fmt: skip
        if query is None:
            headline.set(t("rv_incomplete"))
            interval.set("")
            drivers.set("")
            chart.controls = []
        else:
            try:
                show(await controller.app.api.valuation(**query))
            except ApiError as exc:
                headline.set(exc.message(t.language))
        controller.refresh()

    async def condition_changed(e: ft.Event[Any]) -> None:
        picked["condition"] = e.control.selected[0]
        await load()

    conditions = tagged("intake-valuation-condition", ft.SegmentedButton(
        segments=[ft.Segment(value=c, label=ft.Text(t(f"rv_{c}"))) for c in CONDITIONS],
        selected=[picked["condition"]], on_change=condition_changed,
    ))  # fmt: skip
    button = tagged("intake-valuation-show", ft.OutlinedButton(
        t("rv_show"), icon=ft.Icons.QUERY_STATS, on_click=load))  # fmt: skip
    return ft.Card(content=ft.Container(padding=12, content=ft.Column([
        ft.Text(t("rv_title"), size=12, color=ft.Colors.ON_SURFACE_VARIANT),
        ft.Row([ft.Text(t("rv_condition"), size=12), conditions], wrap=True, spacing=8),
        button, headline.control, interval.control, chart, drivers.control, version,
    ], spacing=6)))  # fmt: skip
