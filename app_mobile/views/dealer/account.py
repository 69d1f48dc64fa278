"""The dealer's account on the home 经销商账户: this month's funded volume, the commissions
(earned, paid, set off, clawed back) and what each side owes, the deals by stage (tap: the deals
at that stage), the twelve months in charts (funded 万元, approval rate, net commission), and the
commission terms the dealer works under. A deal opens the application's screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft
import flet_charts as fc

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.i18n import format_datetime, format_money
from app_mobile.state.dealer import Series, approval_rate, commission_yuan, funded_wan, shown_stages
from app_mobile.views.risk.common import heading, muted, screen
from common.api.dealers import Deal, DealerSummary
from common.commissions import ANY_PRODUCT, CommissionBasis, CommissionRule
from common.money import yuan_text

if TYPE_CHECKING:
    from app_mobile.shell import App


def _figure(identifier: str, label: str, value: str, note: str = "") -> ft.Control:
    body: list[ft.Control] = [muted(label, 12),
                              ft.Text(value, size=18, weight=ft.FontWeight.W_600)]  # fmt: skip
    if note:
        body.append(muted(note, 11))
    box = ft.Container(content=ft.Column(body, spacing=2), padding=10, border_radius=10,
                       bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST)  # fmt: skip
    shown = tagged(identifier, box, label=f"{label} {value}")
    shown.expand = True  # the figures share their row
    return shown


def _bars(series: Series, colour: str, suffix: str) -> ft.Control:
    low = min(0.0, min(series.values, default=0.0) * 1.2)
    chart: ft.Control = fc.BarChart(
        groups=[
            fc.BarChartGroup(x=k, rods=[fc.BarChartRod(
                from_y=0, to_y=v, width=12, color=colour, border_radius=3,
                tooltip=f"{series.labels[k]} {v:,.2f}{suffix}")])
            for k, v in enumerate(series.values)
        ],
        bottom_axis=fc.ChartAxis(labels=[
            fc.ChartAxisLabel(value=k, label=ft.Text(lbl, size=9))
            for k, lbl in enumerate(series.labels)
            if (len(series.labels) - 1 - k) % 2 == 0], label_size=22),  # every other, to now
        left_axis=fc.ChartAxis(label_size=40),
        horizontal_grid_lines=fc.ChartGridLines(interval=max(series.top / 4, 0.01),
                                                color=ft.Colors.OUTLINE_VARIANT, width=0.5),
        min_y=low, max_y=series.top, interactive=True, height=170, expand=True,
    )  # fmt: skip
    return chart


def _line(series: Series, colour: str) -> ft.Control:
    chart: ft.Control = fc.LineChart(
        data_series=[fc.LineChartData(
            points=[fc.LineChartDataPoint(x=k, y=v) for k, v in enumerate(series.values)],
            color=colour, stroke_width=3, curved=True,
            below_line_bgcolor=ft.Colors.with_opacity(0.15, colour))],
        bottom_axis=fc.ChartAxis(labels=[
            fc.ChartAxisLabel(value=k, label=ft.Text(lbl, size=9))
            for k, lbl in enumerate(series.labels)
            if (len(series.labels) - 1 - k) % 3 == 0], label_size=22),
        left_axis=fc.ChartAxis(label_size=34),
        horizontal_grid_lines=fc.ChartGridLines(interval=25, color=ft.Colors.OUTLINE_VARIANT,
                                                width=0.5),
        min_y=0, max_y=100, min_x=0, max_x=max(len(series.values) - 1, 1), height=150,
        interactive=True, expand=True,
    )  # fmt: skip
    return chart


def _rule_text(app: App, rule: CommissionRule, names: dict[str, str]) -> str:
    t = app.t
    product = t("dealer_any_product") if rule.product_id == ANY_PRODUCT else names.get(
        rule.product_id, rule.product_id)  # fmt: skip
    if rule.basis is CommissionBasis.PERCENT:
        amount = f"{rule.percent}%"
    else:
        amount = format_money(yuan_text(rule.fixed_fen or 0)) + t("dealer_per_lease")
    return t("dealer_rule", product=product, amount=amount, months=rule.clawback_months,
             days=rule.clawback_days_past_due)  # fmt: skip


async def account_section(app: App) -> list[ft.Control]:
    t = app.t
    banner = ErrorBanner()
    try:
        s = await app.api.dealer_summary()
        rules = await app.api.commission_rules()
        names = {p.id: p.definition.name_zh for p in await app.api.products()}
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return [banner.control]
    return [
        ft.Text(s.dealer_name, size=16, weight=ft.FontWeight.W_600),
        *_headline(app, s),
        heading(t("dealer_stages")),
        *_stages(app, s),
        heading(t("dealer_funded_chart")),
        tagged("dealer-chart-funded", _bars(funded_wan(s), ft.Colors.INDIGO_400, "万"),
               label="funded"),
        heading(t("dealer_approval_chart")),
        tagged("dealer-chart-approval", _line(approval_rate(s), ft.Colors.TEAL_400),
               label="approval"),
        heading(t("dealer_commission_chart")),
        tagged("dealer-chart-commission", _bars(commission_yuan(s), ft.Colors.AMBER_600, "元"),
               label="commission"),
        heading(t("dealer_rules")),
        *([muted(_rule_text(app, r, names), 12) for r in rules.rules]
          or [muted(t("dealer_no_rules"), 12)]),
    ]  # fmt: skip


def _headline(app: App, s: DealerSummary) -> list[ft.Control]:
    t = app.t
    month = s.months[-1]
    c = s.commissions
    return [
        ft.Row([
            _figure("dealer-funded-month", t("dealer_funded_month"),
                    format_money(month.funded_amount),
                    t("dealer_leases", n=month.funded_count)),
            _figure("dealer-commission", t("dealer_commission_earned"), format_money(c.earned),
                    t("dealer_commission_note", paid=format_money(c.paid),
                      clawed=format_money(c.clawed_back))),
        ]),
        ft.Row([
            _figure("dealer-owed-to", t("dealer_owed_to"), format_money(s.owed_to_dealer)),
            _figure("dealer-owed-by", t("dealer_owed_by"), format_money(s.owed_by_dealer),
                    t("dealer_set_off_note") if s.owed_by_dealer != "0.00" else ""),
        ]),
    ]  # fmt: skip


def _stages(app: App, s: DealerSummary) -> list[ft.Control]:
    rows: list[ft.Control] = []
    for stage in shown_stages(s):

        async def open_stage(e: ft.Event[Any], key: str = stage.stage) -> None:
            await app.go(f"/dealer/deals/stage/{key}")

        line = f"{stage.label} · {stage.count}"
        rows.append(tagged(f"dealer-stage-{stage.stage}", ft.ListTile(
            title=ft.Text(line, size=14), trailing=ft.Text(format_money(stage.amount), size=13),
            dense=True, on_click=open_stage,
        ), label=line))  # fmt: skip
    return rows


def _deal_row(app: App, d: Deal) -> ft.Control:
    async def open_deal(e: ft.Event[Any]) -> None:
        await app.go(f"/applications/{d.application_id}")

    title = f"{d.contract_number or d.stage_label} · {d.lessee}"
    extra = f" · {app.t('dealer_commission_short')} {format_money(d.commission)}" if (
        d.commission) else ""  # fmt: skip
    return tagged(f"dealer-deal-{d.application_id}", ft.ListTile(
        title=ft.Text(title, size=14),
        subtitle=ft.Text(f"{d.vehicle} · {format_money(d.amount)}{extra}", size=12),
        trailing=muted(format_datetime(d.updated_at), 11), dense=True, on_click=open_deal,
    ), label=title)  # fmt: skip


async def deals_view(app: App, route: str) -> ft.View:
    """`/dealer/deals/stage/{stage}` or `/dealer/deals/month/{YYYY-MM}`: the deals, newest first."""
    t = app.t
    banner = ErrorBanner()
    parts = route.strip("/").split("/")
    by, key = (parts[2], parts[3]) if len(parts) == 4 else ("stage", "")
    try:
        found = await app.api.dealer_deals(stage=key if by == "stage" else None,
                                           month=key if by == "month" else None)  # fmt: skip
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("dealer_deals"), [banner.control])
    rows = [_deal_row(app, d) for d in found] or [muted(t("dealer_no_deals"))]
    return screen(app, route, t("dealer_deals"),
                  [banner.control, tagged("dealer-deals", ft.Column(rows, spacing=0))])  # fmt: skip
