"""What the risk screens share: the per-session editor state and the page frame."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

import flet as ft

from app_mobile.state.extension_rules import ExtensionRulesForm
from app_mobile.state.ruleset import RuleSetForm
from app_mobile.views.account import app_bar
from common.api.risk import SimulationView
from common.api.servicing import ExtensionSimulationView

if TYPE_CHECKING:
    from app_mobile.shell import App

WIDE: dict[str | ft.ResponsiveRowBreakpoint, int | float] = {
    "xs": 12,
    "md": 6,
    "xl": 4,
}  # ResponsiveRow columns: one on a phone, two or three wider


@dataclass
class RiskSession:
    """What the risk screens keep between rebuilds of one person's session."""

    form: RuleSetForm | None = None  # the version open in the editor, with unsaved edits
    section: str = "params"  # params | rules | tables
    simulation: SimulationView | None = None
    notice: str = ""  # a one-off success line for the next build
    problems: list[str] = field(default_factory=list)  # field messages of the last save
    # the extension rules 展期规则 being edited into the next version, and their simulation
    extension_form: ExtensionRulesForm | None = None
    extension_simulation: ExtensionSimulationView | None = None
    extension_problems: list[str] = field(default_factory=list)


_SESSIONS: WeakKeyDictionary[App, RiskSession] = WeakKeyDictionary()


def risk_session(app: App) -> RiskSession:
    session = _SESSIONS.get(app)
    if session is None:
        session = _SESSIONS[app] = RiskSession()
    return session


def screen(app: App, route: str, title: str, controls: list[ft.Control]) -> ft.View:
    shown: list[ft.BaseControl] = [*controls]
    return ft.View(
        route=route,
        appbar=app_bar(app, title),
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        scroll=ft.ScrollMode.AUTO,
        controls=shown,
    )


def heading(text: str) -> ft.Control:
    return ft.Text(text, size=16, weight=ft.FontWeight.W_600)


def muted(text: str, size: int = 13) -> ft.Text:
    return ft.Text(text, size=size, color=ft.Colors.ON_SURFACE_VARIANT)
