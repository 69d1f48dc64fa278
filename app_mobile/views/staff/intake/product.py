"""The product step 融资方案: the products that cover this vehicle, then term and down payment as
choices within the product; the annualised rate (IRR, fees included) is the largest figure on the
screen, then the rent and the total cost. The clerk types the price and, if he wishes, another
down payment; nothing else."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.components import LabelledText, tagged
from app_mobile.i18n import format_money, format_percent
from app_mobile.state.product import parse_amount
from common.products import Product, Rate

if TYPE_CHECKING:
    from app_mobile.views.staff.intake.controller import IntakeController


def quote_figures(controller: IntakeController) -> tuple[str, str, str]:
    quote = controller.state.quote or {}
    rate = format_percent(quote.get("annualised_rate_percent"))
    monthly = format_money(quote.get("monthly_payment"))
    financed = format_money(quote.get("principal"))
    return rate, monthly, financed


def cost_figures(controller: IntakeController) -> dict[str, str]:
    """Fees, deposit, total cost and the nominal rate of the current quote ("" without one)."""
    quote = controller.state.quote or {}
    return {
        "product_fees": format_money(quote.get("total_fees")),
        "product_deposit": format_money(quote.get("deposit")),
        "product_total_cost": format_money(quote.get("total_cost")),
        "product_nominal": format_percent(quote.get("annual_rate_percent")),
    }


def quote_card(controller: IntakeController) -> ft.Control:
    t = controller.app.t
    rate, monthly, financed = quote_figures(controller)
    rate_text = LabelledText(
        "intake-annualised-rate", rate or "—", size=40, weight=ft.FontWeight.BOLD,
        color=ft.Colors.INDIGO,
    )  # fmt: skip
    monthly_text = LabelledText(
        "intake-monthly-payment", monthly or "—", size=22, weight=ft.FontWeight.W_600
    )
    financed_text = LabelledText("intake-financed", financed or "—", size=14)
    costs = {k: LabelledText(f"intake-{k.replace('_', '-')}", v or "—", size=14)
             for k, v in cost_figures(controller).items()}  # fmt: skip

    def update() -> None:
        r, m, f = quote_figures(controller)
        rate_text.set(r or "—")
        monthly_text.set(m or "—")
        financed_text.set(f or "—")
        for key, value in cost_figures(controller).items():
            costs[key].set(value or "—")

    controller.on_quote = [update]
    label = ft.TextStyle(size=12, color=ft.Colors.ON_SURFACE_VARIANT)

    def cell(name: str, text: LabelledText) -> ft.Control:
        return ft.Column([ft.Text(name, style=label), text.control], spacing=0, expand=True)

    return ft.Card(
        content=ft.Container(
            padding=14,
            content=ft.Column(
                [
                    ft.Text(t("annualised_rate"), style=label),
                    rate_text.control,
                    ft.Row(
                        [
                            cell(t("monthly_payment"), monthly_text),
                            cell(t("product_total_cost"), costs["product_total_cost"]),
                        ]
                    ),
                    ft.Row(
                        [
                            cell(t("financed"), financed_text),
                            cell(t("product_fees"), costs["product_fees"]),
                            cell(t("product_deposit"), costs["product_deposit"]),
                        ]
                    ),
                ],
                spacing=6,
            ),
        )
    )


def chip(identifier: str, text: str, selected: bool, on_click: Any) -> ft.Control:
    """A choice as a button: filled when chosen (its name is its text, for screen readers)."""
    button = (
        ft.FilledButton(text, on_click=on_click)
        if selected
        else ft.OutlinedButton(text, on_click=on_click)
    )
    return tagged(identifier, button)


def _product_chips(controller: IntakeController, chosen: Product | None) -> list[ft.Control]:
    t = controller.app.t
    products = controller.fitting_products()
    if products is None:
        return [ft.Text(t("product_loading"), size=13, color=ft.Colors.ON_SURFACE_VARIANT)]
    if not products:
        return [tagged("intake-no-product", ft.Text(t("product_none"), color=ft.Colors.RED_800))]

    def pick(product: Product) -> Any:
        async def picked(e: ft.Event[Any]) -> None:
            await controller.choose_product(product)

        return picked

    out: list[ft.Control] = []
    for p in products:
        name = p.name_zh if t.language == "zh" else p.name_en
        low = min(p.rate_on(r, controller.today()) for r in p.rates)
        out.append(
            ft.Column(
                [
                    chip(f"intake-product-{p.id}", name, chosen is not None and p.id == chosen.id,
                          pick(p)),
                    ft.Text(t("product_rate_from", lease=t(p.lease_type), rate=format_percent(low)),
                            size=11, color=ft.Colors.ON_SURFACE_VARIANT),
                ],
                spacing=2,
            )
        )  # fmt: skip
    return [ft.Row(out, wrap=True, spacing=10, run_spacing=8)]


def _choices(controller: IntakeController, product: Product) -> list[ft.Control]:
    state, t = controller.state, controller.app.t
    form = state.product

    def set_value(attribute: str, value: object) -> Any:
        async def chosen(e: ft.Event[Any]) -> None:
            setattr(form, attribute, value)
            if attribute == "method" and value == "balloon" and not form.balloon:
                price = parse_amount(state.deal_price) or Decimal(0)
                form.balloon = str((price * product.balloon_max_percent / 100).quantize(Decimal(1)))
            state.dirty = True
            controller.changed()
            await controller.app.show(controller.route())
            controller.quote_later()

        return chosen

    def term_text(r: Rate) -> str:
        rate = product.rate_on(r, controller.today())
        text = t("product_term", n=r.term_months, rate=format_percent(rate))
        return f"{text} {t('product_promo')}" if rate != r.annual_rate_percent else text

    terms = [
        chip(f"intake-term-{r.term_months}", term_text(r), form.term_months == r.term_months,
              set_value("term_months", r.term_months))
        for r in product.rates
    ]  # fmt: skip
    rows: list[ft.Control] = [
        ft.Text(t("term"), size=12, color=ft.Colors.ON_SURFACE_VARIANT),
        ft.Row(terms, wrap=True, spacing=8, run_spacing=8),
        *_down_payment(controller, product),
    ]
    if len(product.methods) > 1:
        rows.append(ft.Row([chip(f"intake-method-{m.value}", t(m.value), form.method == m.value,
                                  set_value("method", m.value)) for m in product.methods],
                           wrap=True, spacing=8))  # fmt: skip
    if len(product.timings) > 1:
        rows.append(ft.Row([chip(f"intake-timing-{x.value}", t(x.value), form.timing == x.value,
                                  set_value("timing", x.value)) for x in product.timings],
                           wrap=True, spacing=8))  # fmt: skip
    if form.method == "balloon":
        rows.append(_amount_field(controller, "intake-balloon", t("balloon"), "balloon"))
        rows.append(_balloon_limit(controller))
    return rows


def _balloon_limit(controller: IntakeController) -> ft.Control:
    """尾款上限 after each quote: the product's share, and no more than the vehicle's predicted
    low value at term end (the server says which applies)."""
    state, t = controller.state, controller.app.t

    def said() -> str:
        limit = state.balloon_limit
        return t("balloon_limit", amount=format_money(limit)) if limit else ""

    text = LabelledText("intake-balloon-limit", said(), size=11,
                        color=ft.Colors.ON_SURFACE_VARIANT)  # fmt: skip
    controller.on_quote.append(lambda: text.set(said()))
    return text.control


def _amount_field(
    controller: IntakeController, identifier: str, label: str, attribute: str
) -> ft.Control:
    state = controller.state
    form = state.product
    field = ft.TextField(
        label=label, value=getattr(form, attribute), keyboard_type=ft.KeyboardType.NUMBER,
        prefix="¥", error=controller.choice_errors().get(attribute),
    )  # fmt: skip
    controller.fields[attribute] = field

    async def changed(e: ft.Event[Any]) -> None:
        setattr(form, attribute, field.value)
        if attribute == "down_payment":
            form.down_payment_auto = False
        state.dirty = True
        controller.show_choice_errors()
        controller.changed()
        controller.quote_later()

    field.on_change = changed
    return tagged(identifier, field)


def _down_payment(controller: IntakeController, product: Product) -> list[ft.Control]:
    """The typed amount, and a slider over the product's band once the price is known."""
    t, state = controller.app.t, controller.state
    advanced = state.finances_receivable
    label = t("down_payment_retained" if advanced else "down_payment")
    field = _amount_field(controller, "intake-down-payment", label, "down_payment")
    band = ft.Text("", size=11, color=ft.Colors.ON_SURFACE_VARIANT, visible=False)
    steps = int(product.max_down_payment_percent - product.min_down_payment_percent)
    slider = ft.Slider(min=0, max=1, value=0, divisions=max(1, steps), visible=False)

    def follow_price() -> None:
        price = parse_amount(state.deal_price)
        band.visible = slider.visible = bool(price)
        if not price:
            return
        low, high = product.down_payment_band(price)
        band.value = (
            t("product_advance_band", low=100 - product.max_down_payment_percent,
              high=100 - product.min_down_payment_percent)
            if advanced
            else t("product_down_band", low=format_money(low), high=format_money(high))
        )  # fmt: skip
        current = parse_amount(state.product.down_payment) or low
        slider.min, slider.max = float(low), float(high)
        slider.value = float(min(max(current, low), high))

    async def slid(e: ft.Event[Any]) -> None:
        price = parse_amount(state.deal_price)
        if not price:
            return
        low, high = product.down_payment_band(price)
        # whole hundreds of yuan inside the band: what a clerk would say to a customer
        value = Decimal(str(slider.value)).quantize(Decimal(100))
        state.product.down_payment = str(min(max(value, low), high))
        state.product.down_payment_auto = False
        controller.fields["down_payment"].value = state.product.down_payment
        state.dirty = True
        controller.show_choice_errors()
        controller.changed()
        controller.quote_later()

    slider.on_change_end = slid
    follow_price()
    controller.on_quote.append(follow_price)  # every quote follows a change of the figures
    return [field, tagged("intake-down-payment-slider", slider), band]


def product_step(controller: IntakeController) -> list[ft.Control]:
    state, t = controller.state, controller.app.t
    controller.fields = {}
    price = ft.TextField(
        label=t("vehicle_price"), value=state.price, keyboard_type=ft.KeyboardType.NUMBER,
        prefix="¥",
    )  # fmt: skip

    async def price_changed(e: ft.Event[Any]) -> None:
        state.set("price", price.value)
        bad = bool(price.value.strip()) and parse_amount(price.value) is None
        price.error = t("invalid_amount") if bad else None
        product = controller.chosen_product()
        if product is not None and not bad:
            state.product.rechoose_down_payment(product, price.value)
            if "down_payment" in controller.fields:
                controller.fields["down_payment"].value = state.product.down_payment
        controller.show_choice_errors()
        controller.changed()
        controller.quote_later()

    price.on_change = price_changed
    if state.is_partner:  # the price is the asset's amount, typed with the asset
        amount = f"{t('asset_amount')}：{format_money(state.asset.amount)}"
        priced: ft.Control = LabelledText("intake-asset-amount", amount, size=14).control
    else:
        priced = tagged("intake-price", price)
    product = controller.chosen_product()
    rows: list[ft.Control] = [
        quote_card(controller),
        priced,
        ft.Text(t("product_title"), size=12, color=ft.Colors.ON_SURFACE_VARIANT),
        *_product_chips(controller, product),
    ]
    if product is not None:
        rows += _choices(controller, product)
    controller.ensure_products()
    if state.quote is None:
        controller.quote_later()
    return rows
