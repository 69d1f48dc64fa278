"""The product step 融资方案: amounts and options on the left of the clerk's thumb, the live quote
on top. The annualised rate (IRR, fees included) is the largest figure on the screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.components import LabelledText, tagged
from app_mobile.i18n import format_money, format_percent
from app_mobile.state.product import LEASE_TYPES, METHODS, TERMS, TIMINGS, parse_amount

if TYPE_CHECKING:
    from app_mobile.views.staff.intake.controller import IntakeController


def quote_figures(controller: IntakeController) -> tuple[str, str, str]:
    quote = controller.state.quote or {}
    rate = format_percent(quote.get("annualised_rate_percent"))
    monthly = format_money(quote.get("monthly_payment"))
    financed = format_money(quote.get("principal"))
    return rate, monthly, financed


def quote_card(controller: IntakeController) -> ft.Control:
    t = controller.app.t
    rate, monthly, financed = quote_figures(controller)
    rate_text = LabelledText(
        "intake-annualised-rate", rate or "—", size=40, weight=ft.FontWeight.BOLD,
        color=ft.Colors.INDIGO,
    )  # fmt: skip
    monthly_text = LabelledText(
        "intake-monthly-payment", monthly or "—", size=20, weight=ft.FontWeight.W_600
    )
    financed_text = LabelledText("intake-financed", financed or "—", size=16)

    def update() -> None:
        r, m, f = quote_figures(controller)
        rate_text.set(r or "—")
        monthly_text.set(m or "—")
        financed_text.set(f or "—")

    controller.on_quote = [update]
    label = ft.TextStyle(size=12, color=ft.Colors.GREY_700)
    return ft.Card(
        content=ft.Container(
            padding=14,
            content=ft.Column(
                [
                    ft.Text(t("annualised_rate"), style=label),
                    rate_text.control,
                    ft.Row(
                        [
                            ft.Column(
                                [
                                    ft.Text(t("monthly_payment"), style=label),
                                    monthly_text.control,
                                ],
                                spacing=2,
                                expand=True,
                            ),
                            ft.Column(
                                [ft.Text(t("financed"), style=label), financed_text.control],
                                spacing=2,
                                expand=True,
                            ),
                        ]
                    ),
                ],
                spacing=4,
            ),
        )
    )


def product_step(controller: IntakeController) -> list[ft.Control]:
    state, t = controller.state, controller.app.t
    form = state.product

    def amount_field(identifier: str, label: str, owner: str, attribute: str) -> ft.Control:
        target = state if owner == "state" else form
        field = ft.TextField(
            label=label,
            value=str(getattr(target, attribute)),
            keyboard_type=ft.KeyboardType.NUMBER,
            prefix=None if attribute == "annual_rate_percent" else "¥",
            suffix="%" if attribute == "annual_rate_percent" else None,
            expand=True,
        )

        async def changed(e: ft.Event[Any]) -> None:
            if owner == "state":
                state.set(attribute, field.value)
            else:
                setattr(form, attribute, field.value)
                state.dirty = True
            if attribute == "annual_rate_percent":
                bad = bool(form.rate_error())
            else:
                bad = bool(field.value.strip()) and parse_amount(field.value) is None
            field.error = t("invalid_amount") if bad else None
            controller.changed()
            controller.quote_later()

        field.on_change = changed
        return tagged(identifier, field)

    def choice(
        identifier: str, label: str, attribute: str, values: tuple[object, ...]
    ) -> ft.Control:
        async def selected(e: ft.Event[Any]) -> None:
            raw = e.control.value
            setattr(form, attribute, int(raw) if attribute == "term_months" else raw)
            state.dirty = True
            controller.changed()
            if attribute == "method":  # the balloon field appears or goes
                await controller.app.show(controller.route())
            controller.quote_later()

        options = [
            ft.DropdownOption(key=str(v), text=str(v) if isinstance(v, int) else t(str(v)))
            for v in values
        ]
        return tagged(
            identifier,
            ft.Dropdown(
                label=label,
                value=str(getattr(form, attribute)),
                options=options,
                on_select=selected,
                expand=True,
                width=float("inf"),
            ),
        )

    def pair(left: ft.Control, right: ft.Control | None = None) -> ft.Control:
        """Two short fields side by side; the Semantics wrappers take the width, not the fields."""
        for control in (left, right):
            if control is not None:
                control.expand = True
        return ft.Row([left, right or ft.Container(expand=True)], spacing=12)

    balloon = (
        amount_field("intake-balloon", t("balloon"), "form", "balloon")
        if form.method == "balloon"
        else None
    )
    rows: list[ft.Control] = [
        quote_card(controller),
        amount_field("intake-price", t("vehicle_price"), "state", "price"),
        pair(
            amount_field("intake-down-payment", t("down_payment"), "form", "down_payment"),
            choice("intake-term", t("term"), "term_months", TERMS),
        ),
        pair(
            choice("intake-method", t("method"), "method", METHODS),
            choice("intake-timing", t("timing"), "timing", TIMINGS),
        ),
        pair(
            choice("intake-lease-type", t("lease_type"), "lease_type", LEASE_TYPES),
            amount_field("intake-rate", t("annual_rate"), "form", "annual_rate_percent"),
        ),
        pair(amount_field("intake-deposit", t("deposit"), "form", "deposit"), balloon),
        pair(
            amount_field("intake-gps-fee", t("gps_fee"), "form", "gps_fee"),
            amount_field("intake-service-fee", t("service_fee"), "form", "service_fee"),
        ),
    ]
    if state.quote is None:
        controller.quote_later()
    return rows
