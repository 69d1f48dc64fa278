"""The admin's books 账务: the trial balance of the ledger (debits equal credits) and the
contracts on the books."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import tagged
from app_mobile.components.widgets import action_card
from app_mobile.i18n import format_money

if TYPE_CHECKING:
    from app_mobile.shell import App


def ledger_card(app: App) -> ft.Control:
    t = app.t
    result = ft.Column(spacing=4)

    async def show(e: ft.Event[Any]) -> None:
        try:
            tb = await app.api.trial_balance()
        except ApiError as exc:
            result.controls = [ft.Text(exc.message(t.language), color=ft.Colors.RED_700)]
            result.update()
            return
        verdict = t("ledger_balanced") if tb.balanced else t("ledger_unbalanced")
        colour = ft.Colors.GREEN_800 if tb.balanced else ft.Colors.RED_700
        table = ft.DataTable(
            columns=[
                ft.DataColumn(label=ft.Text(t(h), size=12))
                for h in ("ledger_account", "ledger_debit", "ledger_credit")
            ],
            rows=[
                ft.DataRow(
                    cells=[
                        ft.DataCell(ft.Text(r.label, size=12)),
                        ft.DataCell(ft.Text(format_money(r.debit), size=12)),
                        ft.DataCell(ft.Text(format_money(r.credit), size=12)),
                    ]
                )
                for r in tb.rows
                if r.debit != r.credit or r.balance
            ],
            column_spacing=12,
            data_row_min_height=28,
            data_row_max_height=32,
            heading_row_height=32,
        )
        totals = t("ledger_totals", debit=format_money(tb.total_debit),
                   credit=format_money(tb.total_credit))  # fmt: skip
        result.controls = [
            tagged("ledger-result", ft.Text(verdict, color=colour), label=verdict),
            ft.Text(totals, size=13),
            ft.Row([table], scroll=ft.ScrollMode.AUTO),
        ]
        result.update()

    button = ft.Button(t("ledger_show"), icon=ft.Icons.BALANCE, on_click=show)
    return action_card(t("ledger_title"), t("ledger_hint"), tagged("ledger-show", button), result)
