"""One financed vehicle's card 融资车辆: VIN, model and payee, age and principal left, interest,
the next curtailment and what is due, the payoff amount — or the day it was paid off — with the
actions the screen gives it (pay off, pay the curtailment due)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from app_mobile.components import LabelledText, tagged
from app_mobile.i18n import format_date, format_money
from app_mobile.views.risk.common import muted
from common.api.floorplan import UnitView

if TYPE_CHECKING:
    from app_mobile.shell import App


def unit_card(app: App, unit: UnitView, actions: list[ft.Control]) -> ft.Control:
    t = app.t
    status = LabelledText(
        f"fp-unit-status-{unit.vin}",
        t(f"fp_status_{unit.status}"),
        size=12,
        color=ft.Colors.RED_800 if unit.status == "sold_out_of_trust" else None,
    )
    lines: list[ft.Control] = [
        ft.Row([ft.Text(unit.vin, size=15, weight=ft.FontWeight.W_600, expand=True),
                status.control]),
        muted(f"{unit.model} · {unit.payee}", 12),
        ft.Text(t("fp_unit_line", days=unit.age_days,
                  principal=format_money(unit.principal_left)), size=13),
    ]  # fmt: skip
    if unit.status == "paid_off":
        lines.append(muted(t("fp_paid_off_on", date=format_date(unit.paid_off_on))))
    else:
        lines.append(ft.Text(t("fp_interest", amount=format_money(unit.interest_accrued)), size=13))
        if unit.next_curtailment_on:
            due_on = format_date(unit.next_curtailment_on)
            due = format_money(unit.next_curtailment_amount)
            lines.append(ft.Text(t("fp_next_curtailment", date=due_on, amount=due), size=13))
        if unit.curtailment_due != "0.00":
            lines.append(ft.Text(t("fp_curtailment_due", amount=format_money(unit.curtailment_due),
                                   overdue=format_money(unit.overdue)),
                                 color=ft.Colors.ORANGE_900, size=13))  # fmt: skip
        lines.append(LabelledText(f"fp-payoff-amount-{unit.vin}", t(
            "fp_payoff_amount", amount=format_money(unit.payoff_amount)), size=14,
            weight=ft.FontWeight.W_600).control)  # fmt: skip
    if actions:
        lines.append(ft.Row(actions, wrap=True, spacing=8))
    body = ft.Container(ft.Column(lines, spacing=4), padding=12)
    return tagged(f"fp-unit-{unit.vin}", ft.Card(content=body))
