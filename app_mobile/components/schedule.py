"""The repayment schedule 还款计划 as a compact table: number, due date, rent, principal,
interest, balance — what a clerk reads out to the customer."""

from __future__ import annotations

import flet as ft

from app_mobile.components.widgets import tagged
from app_mobile.i18n import Translator, format_date, format_money
from common.api.quotes import QuoteResponse


def schedule_lines(quote: QuoteResponse) -> list[str]:
    """One line per instalment (also the table's accessibility label)."""
    return [
        f"{i.number} {format_date(i.due_date)} {format_money(i.amount_due)}"
        for i in quote.instalments
    ]


def schedule_table(quote: QuoteResponse, t: Translator) -> ft.Control:
    headings = ("schedule_no", "schedule_due", "schedule_amount", "schedule_principal",
                "schedule_interest", "schedule_balance")  # fmt: skip
    table = ft.DataTable(
        columns=[ft.DataColumn(label=ft.Text(t(h), size=12)) for h in headings],
        rows=[
            ft.DataRow(
                cells=[
                    ft.DataCell(ft.Text(str(i.number), size=12)),
                    ft.DataCell(ft.Text(format_date(i.due_date), size=12)),
                    ft.DataCell(ft.Text(format_money(i.amount_due), size=12)),
                    ft.DataCell(ft.Text(format_money(i.principal), size=12)),
                    ft.DataCell(ft.Text(format_money(i.interest), size=12)),
                    ft.DataCell(ft.Text(format_money(i.balance), size=12)),
                ]
            )
            for i in quote.instalments
        ],
        column_spacing=14,
        data_row_min_height=28,
        data_row_max_height=32,
        heading_row_height=32,
    )
    scroller = ft.Row([table], scroll=ft.ScrollMode.AUTO)  # wider than a phone: scrolls sideways
    return tagged("application-schedule", scroller, label=" ; ".join(schedule_lines(quote)))
