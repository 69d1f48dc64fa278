"""Screens, one package per role plus sign-in; `views_for` is the router's table."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from app_mobile.views import admin, assistant, dealer, funder, lessee, monitor, oem, risk, staff
from app_mobile.views.auth import login_view
from common.api.auth import Role

if TYPE_CHECKING:
    from app_mobile.shell import App

HOMES = {
    Role.STAFF: staff.home_view,
    Role.DEALER_ADMIN: dealer.home_view,  # its account, and its staff's applications
    Role.LESSEE: lessee.home_view,
    Role.RISK_OFFICER: risk.home_view,
    Role.MONITOR: monitor.home_view,
    Role.ADMIN: admin.home_view,
    Role.FUNDER: funder.home_view,  # its portfolio
    Role.OEM: oem.home_view,  # its dealer network
}


async def views_for(app: App, route: str) -> list[ft.View]:
    if route == assistant.CHAT_ROUTE:  # everyone's, a visitor's too
        base = login_view(app) if app.user is None else await HOMES[app.user.role](app)
        return [base, assistant.chat_view(app)]
    if route == "/login" or app.user is None:
        return [login_view(app)]
    home = await HOMES[app.user.role](app)
    if route.startswith(assistant.INBOX_ROUTE):
        tops = await assistant.screens_for(app, route)
        if tops:
            return [home, *tops]
    if app.user.role == Role.DEALER_ADMIN and route.startswith("/dealer/"):
        top = await dealer.screen_for(app, route)
        if top is not None:
            return [home, top]
    if app.user.role == Role.FUNDER and route.startswith("/funder/"):
        top = await funder.screen_for(app, route)
        if top is not None:
            return [home, top]
    if app.user.role == Role.DEALER_ADMIN and route.startswith("/floorplan"):
        from app_mobile.views.dealer.floorplan import screens_for as floorplan_screens

        tops = await floorplan_screens(app, route)
        if tops:
            return [home, *tops]
    if app.user.role in (Role.STAFF, Role.DEALER_ADMIN):
        top = await staff.screen_for(app, route)
        if top is not None:
            return [home, top]
    if app.user.role in (Role.MONITOR, Role.ADMIN) and (
        route.startswith(("/collections/", "/alerts/"))
        or route.endswith(("/timeline", "/terminals", "/plan"))
    ):
        top = await monitor.screen_for(app, route)
        if top is not None:
            return [home, top]
    if app.user.role == Role.LESSEE and (route.startswith("/payments/") or route == "/reminders"):
        top = await lessee.screen_for(app, route)
        if top is not None:
            return [home, top]
    if app.user.role in (Role.LESSEE, Role.ADMIN, Role.MONITOR) and route.startswith("/contracts/"):
        top = await lessee.screen_for(app, route)
        if top is not None:
            return [home, top]
    if app.user.role == Role.ADMIN and route.startswith("/admin/"):
        tops = await admin.screens_for(app, route)
        if tops:
            return [home, *tops]
    if app.user.role in (Role.RISK_OFFICER, Role.ADMIN) and route.startswith("/risk/"):
        return [home, *await risk.screens_for(app, route)]
    return [home]
