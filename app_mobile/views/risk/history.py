"""The rule-change history 规则变更记录 (who, when, what, why) and the region flags 地区异常标记."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.i18n import format_datetime
from app_mobile.views.risk.common import muted, screen
from common.api.risk import FieldChange, RegionFlagView, RuleChangeView

if TYPE_CHECKING:
    from app_mobile.shell import App

SHOWN_CHANGES = 6  # a long edit lists its first few field changes, then how many more


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


_KEYED = re.compile(r"(parameters|rules|tables)\[(?:name|id)=([\w.-]+)\]")


def change_text(change: FieldChange, names: dict[str, str] | None = None) -> str:
    """``$.parameters[name=max_ltv].value: 0.85 → 0.80`` with the item's own label when known."""
    path = change.path.removeprefix("$.")
    if names:
        path = _KEYED.sub(lambda m: names.get(f"{m.group(1)}:{m.group(2)}", m.group(0)), path)
    return f"{path}: {_short(change.before)} → {_short(change.after)}"


def item_names(ruleset: dict[str, Any], language: str) -> dict[str, str]:
    """``parameters:max_ltv`` -> 参数「最高融资比例（LTV）」, likewise rules and tables."""
    zh = language == "zh"
    words = {"parameters": ("参数", "parameter"), "rules": ("规则", "rule"),
             "tables": ("决策表", "table")}  # fmt: skip
    names: dict[str, str] = {}
    for section, ident in (("parameters", "name"), ("rules", "id"), ("tables", "id")):
        word = words[section][0 if zh else 1]
        for item in ruleset.get(section, []):
            label = (item.get("label") or {}).get("zh" if zh else "en") or item[ident]
            names[f"{section}:{item[ident]}"] = f"{word}「{label}」" if zh else f"{word} “{label}”"
    return names


def _entry(app: App, item: RuleChangeView, names: dict[str, str]) -> ft.Control:
    t = app.t
    when = format_datetime(item.at)
    who = item.actor_name or item.actor_id or "—"
    what = f"{t(f'action_{item.action}')} {t('ruleset_version', n=item.version)}"
    lines: list[ft.Control] = [
        ft.Row(
            [ft.Text(what, weight=ft.FontWeight.W_600, expand=True), muted(when, 12)],
        ),
        ft.Text(who, size=13),
    ]
    if item.reason:
        lines.append(ft.Text(f"“{item.reason}”", size=13, color=ft.Colors.INDIGO_900))
    if item.changes:
        lines.append(muted(t("history_changes", n=len(item.changes)), 12))
        for change in item.changes[:SHOWN_CHANGES]:
            lines.append(ft.Text(change_text(change, names), size=12, selectable=True))
        if len(item.changes) > SHOWN_CHANGES:
            lines.append(muted("…", 12))
    label = " ".join([what, who, when, item.reason or ""])
    card = ft.Card(content=ft.Container(padding=12, content=ft.Column(lines, spacing=3)))
    return tagged(f"history-{item.audit_seq}", card, label=label)


async def history_view(app: App) -> ft.View:
    t = app.t
    banner = ErrorBanner()
    try:
        items = await app.api.rule_history()
    except ApiError as exc:
        banner.show(exc.message(t.language))
        items = []
    names: dict[str, str] = {}
    try:
        active = next((v for v in await app.api.rulesets() if v.active), None)
        if active is not None:
            names = item_names((await app.api.ruleset(active.id)).ruleset, t.language)
    except ApiError:
        names = {}  # the paths alone still say what changed
    rows = [_entry(app, i, names) for i in items] or [muted(t("history_empty"), 14)]
    label = " ".join(f"{i.action} {i.version} {i.reason or ''}" for i in items)
    return screen(
        app,
        "/risk/history",
        t("risk_history"),
        [banner.control, tagged("history-list", ft.Column(rows), label=label)],
    )


def _flag(app: App, flag: RegionFlagView) -> ft.Control:
    t = app.t
    colour = ft.Colors.RED_700 if flag.flagged else ft.Colors.GREEN_700
    state = t("flag_on") if flag.flagged else t("flag_off")
    detail = t("flag_line", today=flag.today_count, median=flag.baseline_median, z=flag.z_score)
    card = ft.Card(
        content=ft.Container(
            padding=12,
            content=ft.Column(
                [
                    ft.Row(
                        [
                            ft.Icon(ft.Icons.FLAG, color=colour),
                            ft.Text(flag.region_code, weight=ft.FontWeight.W_600, expand=True),
                            ft.Text(state, color=colour),
                        ]
                    ),
                    muted(f"{flag.business_date} · {detail}", 12),
                ],
                spacing=4,
            ),
        )
    )
    return tagged(f"flag-{flag.region_code}", card, label=f"{flag.region_code} {state} {detail}")


async def flags_view(app: App) -> ft.View:
    t = app.t
    banner = ErrorBanner()
    try:
        flags = await app.api.region_flags()
    except ApiError as exc:
        banner.show(exc.message(t.language))
        flags = []
    flags.sort(key=lambda f: (not f.flagged, f.region_code))
    rows = [_flag(app, f) for f in flags] or [muted(t("flags_empty"), 14)]
    return screen(
        app, "/risk/flags", t("risk_flags"), [banner.control, tagged("flags-list", ft.Column(rows))]
    )
