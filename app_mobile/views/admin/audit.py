"""The admin's audit card: verify the hash-chained audit log now and see the newest checkpoint."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import tagged
from app_mobile.components.widgets import action_card
from app_mobile.state.audit import audit_lines

if TYPE_CHECKING:
    from app_mobile.shell import App


def audit_card(app: App) -> ft.Control:
    t = app.t
    result = ft.Column(spacing=4)

    async def verify(e: ft.Event[Any]) -> None:
        try:
            verification = await app.api.verify_audit()
            checkpoint = await app.api.latest_checkpoint()
        except ApiError as exc:
            result.controls = [ft.Text(exc.message(t.language), color=ft.Colors.RED_700)]
        else:
            colour = ft.Colors.GREEN_800 if verification.ok else ft.Colors.RED_700
            lines = audit_lines(verification, checkpoint, t)
            result.controls = [
                tagged("audit-result", ft.Text(lines[0], color=colour), label=lines[0]),
                *(ft.Text(line, size=13) for line in lines[1:]),
            ]
        result.update()

    button = ft.Button(t("audit_verify"), icon=ft.Icons.VERIFIED_USER, on_click=verify)
    return action_card(t("audit_title"), t("audit_hint"), tagged("audit-verify", button), result)
