"""Review and submit 确认提交, and the result screen 申请结果 with what to fix."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.components import LabelledText, decision_panel, status_chip, tagged
from app_mobile.i18n import format_money
from app_mobile.state.asset_form import FIELDS, MONEY, SERIALS, serials_of
from app_mobile.state.intake import Step
from app_mobile.views.staff.intake.product import cost_figures, quote_figures
from common.identity import mask_id, mask_mobile, mask_name
from common.products import FAMILY_NAMES, ProductFamily

if TYPE_CHECKING:
    from app_mobile.views.staff.intake.controller import IntakeController

FIELD_STEPS = {"vehicle": Step.VEHICLE, "asset": Step.VEHICLE, "customer": Step.CUSTOMER,
               "photos": Step.PHOTOS}  # fmt: skip


def step_of_field(path: str) -> int:
    """Where the clerk fixes `path` (e.g. customer.id_number -> the customer step)."""
    head = path.split(".", 1)[0].split("[", 1)[0]
    return FIELD_STEPS.get(head, Step.PRODUCT)


def line(label: str, value: str) -> ft.Control:
    return ft.Row(
        [
            ft.Text(label, size=13, color=ft.Colors.ON_SURFACE_VARIANT, width=96),
            ft.Text(value, size=14, expand=True, selectable=True, semantics_label=value),
        ],
        vertical_alignment=ft.CrossAxisAlignment.START,
    )


def _financed_lines(controller: IntakeController) -> list[ft.Control]:
    """What is financed: the vehicle, or the partner asset's fields as typed (a company's
    documents, no personal data)."""
    state, t = controller.state, controller.app.t
    if not state.is_partner:
        year = str(state.model_year or "")
        return [line(t("vin"), state.vin),
                line(t("maker"), " ".join(x for x in (state.maker, year) if x))]  # fmt: skip
    family = FAMILY_NAMES[ProductFamily(state.family)]
    rows = [line(t("product_family"), family[0] if t.language == "zh" else family[1])]
    for spec in FIELDS[state.family]:
        value = str(getattr(state.asset, spec.attribute))
        if spec.kind == SERIALS:
            serials = serials_of(value)
            value = t("review_serials", n=len(serials), first=serials[0] if serials else "")
        elif spec.kind == MONEY:
            value = format_money(value)
        rows.append(line(spec.label(t.language), value))
    return rows


def review_step(controller: IntakeController) -> list[ft.Control]:
    state, t = controller.state, controller.app.t
    rate, monthly, financed = quote_figures(controller)
    costs = cost_figures(controller)
    product = state.product
    name = product.name_zh if t.language == "zh" else product.name_en
    done = sum(1 for s in state.photos.values() if s.state == "done")
    return [
        ft.Card(
            content=ft.Container(
                padding=14,
                content=ft.Column(
                    [
                        ft.Text(t("annualised_rate"), size=12, color=ft.Colors.ON_SURFACE_VARIANT),
                        LabelledText(
                            "intake-annualised-rate",
                            rate or "—",
                            size=36,
                            weight=ft.FontWeight.BOLD,
                            color=ft.Colors.INDIGO,
                        ).control,
                        ft.Text(t("monthly_payment"), size=12, color=ft.Colors.ON_SURFACE_VARIANT),
                        LabelledText(
                            "intake-monthly-payment",
                            monthly or "—",
                            size=20,
                            weight=ft.FontWeight.W_600,
                        ).control,
                    ],
                    spacing=2,
                ),
            )
        ),
        tagged(
            "intake-review",
            ft.Column(
                spacing=6,
                controls=[
                    *_financed_lines(controller),
                    line(
                        t("company_name" if state.is_company else "customer_name"),
                        state.customer_name,
                    ),
                    line(
                        t("uscc" if state.is_company else "resident_id"),
                        mask_id(state.customer_id) if state.customer_id else "",
                    ),
                    line(
                        t("mobile"),
                        mask_mobile(state.customer_mobile) if state.customer_mobile else "",
                    ),
                    *(
                        [line(t("representative_name"), mask_name(state.representative_name))]
                        if state.is_company and state.representative_name
                        else []
                    ),
                    line(t("step_photos"), t("review_photos", n=done)),
                    line(t("product_title"), f"{name} · {t(product.lease_type)}"),
                    line(
                        t("asset_amount" if state.is_partner else "vehicle_price"),
                        format_money(state.deal_price),
                    ),
                    line(
                        t("down_payment_retained" if state.finances_receivable else "down_payment"),
                        format_money(product.down_payment or "0"),
                    ),
                    line(t("financed"), financed),
                    line(t("term"), str(product.term_months)),
                    line(t("method"), f"{t(product.method)} · {t(product.timing)}"),
                    line(t("product_nominal"), costs["product_nominal"]),
                    line(t("product_fees"), costs["product_fees"]),
                    line(t("product_deposit"), costs["product_deposit"]),
                    line(t("product_total_cost"), costs["product_total_cost"]),
                ],
            ),
        ),
    ]


def result_step(controller: IntakeController) -> list[ft.Control]:
    state, t, app = controller.state, controller.app.t, controller.app

    async def home(e: ft.Event[Any]) -> None:
        app.intake = None
        await app.go("/home")

    async def mine(e: ft.Event[Any]) -> None:
        app.intake = None
        await app.go("/applications")

    def fixer(step: int):  # type: ignore[no-untyped-def]
        async def fix(e: ft.Event[Any]) -> None:
            state.missing, state.missing_en = {}, {}
            await controller.goto(step)

        return fix

    rows: list[ft.Control] = [
        ft.Row(
            [ft.Text(t("status"), size=16), status_chip(state.status, t, "application-status")],
            spacing=12,
        ),
        ft.Text(t("application_no", id=state.application_id), size=12, selectable=True),
    ]
    if controller.decision is not None:  # the decision and its reasons in plain Chinese
        rows.append(decision_panel(controller.decision, t))
    if state.missing:
        rows.append(ft.Text(t("to_fix"), weight=ft.FontWeight.W_600, color=ft.Colors.RED_800))
        for path, message in state.missing.items():
            if t.language == "en":
                message = state.missing_en.get(path, message)
            rows.append(
                ft.Row(
                    [
                        ft.Text(f"• {message}", expand=True),
                        ft.TextButton(t("fix_it"), on_click=fixer(step_of_field(path))),
                    ]
                )
            )
    rows.append(
        ft.Row(
            [
                ft.Button(t("home"), icon=ft.Icons.HOME, on_click=home),
                tagged(
                    "my-applications",
                    ft.OutlinedButton(t("my_applications"), on_click=mine),
                ),
            ],
            wrap=True,
        )
    )
    return rows
