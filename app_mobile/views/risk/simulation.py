"""Simulation results 模拟结果: how many outcomes change, approval rate before/after, the cases."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.components import figure, tagged
from app_mobile.components.decision import coded_text
from app_mobile.state.labels import Vocabulary
from app_mobile.views.risk.common import heading, muted
from common.api.risk import ChangedCaseView, SimulationView

if TYPE_CHECKING:
    from app_mobile.shell import App

HALF_THEN_QUARTER: dict[str | ft.ResponsiveRowBreakpoint, int | float] = {"xs": 6, "md": 3}


def share_percent(share: str) -> str:
    """0.7500 -> 75.0%; exact, from the decimal string."""
    try:
        return f"{(Decimal(share) * 100).quantize(Decimal('0.1'))}%"
    except ArithmeticError:
        return share


def case_title(case: ChangedCaseView) -> str:
    """Whose case: 张*三 · 上汽大众 朗逸 2021 (never the raw id, unless nothing else is known)."""
    vehicle = " ".join(
        str(x) for x in (case.maker, case.model_name, case.model_year) if x is not None
    )
    return " · ".join(x for x in (case.customer_name, vehicle) if x) or case.application_id[:8]


def simulation_panel(
    app: App, sim: SimulationView, ruleset: dict[str, Any] | None = None
) -> list[ft.Control]:
    """The figures and the changed cases; reason codes named through the rule set's texts."""
    t = app.t
    words = Vocabulary(ruleset, t.language)
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
    for i, c in enumerate(sim.changed[:50]):
        change = (
            f"{t(f'outcome_{c.before}')} → {t(f'outcome_{c.after}')}"
            f"  ({c.score_before} → {c.score_after})"
        )
        reasons = [words.reason(r) for r in c.reasons_after]
        lines: list[ft.Control] = [
            ft.Text(case_title(c), size=13, weight=ft.FontWeight.W_600, selectable=True),
            muted(change, 13),
            *(coded_text(r, 12, prefix="    • ") for r in reasons),
        ]
        label = " ".join([case_title(c), change, *(r.plain() for r in reasons)])
        cases.append(tagged(f"sim-case-{i}", ft.Column(lines, spacing=1), label=label))
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
