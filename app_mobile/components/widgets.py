"""Small widgets shared by every screen."""

from __future__ import annotations

import flet as ft

from app_mobile.i18n import Translator

STATUS_COLOURS = {
    "draft": ft.Colors.GREY_600,
    "submitted": ft.Colors.BLUE_700,
    "in_review": ft.Colors.ORANGE_800,
    "approved": ft.Colors.GREEN_700,
    "declined": ft.Colors.RED_700,
    "withdrawn": ft.Colors.GREY_700,
}


def tagged(identifier: str, control: ft.Control, label: str | None = None) -> ft.Semantics:
    """Give a control a stable test identifier (flt-semantics-identifier on the web)."""
    return ft.Semantics(identifier=identifier, label=label, content=control)


class LabelledText:
    """A text whose words are also its accessibility label (what screen readers and tests read)."""

    def __init__(self, identifier: str, value: str, **style: object) -> None:
        self.text = ft.Text(value, **style)  # type: ignore[arg-type]
        self.control = ft.Semantics(identifier=identifier, label=value, content=self.text)

    def set(self, value: str) -> None:
        self.text.value = value
        self.control.label = value


def field_with_id(identifier: str, field: ft.TextField) -> ft.Semantics:
    return tagged(identifier, field)


class ErrorBanner:
    """A red strip at the top of a screen that says, in the current language, what went wrong."""

    def __init__(self) -> None:
        self.text = ft.Text("", color=ft.Colors.ERROR, size=14, expand=True)
        self.icon = ft.Icon(ft.Icons.ERROR_OUTLINE, color=ft.Colors.ERROR)
        self.success = False
        self.box = ft.Container(
            content=ft.Row([self.icon, self.text], vertical_alignment=ft.CrossAxisAlignment.START),
            bgcolor=ft.Colors.with_opacity(0.12, ft.Colors.RED),
            border_radius=8,
            padding=10,
        )
        self.control = tagged("error-banner", self.box)
        self.control.visible = False

    @property
    def shown(self) -> bool:
        return bool(self.control.visible)

    def show(self, message: str, *, success: bool = False) -> None:
        """An error by default; ``success`` says that something went well (green, a tick)."""
        self.success = success
        colour = ft.Colors.GREEN_600 if success else ft.Colors.ERROR
        self.text.value, self.text.color = message, colour
        self.icon.icon = ft.Icons.CHECK_CIRCLE_OUTLINE if success else ft.Icons.ERROR_OUTLINE
        self.icon.color = colour
        self.box.bgcolor = ft.Colors.with_opacity(
            0.12, ft.Colors.GREEN if success else ft.Colors.RED
        )
        self.control.label = message
        self.control.visible = bool(message)

    def clear(self) -> None:
        self.show("")


def figure(
    label: str, value: str, identifier: str, *, size: int = 20, colour: str | None = None
) -> ft.Control:
    """A labelled figure such as the monthly rent; the text carries the identifier."""
    return ft.Column(
        [
            ft.Text(label, size=12, color=ft.Colors.ON_SURFACE_VARIANT),
            LabelledText(
                identifier, value or "—", size=size, weight=ft.FontWeight.BOLD, color=colour
            ).control,
        ],
        spacing=2,
    )


def status_chip(status: str, t: Translator, identifier: str | None = None) -> ft.Control:
    chip = ft.Container(
        content=ft.Text(t(f"status_{status}"), color=ft.Colors.WHITE, size=13),
        bgcolor=STATUS_COLOURS.get(status, ft.Colors.GREY_600),
        border_radius=12,
        padding=ft.Padding.symmetric(horizontal=10, vertical=4),
    )
    return tagged(identifier, chip, label=t(f"status_{status}")) if identifier else chip


def action_card(title: str, hint: str, action: ft.Control, result: ft.Control) -> ft.Control:
    """A card that does one thing on demand (verify the audit log, show the trial balance): a
    title, a line saying what it does, its button, and where the outcome appears."""
    return ft.Card(
        content=ft.Container(
            padding=16,
            content=ft.Column(
                [
                    ft.Text(title, size=16, weight=ft.FontWeight.W_600),
                    ft.Text(hint, size=13, color=ft.Colors.ON_SURFACE_VARIANT),
                    action,
                    result,
                ],
                spacing=8,
            ),
        )
    )
