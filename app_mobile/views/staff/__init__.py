"""Shop staff 门店业务员: home, the intake wizard, my applications, and the GPS terminal
installed on an active contract's vehicle."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from app_mobile.views.staff.applications import application_view, applications_view
from app_mobile.views.staff.home import home_view

if TYPE_CHECKING:
    from app_mobile.shell import App

__all__ = ["home_view", "screen_for"]

NEW_INTAKE_ROUTES = ("/intake", "/intake/vehicle")


async def screen_for(app: App, route: str) -> ft.View | None:
    """The screen above the staff home for `route`, or None for the home itself."""
    if route == "/applications":
        return await applications_view(app)
    if route.startswith("/applications/"):
        return await application_view(app, route.removeprefix("/applications/"))
    if route.startswith("/contracts/") and route.endswith("/terminals"):
        from app_mobile.views.monitor.setup import terminals_view

        return await terminals_view(app, route.split("/")[2])
    if route.startswith("/intake"):
        from app_mobile.views.staff.intake.controller import IntakeController

        if app.intake is None:
            app.intake = await IntakeController.resume(app)
        if route in NEW_INTAKE_ROUTES and app.intake.submitted():
            # a submitted application is finished: /intake starts the next one, while
            # /intake/result still shows the decision
            app.intake = await IntakeController.start_new(app)
        return await app.intake.view_for(route)
    return None
