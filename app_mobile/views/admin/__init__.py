"""Home of the admin role: the account, and the risk console (admins may manage rules too)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from app_mobile.views.account import later_home

if TYPE_CHECKING:
    from app_mobile.shell import App


async def home_view(app: App) -> ft.View:
    from app_mobile.views.risk.home import risk_entries

    view = later_home(app)
    view.controls.extend(risk_entries(app))
    return view
