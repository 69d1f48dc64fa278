"""Home of the admin role 管理后台: the audit log's integrity, the books (trial balance), the
contracts, commission rules, the dealers' floor-plan lines, the revenue-share reports, and the
risk console (admins may manage rules and reviews too)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from app_mobile.views.account import account_card, app_bar
from app_mobile.views.admin.audit import audit_card
from app_mobile.views.admin.commissions import ROUTE as COMMISSIONS_ROUTE
from app_mobile.views.admin.commissions import commissions_entry, commissions_view
from app_mobile.views.admin.floorplan import ROUTE as FLOORPLAN_ROUTE
from app_mobile.views.admin.floorplan import (
    floorplan_admin_entry,
    floorplan_admin_view,
    floorplan_dealer_view,
)
from app_mobile.views.admin.knowledge import ROUTE as KNOWLEDGE_ROUTE
from app_mobile.views.admin.knowledge import knowledge_entry, knowledge_view, topic_view
from app_mobile.views.admin.ledger import ledger_card
from app_mobile.views.admin.payment_exceptions import ROUTE as EXCEPTIONS_ROUTE
from app_mobile.views.admin.payment_exceptions import (
    payment_exceptions_entry,
    payment_exceptions_view,
)
from app_mobile.views.admin.reconciliation import reconciliation_card
from app_mobile.views.admin.revenue import ROUTE as REVENUE_ROUTE
from app_mobile.views.admin.revenue import revenue_entry, revenue_overview_view
from app_mobile.views.admin.templates import ROUTE as TEMPLATES_ROUTE
from app_mobile.views.admin.templates import templates_entry, templates_view
from common.products import ProductFamily

if TYPE_CHECKING:
    from app_mobile.shell import App


async def home_view(app: App) -> ft.View:
    from app_mobile.views.contracts import contracts_section
    from app_mobile.views.risk.home import risk_entries

    return ft.View(
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        route="/home",
        appbar=app_bar(app, app.t("admin_console"), home=True),
        scroll=ft.ScrollMode.AUTO,
        controls=[
            account_card(app),
            audit_card(app),
            ledger_card(app),
            reconciliation_card(app),
            payment_exceptions_entry(app),
            templates_entry(app),
            commissions_entry(app),
            floorplan_admin_entry(app),
            revenue_entry(app),
            knowledge_entry(app),
            *await contracts_section(app, heading_key="book_contracts"),
            *risk_entries(app),
        ],
    )


async def screens_for(app: App, route: str) -> list[ft.View]:
    """The screens above the home for an admin's route (a dealer's floor plan sits on the list)."""
    if route.startswith(FLOORPLAN_ROUTE + "/"):
        dealer_id = route.removeprefix(FLOORPLAN_ROUTE + "/")
        return [await floorplan_admin_view(app), await floorplan_dealer_view(app, dealer_id)]
    if route.startswith(TEMPLATES_ROUTE + "/"):  # a partner family's template
        family = route.removeprefix(TEMPLATES_ROUTE + "/")
        if family in {f.value for f in ProductFamily}:
            return [await templates_view(app, ProductFamily(family))]
        return []
    if route.startswith(KNOWLEDGE_ROUTE + "/"):
        topic_id = route.removeprefix(KNOWLEDGE_ROUTE + "/")
        return [await knowledge_view(app), await topic_view(app, topic_id)]
    top = await screen_for(app, route)
    return [] if top is None else [top]


async def screen_for(app: App, route: str) -> ft.View | None:
    if route == EXCEPTIONS_ROUTE:
        return await payment_exceptions_view(app)
    if route == COMMISSIONS_ROUTE:
        return await commissions_view(app)
    if route == FLOORPLAN_ROUTE:
        return await floorplan_admin_view(app)
    if route == KNOWLEDGE_ROUTE:
        return await knowledge_view(app)
    if route == REVENUE_ROUTE:
        return await revenue_overview_view(app)
    return await templates_view(app) if route == TEMPLATES_ROUTE else None
