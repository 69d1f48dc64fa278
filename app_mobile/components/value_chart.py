"""A value path as a small line chart: the median, the interval's two ends (thin), and what
selling leaves after interest when there is one (the dealer's best time to sell)."""

from __future__ import annotations

import flet as ft
import flet_charts as fc

from app_mobile.state.residual import PathSeries

MEDIAN, BAND, NET = ft.Colors.INDIGO, ft.Colors.INDIGO_200, ft.Colors.GREEN_700


def _line(values: list[float], colour: str, width: float, marked: int | None = None
          ) -> fc.LineChartData:  # fmt: skip
    points = [fc.LineChartDataPoint(x=k, y=round(v, 2), point=k == marked)
              for k, v in enumerate(values)]  # fmt: skip
    return fc.LineChartData(points=points, color=colour, stroke_width=width, curved=True)


def value_path_chart(series: PathSeries, height: int = 160) -> ft.Control:
    lines = [_line(series.high, BAND, 1), _line(series.low, BAND, 1),
             _line(series.median, MEDIAN, 3, series.marked)]  # fmt: skip
    if series.net:
        lines.append(_line(series.net, NET, 2, series.marked))
    every = max(1, len(series.labels) // 4)
    chart: ft.Control = fc.LineChart(
        data_series=lines,
        bottom_axis=fc.ChartAxis(labels=[
            fc.ChartAxisLabel(value=k, label=ft.Text(label, size=9))
            for k, label in enumerate(series.labels) if k % every == 0], label_size=22),
        left_axis=fc.ChartAxis(label_size=34, label_spacing=series.step),
        horizontal_grid_lines=fc.ChartGridLines(
            interval=series.step,
            color=ft.Colors.OUTLINE_VARIANT, width=0.5),
        min_y=series.bottom, max_y=series.top, min_x=0, max_x=max(len(series.labels) - 1, 1),
        height=height, interactive=True, expand=True,
    )  # fmt: skip
    return ft.Container(content=chart, padding=ft.Padding(0, 12, 8, 0))  # the top label fits
