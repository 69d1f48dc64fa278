"""The repayment schedule 还款计划 as a compact table: number, due date, rent, principal,
interest, balance — what a clerk reads out to the customer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol

import flet as ft

from app_mobile.components.widgets import tagged
from app_mobile.i18n import Translator, format_date, format_money
from common.api.quotes import QuoteResponse


def schedule_lines(quote: QuoteResponse) -> list[str]:
    """One line per instalment (also the table's accessibility label)."""
    return [_line(i) for i in quote.instalments]


def _line(i: Line) -> str:
    return f"{i.number} {format_date(i.due_date)} {format_money(i.amount_due)}"


class Line(Protocol):
    """What a table row shows: a quote's instalment or a contract's booked one."""

    @property
    def number(self) -> int: ...
    @property
    def due_date(self) -> date: ...
    @property
    def amount_due(self) -> Decimal | str: ...
    @property
    def principal(self) -> Decimal | str: ...
    @property
    def interest(self) -> Decimal | str: ...
    @property
    def balance(self) -> Decimal | str: ...


def schedule_table(quote: QuoteResponse, t: Translator) -> ft.Control:
    return instalment_table(quote.instalments, t, "application-schedule")


def instalment_table(lines: Sequence[Line], t: Translator, identifier: str) -> ft.Control:
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
            for i in lines
        ],
        column_spacing=14,
        data_row_min_height=28,
        data_row_max_height=32,
        heading_row_height=32,
    )
    scroller = ft.Row([table], scroll=ft.ScrollMode.AUTO)  # wider than a phone: scrolls sideways
    return tagged(identifier, scroller, label=" ; ".join(_line(i) for i in lines))
