"""Contract templates 合同模板 for admins: the clauses of the template in use, edited in place and
saved as a new version with a reason (the server refuses one that would not render)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.state.template_form import TemplateForm
from app_mobile.views.risk.common import heading, muted, screen
from common.contract_document import LEASE_TYPES
from common.contract_templates import COMMON_SECTION

if TYPE_CHECKING:
    from app_mobile.shell import App

ROUTE = "/admin/templates"


def templates_entry(app: App) -> ft.Control:
    t = app.t

    async def open_it(e: ft.Event[Any]) -> None:
        await app.go(ROUTE)

    return tagged("admin-templates", ft.Card(content=ft.ListTile(
        leading=ft.Icon(ft.Icons.ARTICLE), title=ft.Text(t("templates_title")),
        subtitle=ft.Text(t("templates_hint"), size=12), on_click=open_it)))  # fmt: skip


async def templates_view(app: App) -> ft.View:
    t, page = app.t, app.page
    banner = ErrorBanner()
    try:
        form = TemplateForm(await app.api.contract_template())
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, ROUTE, t("templates_title"), [banner.control])
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
            sections.append(tagged(f"template-{section}-{i}", ft.TextField(
                label=clause.heading, value=clause.body, multiline=True, min_lines=2,
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
    return screen(app, ROUTE, t("templates_title"),
                  [banner.control, version, title, *sections, reason, button])  # fmt: skip
