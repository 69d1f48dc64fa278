"""The funder's home 资金方资产组合: headline figures (contracts, its share outstanding, what the
lessor owes it now, received), delinquency by bucket, repayments allocated to its share by month
(a chart), and its contracts (masked lessees); a contract opens its figures and allocations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft
import flet_charts as fc

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, figure_tile, tagged
from app_mobile.i18n import format_date, format_money
from app_mobile.state.dealer import Series
from app_mobile.state.funder import received_yuan
from app_mobile.views.risk.common import heading, muted, screen
from common.api.funders import Portfolio, PortfolioContract

if TYPE_CHECKING:
    from app_mobile.shell import App


def _bars(series: Series, colour: str) -> ft.Control:
    chart: ft.Control = fc.BarChart(
        groups=[fc.BarChartGroup(x=k, rods=[fc.BarChartRod(
            from_y=0, to_y=v, width=12, color=colour, border_radius=3,
            tooltip=f"{series.labels[k]} {v:,.2f}元")]) for k, v in enumerate(series.values)],
        bottom_axis=fc.ChartAxis(labels=[
            fc.ChartAxisLabel(value=k, label=ft.Text(lbl, size=9))
            for k, lbl in enumerate(series.labels)
            if (len(series.labels) - 1 - k) % 2 == 0], label_size=22),
        left_axis=fc.ChartAxis(label_size=48),
        horizontal_grid_lines=fc.ChartGridLines(interval=max(series.top / 4, 0.01),
                                                color=ft.Colors.OUTLINE_VARIANT, width=0.5),
        min_y=0, max_y=series.top, interactive=True, height=170, expand=True,
    )  # fmt: skip
    return chart


def _headline(app: App, p: Portfolio) -> list[ft.Control]:
    t = app.t
    return [
        ft.Row([
            figure_tile("funder-contracts", t("funder_contracts"), str(p.contracts),
                    t("funder_funded_note", funded=format_money(p.funded))),
            figure_tile("funder-outstanding", t("funder_outstanding"),
                    format_money(p.funder_outstanding),
                    t("funder_whole_note", whole=format_money(p.outstanding))),
        ]),
        ft.Row([
            figure_tile("funder-owed", t("funder_owed_now"), format_money(p.owed_now)),
            figure_tile("funder-received", t("funder_received"),
                    format_money(p.received_principal),
                    t("funder_yield_note", yield_=format_money(p.received_yield))),
        ]),
    ]  # fmt: skip


def _buckets(app: App, p: Portfolio) -> ft.Control:
    cells: list[ft.Control] = []
    for b in p.buckets:
        late = b.bucket != "M0" and b.count > 0
        tint = ft.Colors.with_opacity(0.18, ft.Colors.ERROR if late else ft.Colors.PRIMARY)
        cells.append(tagged(f"funder-bucket-{b.bucket}", ft.Container(
            content=ft.Column([ft.Text(b.bucket, weight=ft.FontWeight.W_600),
                               ft.Text(str(b.count), size=16),
                               muted(format_money(b.funder_outstanding), 10)],
                              spacing=1, horizontal_alignment=ft.CrossAxisAlignment.CENTER),
            padding=6, border_radius=8, bgcolor=tint, width=84,
        ), label=f"{b.bucket} {b.count}"))  # fmt: skip
    return ft.Row(cells, wrap=True, spacing=6, run_spacing=6)


def _row(app: App, c: PortfolioContract) -> ft.Control:
    async def open_contract(e: ft.Event[Any]) -> None:
        await app.go(f"/funder/contracts/{c.id}")

    title = f"{c.number} · {c.lessee}"
    return tagged(f"funder-contract-{c.id}", ft.ListTile(
        title=ft.Text(title, size=14),
        subtitle=ft.Text(app.t("funder_row", bucket=c.bucket,
                               outstanding=format_money(c.funder_outstanding),
                               share=c.share_percent.rstrip("0").rstrip(".")), size=12),
        dense=True, on_click=open_contract,
    ), label=title)  # fmt: skip


async def portfolio_section(app: App) -> list[ft.Control]:
    t = app.t
    banner = ErrorBanner()
    try:
        p = await app.api.funder_portfolio()
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return [banner.control]
    terms = (t("funder_terms", share=p.agreement.share_percent.rstrip("0").rstrip("."),
               yield_=p.agreement.yield_percent.rstrip("0").rstrip("."))
             if p.agreement else t("funder_no_terms"))  # fmt: skip
    rows = [_row(app, c) for c in p.items] or [muted(t("funder_no_contracts"))]
    return [
        ft.Text(p.funder_name, size=16, weight=ft.FontWeight.W_600),
        muted(terms, 12),
        *_headline(app, p),
        heading(t("funder_buckets")),
        _buckets(app, p),
        heading(t("funder_months_chart")),
        tagged("funder-chart-received", _bars(received_yuan(p), ft.Colors.INDIGO_400),
               label="received"),
        heading(t("funder_list")),
        tagged("funder-contracts-list", ft.Column(rows, spacing=0)),
    ]  # fmt: skip


async def contract_view(app: App, route: str) -> ft.View:
    """`/funder/contracts/{id}`: a contract's figures and the repayments allocated to it."""
    t = app.t
    banner = ErrorBanner()
    try:
        d = await app.api.funder_contract(route.rstrip("/").rsplit("/", 1)[-1])
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("funder_contract"), [banner.control])
    c = d.contract
    figures = [(t("funder_financed"), format_money(c.financed)),
               (t("funder_funded"), format_money(c.funded)),
               (t("funder_outstanding"), format_money(c.funder_outstanding)),
               (t("funder_whole"), format_money(c.outstanding)),
               (t("funder_owed_now"), format_money(d.owed_now)),
               (t("funder_bucket"), f"{c.bucket} · {c.days_past_due}")]  # fmt: skip
    lines: list[ft.Control] = [ft.Text(f"{c.number} · {c.lessee}", size=16,
                                       weight=ft.FontWeight.W_600)]  # fmt: skip
    lines += [ft.Row([muted(k), ft.Text(v)], alignment=ft.MainAxisAlignment.SPACE_BETWEEN)
              for k, v in figures]  # fmt: skip
    lines.append(heading(t("funder_allocations")))
    lines += [muted(t("funder_allocation", day=format_date(a.paid_on),
                      principal=format_money(a.principal), yield_=format_money(a.yield_)), 12)
              for a in d.allocations] or [muted(t("funder_no_allocations"))]  # fmt: skip
    return screen(
        app,
        route,
        t("funder_contract"),
        [banner.control, tagged("funder-contract", ft.Column(lines, spacing=6))],
    )
