"""The wizard's frame (title, progress, back/next) and the vehicle and customer steps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.components import LabelledText, tagged
from app_mobile.state.intake import STEP_KEYS, FieldCheck, Step
from common.api.intake import CustomerKind
from common.identity import decode_vin, validate_vin

if TYPE_CHECKING:
    from app_mobile.views.staff.intake.controller import IntakeController

WIDE = float("inf")


def live_error(check: FieldCheck, raw: str, complete_length: int, language: str) -> str | None:
    """Say what is wrong once the value is complete; a half-typed number is not an error yet."""
    if check.ok or not raw.strip() or len(raw.strip()) < complete_length:
        return None
    return check.text(language)


def text_field(
    controller: IntakeController,
    identifier: str,
    label: str,
    attribute: str,
    check: str | None = None,
    *,
    complete_length: int = 0,
    keyboard: ft.KeyboardType = ft.KeyboardType.TEXT,
    capitalise: bool = False,
) -> ft.Control:
    """A field bound to one state attribute, re-checked on every keystroke."""
    state, t = controller.state, controller.app.t
    field = ft.TextField(
        label=label,
        value=str(getattr(state, attribute) or ""),
        keyboard_type=keyboard,
        capitalization=ft.TextCapitalization.CHARACTERS if capitalise else None,
        autocorrect=False,
    )

    def recheck() -> None:
        if check is None:
            return
        result: FieldCheck = getattr(state, check)()
        field.error = live_error(result, field.value, complete_length, t.language)
        field.suffix_icon = ft.Icons.CHECK_CIRCLE if result.ok else None

    async def changed(e: ft.Event[Any]) -> None:
        state.set(attribute, field.value)
        recheck()
        controller.changed()
        if attribute == "vin":
            refresh_vehicle_facts(controller)
            await controller.decode_typed_vin()

    async def left(e: ft.Event[Any]) -> None:
        if check is not None and field.value.strip():
            result: FieldCheck = getattr(state, check)()
            field.error = None if result.ok else result.text(t.language)

    field.on_change = changed
    field.on_blur = left
    recheck()
    return tagged(identifier, field)


def build_view(controller: IntakeController) -> ft.View:
    from app_mobile.views.staff.intake.product import product_step
    from app_mobile.views.staff.intake.review import result_step, review_step

    state, t = controller.state, controller.app.t
    builders = {
        Step.VEHICLE: vehicle_step,
        Step.CUSTOMER: customer_step,
        Step.PHOTOS: photos_step,
        Step.PRODUCT: product_step,
        Step.REVIEW: review_step,
        Step.RESULT: result_step,
    }
    body = builders[Step(state.step)](controller)
    if state.step == Step.RESULT:
        title = t("result_title")
        header: list[ft.Control] = []
        bottom = None
    else:
        title = f"{t('new_application')} · {t(STEP_KEYS[state.step])}"
        header = [
            ft.Row(
                [
                    ft.Text(t("step_of", n=state.step + 1, total=len(STEP_KEYS)), size=12),
                    controller.note,
                ],
                alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
            ),
            ft.ProgressBar(value=(state.step + 1) / len(STEP_KEYS)),
        ]
        bottom = ft.BottomAppBar(content=nav_row(controller), padding=8, height=72)
    return ft.View(
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        route=controller.route(),
        appbar=ft.AppBar(title=ft.Text(title, size=18), automatically_imply_leading=False),
        bottom_appbar=bottom,
        scroll=ft.ScrollMode.AUTO,
        padding=16,
        controls=[*header, controller.banner.control, *body],
    )


def nav_row(controller: IntakeController) -> ft.Control:
    t = controller.app.t

    async def back(e: ft.Event[Any]) -> None:
        await controller.back()

    async def forward(e: ft.Event[Any]) -> None:
        await controller.next()

    async def submit(e: ft.Event[Any]) -> None:
        await controller.submit()

    if controller.state.step == Step.REVIEW:
        primary = tagged(
            "intake-submit",
            ft.Button(t("submit"), icon=ft.Icons.SEND, on_click=submit, height=48),
        )
    else:
        primary = tagged(
            "intake-next",
            ft.Button(t("next"), icon=ft.Icons.ARROW_FORWARD, on_click=forward, height=48),
        )
    return ft.Row(
        [
            tagged("intake-back", ft.OutlinedButton(t("back"), on_click=back, height=48)),
            ft.Container(content=primary, expand=True),
        ],
        spacing=12,
    )


# -- vehicle 车辆 -----------------------------------------------------------------------------
def refresh_vehicle_facts(controller: IntakeController) -> None:
    """A valid typed VIN fills maker and model year locally (a scan fills them from the server)."""
    state = controller.state
    check = validate_vin(state.vin)
    if check.valid:
        facts = decode_vin(check.value)
        state.set("maker", state.maker or (facts.maker or ""))
        state.set("model_year", state.model_year or facts.model_year)
    facts_text = getattr(controller, "facts_text", None)
    if facts_text is not None:
        facts_text.set(vehicle_facts(controller))


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


def vehicle_step(controller: IntakeController) -> list[ft.Control]:
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
    return [
        scan,
        ft.Text("或手动输入" if t.language == "zh" else "or type it", size=12),
        text_field(
            controller,
            "intake-vin",
            t("vin"),
            "vin",
            "vin_check",
            complete_length=17,
            capitalise=True,
        ),
        facts.control,
    ]


# -- customer 客户 ----------------------------------------------------------------------------
def customer_step(controller: IntakeController) -> list[ft.Control]:
    state, t = controller.state, controller.app.t
    company = state.customer_kind == CustomerKind.COMPANY.value

    async def kind_changed(e: ft.Event[Any]) -> None:
        state.set("customer_kind", e.control.selected[0])
        controller.changed()
        await controller.app.show(controller.route())

    kind = tagged(
        "intake-customer-kind",
        ft.SegmentedButton(
            segments=[
                ft.Segment(value=CustomerKind.PERSON.value, label=ft.Text(t("person"))),
                ft.Segment(value=CustomerKind.COMPANY.value, label=ft.Text(t("company"))),
            ],
            selected=[state.customer_kind],
            on_change=kind_changed,
        ),
    )
    return [
        kind,
        text_field(
            controller,
            "intake-customer-name",
            t("company_name" if company else "customer_name"),
            "customer_name",
            "name_check",
            complete_length=1,
        ),
        text_field(
            controller,
            "intake-customer-id",
            t("uscc" if company else "resident_id"),
            "customer_id",
            "id_check",
            complete_length=18,
            capitalise=True,
        ),
        text_field(
            controller,
            "intake-customer-mobile",
            t("mobile"),
            "customer_mobile",
            "mobile_check",
            complete_length=11,
            keyboard=ft.KeyboardType.PHONE,
        ),
    ]


# -- photos 照片 ------------------------------------------------------------------------------
def photos_step(controller: IntakeController) -> list[ft.Control]:
    return [controller.photos.row(kind) for kind in controller.state.required_photos()]
