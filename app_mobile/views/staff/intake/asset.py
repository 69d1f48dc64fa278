"""The product family 产品类别 a new application is for, and a partner application's asset step
融资标的: the receivable, the waybill's freight or the charging piles, as the family asks."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.components import tagged
from app_mobile.state.asset_form import DATE, FIELDS, MONEY, REGION, SERIALS, AssetField, parse_date
from app_mobile.views.staff.intake.controller import today
from app_mobile.views.staff.intake.product import chip
from app_mobile.views.staff.intake.steps import text_field
from common.products import FAMILY_NAMES, ProductFamily

if TYPE_CHECKING:
    from app_mobile.views.staff.intake.controller import IntakeController

KEYBOARDS = {MONEY: ft.KeyboardType.NUMBER, REGION: ft.KeyboardType.NUMBER,
             DATE: ft.KeyboardType.DATETIME}  # fmt: skip


def family_picker(controller: IntakeController) -> ft.Control:
    """What is financed: chosen before the draft is first saved, shown (not changeable) after."""
    state, t = controller.state, controller.app.t
    family = ProductFamily(state.family)
    zh, en = FAMILY_NAMES[family]
    if state.application_id:
        name = f"{t('product_family')}：{zh if t.language == 'zh' else en}"
        return tagged("intake-family", ft.Text(name, size=13, color=ft.Colors.ON_SURFACE_VARIANT))

    def choose(value: str) -> Any:
        async def chosen(e: ft.Event[Any]) -> None:
            if state.choose_family(value):
                controller.banner.clear()
                controller.changed()
                await controller.app.show(controller.route())

        return chosen

    chips = [
        chip(f"intake-family-{f.value}", names[0] if t.language == "zh" else names[1],
             f is family, choose(f.value))
        for f, names in FAMILY_NAMES.items()
    ]  # fmt: skip
    return ft.Column(
        [ft.Text(t("product_family"), size=12, color=ft.Colors.ON_SURFACE_VARIANT),
         ft.Row(chips, wrap=True, spacing=8, run_spacing=8)],
        spacing=4,
    )  # fmt: skip


def _date_button(controller: IntakeController, spec: AssetField) -> ft.Control:
    """A calendar for a date field (typing YYYY-MM-DD works as well)."""
    state = controller.state

    async def picked(e: ft.Event[Any]) -> None:
        value = e.control.value
        if isinstance(value, date):  # a datetime from the dialog (a date is its base class)
            day = value.date() if isinstance(value, datetime) else value
            state.set_asset(spec.attribute, day.isoformat())
            controller.recheck_banner()
            controller.changed()
            await controller.app.show(controller.route())

    async def open_calendar(e: ft.Event[Any]) -> None:
        year = today().year
        controller.app.page.show_dialog(
            ft.DatePicker(
                value=parse_date(getattr(state.asset, spec.attribute)),
                first_date=date(year - 2, 1, 1),
                last_date=date(year + 3, 12, 31),
                on_change=picked,
            )
        )

    label = spec.label(controller.app.t.language)
    return ft.IconButton(ft.Icons.CALENDAR_MONTH, on_click=open_calendar, tooltip=label)


def asset_field(controller: IntakeController, spec: AssetField) -> ft.Control:
    state, language = controller.state, controller.app.t.language
    return text_field(
        controller,
        f"intake-asset-{spec.attribute.replace('_', '-')}",
        spec.label(language),
        f"asset.{spec.attribute}",
        lambda: state.asset.check(spec),
        complete_length={DATE: 10, REGION: 6}.get(spec.kind, 18 if spec.kind == "uscc" else 1),
        keyboard=KEYBOARDS.get(spec.kind, ft.KeyboardType.TEXT),
        capitalise=spec.kind == "uscc",
        on_edit=lambda raw: state.set_asset(spec.attribute, raw),
        value=str(getattr(state.asset, spec.attribute)),
        multiline=spec.kind == SERIALS,
        hint="YYYY-MM-DD" if spec.kind == DATE else None,
        suffix=_date_button(controller, spec) if spec.kind == DATE else None,
    )


def asset_step(controller: IntakeController) -> list[ft.Control]:
    state, t = controller.state, controller.app.t
    return [
        family_picker(controller),
        ft.Text(t(f"asset_hint_{state.family}"), size=12, color=ft.Colors.ON_SURFACE_VARIANT),
        *(asset_field(controller, spec) for spec in FIELDS[state.family]),
    ]
