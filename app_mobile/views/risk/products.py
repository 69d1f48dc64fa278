"""Products 金融产品 for the lessor's managers: what is on sale, its terms and rates, its limits;
take one off sale or put it back, with a reason (both audited by the backend)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.i18n import format_percent
from app_mobile.state.ruleset import CHOICE_LABELS
from app_mobile.views.risk.common import muted, screen
from common.api.products import ProductView

if TYPE_CHECKING:
    from app_mobile.shell import App


def _facts(app: App, p: ProductView) -> list[ft.Control]:
    t, d = app.t, p.definition
    terms = " / ".join(
        t("product_term", n=o.term_months, rate=format_percent(o.annual_rate_percent))
        + (f" {t('product_promo')}" if o.promo else "")
        for o in p.terms
    )
    down = t(
        "products_down_band",
        low=format_percent(d.min_down_payment_percent),
        high=format_percent(d.max_down_payment_percent),
    )
    zh = t.language == "zh"
    covers = [t(f"vehicle_{c}") for c in d.conditions] + [
        CHOICE_LABELS[v][0 if zh else 1] for v in d.vehicle_types
    ]
    return [muted(" · ".join([t(d.lease_type), *covers])), muted(terms), muted(down)]


def _card(app: App, p: ProductView, change: Any) -> ft.Control:
    t = app.t
    name = p.definition.name_zh if t.language == "zh" else p.definition.name_en
    status = t("products_retired") if p.retired else t("products_on_sale")
    action = (
        ft.TextButton(t("products_put_back"), icon=ft.Icons.REPLAY, on_click=change(p, "activate"))
        if p.retired
        else ft.TextButton(t("products_retire"), icon=ft.Icons.BLOCK, on_click=change(p, "retire"))
    )
    header = ft.Row(
        [
            ft.Text(name, weight=ft.FontWeight.W_600, expand=True),
            ft.Text(
                f"v{p.active_version} · {status}",
                size=12,
                color=ft.Colors.ON_SURFACE_VARIANT if p.retired else ft.Colors.GREEN_700,
            ),
        ]
    )
    body = ft.Column([header, *_facts(app, p), tagged(f"product-{p.id}-change", action)])
    return tagged(f"product-{p.id}", ft.Card(content=ft.Container(padding=12, content=body)))


async def products_view(app: App) -> ft.View:
    t, page = app.t, app.page
    banner = ErrorBanner()
    listing = ft.Column()

    async def load() -> None:
        try:
            products = await app.api.products(include_retired=True)
        except ApiError as exc:
            banner.show(exc.message(t.language))
            return
        listing.controls = [_card(app, p, change) for p in products] or [muted(t("products_none"))]

    def change(p: ProductView, how: str):  # type: ignore[no-untyped-def]
        async def ask(e: ft.Event[Any]) -> None:
            reason = ft.TextField(label=t("ruleset_reason"), multiline=True, max_lines=3)

            async def confirmed(e: ft.Event[Any]) -> None:
                text = (reason.value or "").strip()
                if not text:
                    reason.error = t("ruleset_reason_needed")
                    reason.update()
                    return
                page.pop_dialog()
                try:
                    if how == "retire":
                        await app.api.retire_product(p.id, text)
                    else:
                        await app.api.activate_product(p.id, p.active_version, text)
                except ApiError as exc:
                    banner.show(exc.message(t.language))
                else:
                    banner.clear()
                    await load()
                page.update()

            async def cancelled(e: ft.Event[Any]) -> None:
                page.pop_dialog()

            title = "products_retire_confirm" if how == "retire" else "products_put_back_confirm"
            page.show_dialog(
                ft.AlertDialog(
                    modal=True,
                    title=ft.Text(t(title)),
                    content=tagged("product-change-reason", reason),
                    actions=[
                        ft.TextButton(t("cancel"), on_click=cancelled),
                        tagged(
                            "product-change-confirm",
                            ft.Button(t("confirm"), on_click=confirmed),
                        ),
                    ],
                )
            )

        return ask

    await load()
    return screen(app, "/risk/products", t("risk_products"), [banner.control, listing])
