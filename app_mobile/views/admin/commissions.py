"""Dealer commission rules 经销商佣金规则 for admins: the rules in force, edited row by row (the
product or every product, a percentage of the financed amount or a fixed amount per lease, the
clawback window) and saved as a new version with a reason; leases funded from then on use it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.state.commission_form import CommissionForm, RuleRow
from app_mobile.views.risk.common import muted, screen
from common.commissions import ANY_PRODUCT, CommissionBasis

if TYPE_CHECKING:
    from app_mobile.shell import App

ROUTE = "/admin/commissions"


def commissions_entry(app: App) -> ft.Control:
    t = app.t

    async def open_it(e: ft.Event[Any]) -> None:
        await app.go(ROUTE)

    return tagged("admin-commissions", ft.Card(content=ft.ListTile(
        leading=ft.Icon(ft.Icons.PERCENT), title=ft.Text(t("commissions_title")),
        subtitle=ft.Text(t("commissions_hint"), size=12), on_click=open_it)))  # fmt: skip


def _row_controls(app: App, form: CommissionForm, k: int, row: RuleRow,
                  products: dict[str, str], redraw: Any) -> ft.Control:  # fmt: skip
    t = app.t

    def set_(name: str) -> Any:
        async def changed(e: ft.Event[Any]) -> None:
            setattr(row, name, e.control.value or "")
            if name == "basis":
                redraw()

        return changed

    async def remove(e: ft.Event[Any]) -> None:
        form.remove(k)
        redraw()

    options = [ft.DropdownOption(key=ANY_PRODUCT, text=t("dealer_any_product"))]
    options += [ft.DropdownOption(key=pid, text=name) for pid, name in products.items()]
    percent = row.basis == CommissionBasis.PERCENT.value
    value = tagged(f"commission-value-{k}", ft.TextField(
        label=t("commissions_value_percent" if percent else "commissions_value_fixed"),
        value=row.value, on_change=set_("value"), suffix="%" if percent else "元"))  # fmt: skip
    value.expand = True  # the wrapper, not the field, is the row's child
    return tagged(f"commission-rule-{k}", ft.Container(content=ft.Column([
        ft.Row([ft.Dropdown(label=t("commissions_product"), value=row.product_id or None,
                            options=options, on_select=set_("product_id"), expand=True),
                ft.IconButton(ft.Icons.DELETE_OUTLINE, tooltip=t("commissions_remove"),
                              on_click=remove)]),
        ft.Row([
            ft.Dropdown(label=t("commissions_basis"), value=row.basis, width=150,
                        on_select=set_("basis"), options=[
                            ft.DropdownOption(key="percent", text=t("commissions_percent")),
                            ft.DropdownOption(key="fixed", text=t("commissions_fixed"))]),
            value,
        ]),
        ft.Row([
            ft.TextField(label=t("commissions_months"), value=row.clawback_months,
                         on_change=set_("clawback_months"), expand=True),
            ft.TextField(label=t("commissions_days"), value=row.clawback_days_past_due,
                         on_change=set_("clawback_days_past_due"), expand=True),
        ]),
    ], spacing=8), padding=10, border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT),
        border_radius=8))  # fmt: skip


async def commissions_view(app: App) -> ft.View:
    t, page = app.t, app.page
    banner = ErrorBanner()
    try:
        current = await app.api.commission_rules()
        products = {p.id: p.definition.name_zh for p in await app.api.products()}
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, ROUTE, t("commissions_title"), [banner.control])
    form = CommissionForm.of(current.rules)
    version = muted(t("commissions_version", n=current.version) if current.version
                    else t("dealer_no_rules"))  # fmt: skip
    rows = ft.Column(spacing=10)
    reason = ft.TextField(label=t("ruleset_reason"), multiline=True, max_lines=3)

    def redraw() -> None:
        rows.controls = [_row_controls(app, form, k, r, products, redraw)
                         for k, r in enumerate(form.rows)]  # fmt: skip
        page.update()

    async def add(e: ft.Event[Any]) -> None:
        form.add()
        redraw()

    async def save(e: ft.Event[Any]) -> None:
        form.reason = reason.value or ""
        body, wrong = form.body()
        if body is None:
            banner.show(t("commissions_wrong", fields="、".join(sorted(wrong))))
            page.update()
            return
        try:
            saved = await app.api.save_commission_rules(body)
        except ApiError as exc:
            banner.show(exc.message(t.language))
        else:
            version.value = t("commissions_version", n=saved.version)
            banner.show(t("commissions_saved", n=saved.version), success=True)
        page.update()

    rows.controls = [_row_controls(app, form, k, r, products, redraw)
                     for k, r in enumerate(form.rows)]  # fmt: skip
    return screen(app, ROUTE, t("commissions_title"), [
        banner.control, version, rows,
        tagged("commission-add", ft.TextButton(t("commissions_add"), icon=ft.Icons.ADD,
                                               on_click=add)),
        reason,
        tagged("commission-save", ft.Button(t("commissions_save"), icon=ft.Icons.SAVE,
                                            on_click=save)),
    ])  # fmt: skip
