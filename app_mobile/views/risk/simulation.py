"""Simulation results 模拟结果: how many outcomes change, approval rate before/after, the cases."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import flet as ft

from app_mobile.components import figure, tagged
from app_mobile.views.risk.common import heading, muted
from common.api.risk import SimulationView

if TYPE_CHECKING:
    from app_mobile.shell import App

HALF_THEN_QUARTER: dict[str | ft.ResponsiveRowBreakpoint, int | float] = {"xs": 6, "md": 3}


def share_percent(share: str) -> str:
    """0.7500 -> 75.0%; exact, from the decimal string."""
    try:
        return f"{(Decimal(share) * 100).quantize(Decimal('0.1'))}%"
    except ArithmeticError:
        return share


def simulation_panel(
    app: App, sim: SimulationView, reasons: dict[str, dict[str, str]] | None = None
) -> list[ft.Control]:
    """The figures and the changed cases; reason codes read through the rule set's texts."""
    t = app.t
    key = "zh" if t.language == "zh" else "en"
    words = {code: text.get(key, code) for code, text in (reasons or {}).items()}
    figures: list[ft.Control] = [
        figure(t("sim_total"), str(sim.total), "sim-total"),
        figure(
            t("sim_changed"), str(sim.changed_count), "sim-changed", colour=ft.Colors.ORANGE_900
        ),
        figure(t("sim_rate_before"), share_percent(sim.approval_rate_before), "sim-rate-before"),
        figure(
            t("sim_rate_after"),
            share_percent(sim.approval_rate_after),
            "sim-rate-after",
            colour=ft.Colors.INDIGO,
        ),
    ]
    for f in figures:
        f.col = HALF_THEN_QUARTER
    cases: list[ft.Control] = []
    for c in sim.changed[:50]:
        line = (
            f"{c.application_id[:8]}  {t(f'outcome_{c.before}')} → {t(f'outcome_{c.after}')}"
            f"  ({c.score_before} → {c.score_after})"
        )
        why = "、".join(words.get(r, r) for r in c.reasons_after)
        cases.append(ft.Text(line, size=13, selectable=True))
        if why:
            cases.append(muted(f"    {why}", 12))
    if not cases:
        cases = [muted(t("sim_no_changes"))]
    label = (
        f"{sim.total} {sim.changed_count} {share_percent(sim.approval_rate_before)} "
        f"{share_percent(sim.approval_rate_after)}"
    )
    body = ft.Column(
        [heading(t("sim_title", a=sim.active_version)), ft.ResponsiveRow(figures), *cases],
        spacing=6,
    )
    card = ft.Card(content=ft.Container(padding=12, content=body))
    return [tagged("ruleset-simulation", card, label=label)]
