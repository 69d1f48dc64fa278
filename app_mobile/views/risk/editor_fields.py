"""The rule-set form's fields: a typed input per parameter, a switch per rule, table rows as forms.

Typing changes the form in place (no rebuild, so focus stays); a value that does not parse shows
its message under the field and is kept out of the rule set until it does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.components import tagged
from app_mobile.components.decision import coded_text
from app_mobile.state.labels import Vocabulary
from app_mobile.state.ruleset import (
    NO_VALUE_OPS,
    OPERATORS,
    ParamField,
    RuleSetBody,
    RuleSetForm,
    choice_label,
    field_choices,
    field_label,
    formula_text,
    value_text,
)
from app_mobile.views.risk.common import WIDE, muted

if TYPE_CHECKING:
    from app_mobile.i18n import Translator

Changed = Callable[[], None]  # tells the editor the form is now dirty


def _typed_field(label: str, text: str, kind: str, readonly: bool) -> ft.TextField:
    numeric = kind in ("int", "decimal")
    return ft.TextField(
        label=label,
        value=text,
        read_only=readonly,
        keyboard_type=ft.KeyboardType.NUMBER if numeric else ft.KeyboardType.TEXT,
        dense=True,
    )


def param_control(form: RuleSetBody, p: ParamField, t: Translator, changed: Changed) -> ft.Control:
    label = p.label(t.language)
    identifier = f"ruleset-param-{p.name}"
    if p.is_formula:  # a threshold defined from another: shown, edited through its source
        field = _typed_field(label, t("ruleset_formula", text=formula_text(p.value)), "str", True)
        field.helper = p.name
        control = tagged(identifier, field)
    elif p.type == "bool":

        async def toggled(e: ft.Event[Any]) -> None:
            form.set_param(p.name, "true" if e.control.value else "false")
            changed()

        switch = ft.Switch(
            label=label, value=bool(p.value), on_change=toggled, disabled=not form.editable
        )
        control = tagged(identifier, switch, label=label)
    else:
        field = _typed_field(label, value_text(p.value), p.type, not form.editable)
        field.helper = p.name

        async def typed(e: ft.Event[Any]) -> None:
            field.error = form.set_param(p.name, field.value or "")
            field.update()
            changed()

        field.on_change = typed
        control = tagged(identifier, field)
    control.col = WIDE
    return control


def parameters_section(form: RuleSetBody, t: Translator, changed: Changed) -> list[ft.Control]:
    fields = [param_control(form, p, t, changed) for p in form.parameters()]
    return [ft.ResponsiveRow(fields, run_spacing=14)]


def rules_section(form: RuleSetBody, t: Translator, changed: Changed) -> list[ft.Control]:
    key = "zh" if t.language == "zh" else "en"
    switches: list[ft.Control] = []
    for rule in form.rules():
        rule_id = rule["id"]

        def toggler(rid: str):  # type: ignore[no-untyped-def]
            async def toggled(e: ft.Event[Any]) -> None:
                form.set_rule_enabled(rid, bool(e.control.value))
                changed()

            return toggled

        label = rule["label"][key]
        switch = ft.Switch(
            label=label,
            value=rule.get("enabled", True),
            on_change=toggler(rule_id),
            disabled=not form.editable,
        )
        control = tagged(f"ruleset-rule-{rule_id}", switch, label=label)
        control.col = WIDE
        switches.append(control)
    return [ft.ResponsiveRow(switches, run_spacing=6)]


def _cell_control(
    form: RuleSetForm,
    table: dict[str, Any],
    row: dict[str, Any],
    i: int,
    t: Translator,
    changed: Changed,
) -> ft.Control:
    name = field_label(table["inputs"][i], t.language)
    cell = row["cells"][i]
    identifier = f"ruleset-cell-{table['id']}-{row['id']}-{i}"
    if cell is None:
        return tagged(identifier, muted(f"{name}：{t('ruleset_any')}"), label=name)
    op = cell["op"]
    if op in NO_VALUE_OPS:
        return tagged(identifier, muted(f"{name}：{OPERATORS[op]}"), label=name)
    choices = field_choices(table["inputs"][i])
    if op in ("eq", "ne") and choices and isinstance(cell.get("value"), str):

        async def picked(e: ft.Event[Any]) -> None:
            form.set_cell(table["id"], row["id"], i, e.control.value or "")
            changed()

        dropdown = ft.Dropdown(
            label=f"{name} {OPERATORS[op]}",
            value=cell["value"],
            options=[ft.DropdownOption(key=c, text=choice_label(c, t.language)) for c in choices],
            on_select=picked,
            disabled=not form.editable,
            dense=True,
        )
        return tagged(identifier, dropdown)
    field = _typed_field(
        f"{name} {OPERATORS[op]}", value_text(cell.get("value")), "str", not form.editable
    )

    async def typed(e: ft.Event[Any]) -> None:
        field.error = form.set_cell(table["id"], row["id"], i, field.value or "")
        field.update()
        changed()

    field.on_change = typed
    return tagged(identifier, field)


def _action_control(
    form: RuleSetForm,
    table: dict[str, Any],
    row: dict[str, Any],
    j: int,
    t: Translator,
    changed: Changed,
) -> ft.Control:
    action = row["then"][j]
    key = "zh" if t.language == "zh" else "en"
    where = f"{table['id']}-{row['id']}-{j}"
    if action["kind"] == "adjust_score" and isinstance(action["points"], int):
        field = _typed_field(t("ruleset_points"), str(action["points"]), "int", not form.editable)

        async def typed(e: ft.Event[Any]) -> None:
            field.error = form.set_points(table["id"], row["id"], j, field.value or "")
            field.update()
            changed()

        field.on_change = typed
        return tagged(f"ruleset-points-{where}", field)
    if action["kind"] == "require_verification":
        gates = form.gates()

        async def picked(e: ft.Event[Any]) -> None:
            form.set_gate(table["id"], row["id"], j, e.control.value or "")
            changed()

        dropdown = ft.Dropdown(
            label=t("ruleset_gate"),
            value=action["gate"],
            options=[ft.DropdownOption(key=g, text=text[key]) for g, text in gates.items()],
            on_select=picked,
            disabled=not form.editable,
            dense=True,
        )
        return tagged(f"ruleset-gate-{where}", dropdown)
    vocabulary = Vocabulary(form.body, t.language)
    kind = vocabulary.action(action["kind"]).text
    if action.get("reason"):
        return coded_text(vocabulary.reason(action["reason"]), 13, prefix=f"{kind}：")
    if action.get("gate"):
        return coded_text(vocabulary.gate(action["gate"]), 13, prefix=f"{kind}：")
    return muted(f"{kind}：{value_text(action.get('points'))}")


def _row_card(
    form: RuleSetForm, table: dict[str, Any], row: dict[str, Any], t: Translator, changed: Changed
) -> ft.Control:
    name = Vocabulary(form.body, t.language).row(table["id"], row["id"])
    priority = ""
    if table["hit_policy"] == "priority":
        priority = f"（{t('ruleset_priority', n=row.get('priority', 0))}）"
    title = ft.Text(
        spans=[
            ft.TextSpan(name.text + priority, style=ft.TextStyle(weight=ft.FontWeight.W_600)),
            *(
                [
                    ft.TextSpan(
                        f"  {name.code}",
                        style=ft.TextStyle(size=11, color=ft.Colors.ON_SURFACE_VARIANT),
                    )
                ]
                if name.named
                else []
            ),
        ],
        size=13,
    )
    parts: list[ft.Control] = []
    for i in range(len(row["cells"])):
        part = _cell_control(form, table, row, i, t, changed)
        part.col = WIDE
        parts.append(part)
    for j in range(len(row["then"])):
        part = _action_control(form, table, row, j, t, changed)
        part.col = WIDE
        parts.append(part)
    return ft.Container(
        border=ft.Border.all(1, ft.Colors.GREY_300),
        border_radius=8,
        padding=10,
        content=ft.Column(
            [
                tagged(
                    f"ruleset-row-{table['id']}-{row['id']}", title, label=name.plain() + priority
                ),
                ft.ResponsiveRow(parts, run_spacing=10),
            ],
            spacing=6,
        ),
    )


def tables_section(form: RuleSetForm, t: Translator, changed: Changed) -> list[ft.Control]:
    key = "zh" if t.language == "zh" else "en"
    vocabulary = Vocabulary(form.body, t.language)
    out: list[ft.Control] = []
    for table in form.tables():
        inputs = "、".join(field_label(p, t.language) for p in table["inputs"])
        policy = vocabulary.hit_policy(table["hit_policy"]).text
        header = ft.Column(
            [
                ft.Text(table["label"][key], size=15, weight=ft.FontWeight.W_600),
                muted(f"{inputs} · {t('ruleset_hit_policy', p=policy)}", 12),
            ],
            spacing=2,
        )
        rows = [_row_card(form, table, row, t, changed) for row in table["rows"]]
        out.append(
            tagged(
                f"ruleset-table-{table['id']}",
                ft.Card(
                    content=ft.Container(padding=12, content=ft.Column([header, *rows], spacing=8))
                ),
                label=table["label"][key],
            )
        )
    return out
