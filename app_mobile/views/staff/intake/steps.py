"""The wizard's frame (title, progress, back/next) and the vehicle and customer steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.components import tagged
from app_mobile.state.field_checks import FieldCheck
from app_mobile.state.intake import STEP_KEYS, Step
from app_mobile.views.staff.intake.controller import today
from common.api.intake import CustomerKind

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
    check: Callable[[], FieldCheck] | None = None,
    *,
    complete_length: int = 0,
    keyboard: ft.KeyboardType = ft.KeyboardType.TEXT,
    capitalise: bool = False,
    on_edit: Callable[[str], None] | None = None,
    value: str | None = None,
    multiline: bool = False,
    hint: str | None = None,
    suffix: ft.Control | None = None,
) -> ft.Control:
    """A field bound to one state attribute (or, with ``value`` and ``on_edit``, to anything),
    re-checked on every keystroke; a banner about the step goes as soon as the step's input is
    fixed."""
    state, t = controller.state, controller.app.t
    field = ft.TextField(
        label=label,
        value=value if value is not None else str(getattr(state, attribute) or ""),
        keyboard_type=keyboard,
        capitalization=ft.TextCapitalization.CHARACTERS if capitalise else None,
        autocorrect=False,
        multiline=multiline,
        min_lines=3 if multiline else None,
        max_lines=8 if multiline else None,
        hint_text=hint,
        suffix=suffix,
    )

    def recheck() -> None:
        if check is None:
            return
        result = check()
        field.error = live_error(result, field.value, complete_length, t.language)
        field.suffix_icon = ft.Icons.CHECK_CIRCLE if result.ok else None

    async def changed(e: ft.Event[Any]) -> None:
        if on_edit is not None:
            on_edit(field.value)
        else:
            state.set(attribute, field.value)
        recheck()
        controller.recheck_banner()
        controller.changed()
        if attribute == "vin":
            from app_mobile.views.staff.intake.vehicle import refresh_vehicle_facts

            refresh_vehicle_facts(controller)
            await controller.decode_typed_vin()

    async def left(e: ft.Event[Any]) -> None:
        if check is not None and field.value.strip():
            result = check()
            field.error = None if result.ok else result.text(t.language)

    field.on_change = changed
    field.on_blur = left
    recheck()
    return tagged(identifier, field)


def build_view(controller: IntakeController) -> ft.View:
    from app_mobile.views.staff.intake.asset import asset_step
    from app_mobile.views.staff.intake.product import product_step
    from app_mobile.views.staff.intake.review import result_step, review_step
    from app_mobile.views.staff.intake.vehicle import vehicle_step

    state, t = controller.state, controller.app.t
    builders = {
        Step.VEHICLE: asset_step if state.is_partner else vehicle_step,
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
        title = f"{t('new_application')} · {t(state.step_key(state.step))}"
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


# -- customer 客户 ----------------------------------------------------------------------------
def customer_step(controller: IntakeController) -> list[ft.Control]:
    state, t = controller.state, controller.app.t
    company = state.customer_kind == CustomerKind.COMPANY.value

    async def kind_changed(e: ft.Event[Any]) -> None:
        state.set("customer_kind", e.control.selected[0])
        controller.changed()
        await controller.app.show(controller.route())

    kind: ft.Control = tagged(
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
    if state.is_partner:  # a partner product is a company's: no choice to make
        kind = ft.Text(t("partner_customer_company"), size=13, color=ft.Colors.ON_SURFACE_VARIANT)
    return [
        kind,
        text_field(
            controller,
            "intake-customer-name",
            t("company_name" if company else "customer_name"),
            "customer_name",
            state.name_check,
            complete_length=1,
        ),
        text_field(
            controller,
            "intake-customer-id",
            t("uscc" if company else "resident_id"),
            "customer_id",
            lambda: state.id_check(today()),
            complete_length=18,
            capitalise=True,
        ),
        text_field(
            controller,
            "intake-customer-mobile",
            t("mobile"),
            "customer_mobile",
            state.mobile_check,
            complete_length=11,
            keyboard=ft.KeyboardType.PHONE,
        ),
        text_field(
            controller,
            "intake-customer-region",
            t("customer_region"),
            "region_code",
            state.region_check,
            complete_length=6,
            keyboard=ft.KeyboardType.NUMBER,
        ),
        *(_representative_fields(controller) if company else []),
        *_guarantor_fields(controller),
    ]


def _guarantor_fields(controller: IntakeController) -> list[ft.Control]:
    """An optional guarantor 保证人 (a spouse, a parent, a shareholder)."""
    state, t = controller.state, controller.app.t

    async def toggled(e: ft.Event[Any]) -> None:
        state.set("with_guarantor", bool(e.control.value))
        controller.changed()
        await controller.app.show(controller.route())

    switch = tagged(
        "intake-with-guarantor",
        ft.Switch(label=t("guarantor_add"), value=state.with_guarantor, on_change=toggled),
    )
    if not state.with_guarantor:
        return [switch]

    def checks(i: int) -> Callable[[], FieldCheck]:
        return lambda: state.guarantor_checks(today())[i]

    return [
        switch,
        text_field(controller, "intake-guarantor-name", t("guarantor_name"), "guarantor_name",
                   checks(0), complete_length=1),
        text_field(controller, "intake-guarantor-id", t("guarantor_id"), "guarantor_id",
                   checks(1), complete_length=18, capitalise=True),
        text_field(controller, "intake-guarantor-mobile", t("guarantor_mobile"),
                   "guarantor_mobile", checks(2), complete_length=11,
                   keyboard=ft.KeyboardType.PHONE),
        text_field(controller, "intake-guarantor-relation", t("guarantor_relation"),
                   "guarantor_relation"),
    ]  # fmt: skip


def _representative_fields(controller: IntakeController) -> list[ft.Control]:
    """A company signs through its authorised person 授权代表: their name and resident ID."""
    state, t = controller.state, controller.app.t
    return [
        ft.Text(t("representative_heading"), size=13, color=ft.Colors.ON_SURFACE_VARIANT),
        text_field(
            controller,
            "intake-representative-name",
            t("representative_name"),
            "representative_name",
            state.representative_name_check,
            complete_length=1,
        ),
        text_field(
            controller,
            "intake-representative-id",
            t("representative_id"),
            "representative_id",
            lambda: state.representative_id_check(today()),
            complete_length=18,
            capitalise=True,
        ),
    ]


# -- photos 照片 ------------------------------------------------------------------------------
def photos_step(controller: IntakeController) -> list[ft.Control]:
    return [controller.photos.row(kind) for kind in controller.state.required_photos()]
