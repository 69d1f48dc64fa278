"""The vehicle step 车辆: the VIN (scanned or typed) and the facts the rules judge about the
vehicle — model (from the catalogue), model year (from the VIN), new or used, mileage — each
proposed so a new car scanned from its label needs no typing at all."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.components import LabelledText, tagged
from app_mobile.state.intake import check_model_year
from app_mobile.views.staff.intake.controller import today
from app_mobile.views.staff.intake.steps import text_field
from common.identity import validate_vin

if TYPE_CHECKING:
    from app_mobile.views.staff.intake.controller import IntakeController

WIDE = float("inf")


def refresh_vehicle_facts(controller: IntakeController) -> None:
    """Repaint what the VIN says and the fields proposed from it (after a scan, a decode or an
    edit of the VIN): the year, new/used and the model always follow the VIN on screen."""
    facts_text = getattr(controller, "facts_text", None)
    if facts_text is not None:
        facts_text.set(vehicle_facts(controller))
    fields = getattr(controller, "vehicle_fields", None)
    if fields is not None:
        fields.controls = vehicle_fact_fields(controller)


def vehicle_facts(controller: IntakeController) -> str:
    state, t = controller.state, controller.app.t
    vin = validate_vin(state.vin)
    parts = [
        f"{t('vin_ok')}：{vin.value}" if vin.valid else "",
        f"{t('maker')}：{state.maker}" if state.maker else "",
        f"{t('model_year')}：{state.model_year}" if state.model_year else "",
        f"{t('catalogue_model')}：{state.catalogue_model_name}"
        if state.catalogue_model_name
        else "",
    ]
    return "\n".join(p for p in parts if p)


def _model_choice(controller: IntakeController) -> ft.Control | None:
    """Several catalogue models fit the VIN: the clerk picks one (the first is proposed)."""
    state, t = controller.state, controller.app.t
    if len(state.catalogue_choices) < 2:
        return None

    async def chosen(e: ft.Event[Any]) -> None:
        state.choose_model(e.control.value or "")
        refresh_vehicle_facts(controller)
        controller.changed()
        controller.refresh()

    return tagged(
        "intake-catalogue-model",
        ft.Dropdown(
            label=t("catalogue_model"),
            value=state.catalogue_model_id or None,
            options=[ft.DropdownOption(key=i, text=name) for i, name in state.catalogue_choices],
            on_select=chosen,
            width=WIDE,
        ),
    )


def vehicle_fact_fields(controller: IntakeController) -> list[ft.Control]:
    """Model, model year, new/used and mileage, once the VIN is complete."""
    state, t = controller.state, controller.app.t
    if not state.vin_check().ok:
        return []
    is_new = state.vehicle_is_new(today())

    async def condition_changed(e: ft.Event[Any]) -> None:
        state.set("is_new", e.control.selected[0] == "new")
        refresh_vehicle_facts(controller)
        controller.recheck_banner()
        controller.changed()
        controller.refresh()

    def year_edited(raw: str) -> None:
        text = raw.strip()
        state.set("model_year", int(text) if text.isascii() and text.isdigit() else None)
        state.set("is_new", None)  # new/used is proposed again from the new year

    condition = tagged(
        "intake-vehicle-condition",
        ft.SegmentedButton(
            segments=[
                ft.Segment(value="new", label=ft.Text(t("vehicle_new"))),
                ft.Segment(value="used", label=ft.Text(t("vehicle_used"))),
            ],
            selected=["new" if is_new else "used"],
            on_change=condition_changed,
        ),
        label=t("vehicle_new" if is_new else "vehicle_used"),
    )
    controls: list[ft.Control | None] = [
        _model_choice(controller),
        text_field(
            controller,
            "intake-model-year",
            t("model_year"),
            "model_year",
            lambda: check_model_year(state.model_year, today()),
            complete_length=4,
            keyboard=ft.KeyboardType.NUMBER,
            on_edit=year_edited,
        ),
        condition,
        None
        if is_new
        else text_field(
            controller,
            "intake-mileage",
            t("mileage_km"),
            "mileage",
            lambda: state.mileage_check(today()),
            complete_length=1,
            keyboard=ft.KeyboardType.NUMBER,
        ),
    ]
    return [c for c in controls if c is not None]


def vehicle_step(controller: IntakeController) -> list[ft.Control]:
    from app_mobile.views.staff.intake.asset import family_picker
    from app_mobile.views.staff.intake.valuation import valuation_card

    t = controller.app.t
    scan = tagged(
        "intake-vin-photo",
        ft.Button(
            t("vin_photo"),
            icon=ft.Icons.QR_CODE_SCANNER,
            height=56,
            width=WIDE,
            action=ft.PickFiles(
                controller.vin_picker,
                file_type=ft.FilePickerFileType.IMAGE,
                with_data=True,
                cancel_upload_on_window_blur=False,
            ),
        ),
    )
    facts = LabelledText("intake-vehicle-facts", vehicle_facts(controller), size=14)
    controller.facts_text = facts  # type: ignore[attr-defined]
    fields = ft.Column(vehicle_fact_fields(controller), spacing=12)
    controller.vehicle_fields = fields  # type: ignore[attr-defined]
    return [
        family_picker(controller),
        scan,
        ft.Text(t("or_type_it"), size=12),
        text_field(
            controller,
            "intake-vin",
            t("vin"),
            "vin",
            controller.state.vin_check,
            complete_length=17,
            capitalise=True,
            on_edit=lambda raw: controller.state.vin_typed(raw, today()),
        ),
        facts.control,
        fields,
        valuation_card(controller),
    ]
