"""Finance's reconciliation 对账: a business day's payments against the provider's statement
and the ledger — matched, and every mismatch (missing on our side, missing on theirs, amount
differs) with its order number."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import tagged
from app_mobile.components.widgets import action_card
from app_mobile.i18n import format_money
from common.business_day import business_date

if TYPE_CHECKING:
    from app_mobile.shell import App


def reconciliation_card(app: App) -> ft.Control:
    t = app.t
    yesterday = business_date(datetime.now(UTC)) - timedelta(days=1)
    day = ft.TextField(label=t("recon_day"), value=yesterday.isoformat(), width=160)
    result = ft.Column(spacing=4)

    async def run(e: ft.Event[Any]) -> None:
        try:
            v = await app.api.reconciliation(date.fromisoformat((day.value or "").strip()))
        except ValueError:
            result.controls = [ft.Text(t("coll_date_invalid"), color=ft.Colors.RED_700)]
            result.update()
            return
        except ApiError as exc:
            result.controls = [ft.Text(exc.message(t.language), color=ft.Colors.RED_700)]
            result.update()
            return
        verdict = (
            t("recon_clean", n=v.matched)
            if not v.mismatches
            else t("recon_mismatches", n=len(v.mismatches), matched=v.matched)
        )
        colour = ft.Colors.GREEN_800 if not v.mismatches else ft.Colors.RED_700
        rows: list[ft.Control] = [
            tagged("recon-result", ft.Text(verdict, color=colour), label=verdict),
            ft.Text(
                t(
                    "recon_totals",
                    theirs=format_money(v.statement_total),
                    ours=format_money(v.ours_total),
                    rows=v.statement_rows,
                ),
                size=13,
            ),
        ]
        for m in v.mismatches:
            rows.append(
                ft.Text(
                    f"{t('recon_' + m.kind)} · {m.out_trade_no} · "
                    f"{format_money(m.ours or '')} / {format_money(m.theirs or '')}",
                    size=12,
                )
            )
        result.controls = rows
        result.update()

    button = ft.Button(t("recon_run"), icon=ft.Icons.RULE, on_click=run)
    action = ft.Row([day, tagged("recon-run", button)], wrap=True)
    return action_card(t("recon_title"), t("recon_hint"), action, result)
