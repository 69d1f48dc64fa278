"""Contract templates 合同模板 for admins: the clauses of the template in use for a product family
(the vehicle leases' unless another is picked), edited in place and saved as a new version with a
reason (the server refuses one that would not render)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.state.template_form import TemplateForm
from app_mobile.views.risk.common import heading, muted, screen
from common.contract_document import LEASE_TYPES
from common.contract_templates import CLAUSE_CONDITIONS, COMMON_SECTION
from common.products import FAMILY_NAMES, ProductFamily

if TYPE_CHECKING:
    from app_mobile.shell import App

ROUTE = "/admin/templates"  # the vehicle leases'; another family's is ROUTE/<family>


def family_route(family: ProductFamily) -> str:
    return ROUTE if family is ProductFamily.VEHICLE else f"{ROUTE}/{family.value}"


def templates_entry(app: App) -> ft.Control:
    t = app.t

    async def open_it(e: ft.Event[Any]) -> None:
        await app.go(ROUTE)

    return tagged("admin-templates", ft.Card(content=ft.ListTile(
        leading=ft.Icon(ft.Icons.ARTICLE), title=ft.Text(t("templates_title")),
        subtitle=ft.Text(t("templates_hint"), size=12), on_click=open_it)))  # fmt: skip


async def templates_view(app: App, family: ProductFamily = ProductFamily.VEHICLE) -> ft.View:
    t, page = app.t, app.page
    route = family_route(family)
    banner = ErrorBanner()
    try:
        form = TemplateForm(await app.api.contract_template(family.value))
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("templates_title"), [banner.control])

    async def pick(e: ft.Event[Any]) -> None:
        await app.go(family_route(ProductFamily(e.control.value)))

    zh = t.language == "zh"
    families = tagged("template-family", ft.Dropdown(
        label=t("templates_family"), value=family.value, on_select=pick,
        options=[ft.DropdownOption(key=f.value, text=names[0] if zh else names[1])
                 for f, names in FAMILY_NAMES.items()]))  # fmt: skip
    version = muted(t("templates_version", id=form.template.id, n=form.template.version))
    title = ft.TextField(label=t("templates_name"), value=form.title)
    reason = ft.TextField(label=t("ruleset_reason"), multiline=True, max_lines=3)

    def typed(section: str, index: int):  # type: ignore[no-untyped-def]
        async def changed(e: ft.Event[Any]) -> None:
            form.edit(section, index, e.control.value or "")

        return changed

    sections: list[ft.Control] = []
    for section, rows in form.template.clauses.items():
        name = (
            t("templates_common")
            if section == COMMON_SECTION
            else LEASE_TYPES.get(section, section)
        )
        sections.append(heading(name))
        for i, clause in enumerate(rows):
            label = clause.heading
            if clause.when:  # e.g. the revenue-sharing clause: only where the product shares
                feature = CLAUSE_CONDITIONS.get(clause.when, clause.when)
                label += t("templates_when", feature=feature)
            sections.append(tagged(f"template-{section}-{i}", ft.TextField(
                label=label, value=clause.body, multiline=True, min_lines=2,
                max_lines=8, on_change=typed(section, i))))  # fmt: skip

    async def save(e: ft.Event[Any]) -> None:
        form.title, form.reason = title.value or "", reason.value or ""
        if not form.reason.strip():
            reason.error = t("ruleset_reason_needed")
            page.update()
            return
        try:
            saved = await app.api.save_contract_template(form.request())
        except ApiError as exc:
            banner.show(exc.message(t.language))
        else:
            banner.show(t("templates_saved", n=saved.version), success=True)
        page.update()

    button = tagged("template-save", ft.Button(t("templates_save"), icon=ft.Icons.SAVE,
                                               on_click=save))  # fmt: skip
    controls = [banner.control, families, version, title, *sections, reason, button]
    return screen(app, route, t("templates_title"), controls)
