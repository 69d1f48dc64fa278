"""Home of the risk role: the account for now; its features arrive in later issues."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from app_mobile.views.account import later_home

if TYPE_CHECKING:
    from app_mobile.shell import App


async def home_view(app: App) -> ft.View:
    return later_home(app)
