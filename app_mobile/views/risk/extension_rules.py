"""The extension rules 展期规则: the version in force (note, when it was published, every rule in
words), edited into the next version — parameters, rule switches, the constants in a rule, what
a rule does when it fires — simulated on past requests, then published with a note.

Route: /risk/extension-rules. The form with its edits and the last simulation live in the
session's `RiskSession`, so a rebuild after an action shows the same work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, LabelledText, figure, tagged
from app_mobile.i18n import format_datetime
from app_mobile.state.extension_review import check_note
from app_mobile.state.extension_rules import ACTIONS, OPS, Constant, ExtensionRulesForm
from app_mobile.state.labels import Vocabulary
from app_mobile.views.risk.common import WIDE, RiskSession, heading, muted, risk_session, screen
from app_mobile.views.risk.editor_fields import Changed, parameters_section
from app_mobile.views.risk.simulation import HALF_THEN_QUARTER, share_percent
from common.api.auth import Role
from common.api.servicing import ChangedExtensionView, ExtensionSimulationView

if TYPE_CHECKING:
    from app_mobile.i18n import Translator
    from app_mobile.shell import App

ROUTE = "/risk/extension-rules"
DEFAULT_LAST_N = 500


async def _form_for(app: App, session: RiskSession) -> ExtensionRulesForm:
    if session.extension_form is None:
        session.extension_form = ExtensionRulesForm(await app.api.extension_rules())
        session.extension_simulation, session.extension_problems = None, []
    return session.extension_form


def _in_force(app: App, form: ExtensionRulesForm) -> ft.Control:
    t = app.t
    lines: list[ft.Control] = [
        ft.Text(t("ext_rules_version", n=form.version), size=20, weight=ft.FontWeight.BOLD),
        muted(str(form.body.get("name", ""))),
    ]
    if form.published_at is None:
        lines.append(muted(t("ext_rules_default")))
    else:
        lines.append(muted(t("ext_rules_published", at=format_datetime(form.published_at))))
    if form.note:
        lines.append(muted(t("ext_rules_note", note=form.note)))
    lines.append(muted(t("ext_rules_outcome_rule"), 12))
    return tagged("ext-rules-version", ft.Column(lines, spacing=2), label=str(form.version))


def _rule_card(form: ExtensionRulesForm, rule: dict[str, Any], t: Translator,
               changed: Changed) -> ft.Control:  # fmt: skip
    key = "zh" if t.language == "zh" else "en"
    rule_id = rule["id"]
    label = rule["label"][key]
    words = form.rule_text(rule, t.language)
    text = LabelledText(f"ext-rule-text-{rule_id}", words, size=13)

    def reworded() -> None:
        current = next(r for r in form.rules() if r["id"] == rule_id)
        text.set(form.rule_text(current, t.language))
        text.control.update()
        changed()

    async def toggled(e: ft.Event[Any]) -> None:
        form.set_rule_enabled(rule_id, bool(e.control.value))
        changed()

    switch = tagged(
        f"ext-rule-{rule_id}",
        ft.Switch(label=label, value=rule.get("enabled", True), on_change=toggled),
        label=label,
    )
    parts: list[ft.Control] = []
    for k, constant in enumerate(form.constants(rule_id)):
        name = f"{form.field_label(constant.field, t.language)} {OPS[constant.op][0]}"
        field = ft.TextField(
            label=t("ext_rules_constant", field=name), value=str(constant.value), dense=True
        )

        def typer(c: Constant, f: ft.TextField):  # type: ignore[no-untyped-def]
            async def typed(e: ft.Event[Any]) -> None:
                f.error = form.set_constant(c, f.value or "")
                f.update()
                reworded()

            return typed

        field.on_change = typer(constant, field)
        control = tagged(f"ext-rule-{rule_id}-value-{k}", field)
        control.col = WIDE
        parts.append(control)
    vocabulary = Vocabulary(form.body, t.language)
    for j, _ in enumerate(rule.get("then", [])):

        def picker(index: int):  # type: ignore[no-untyped-def]
            async def picked(e: ft.Event[Any]) -> None:
                form.set_action(rule_id, e.control.value or "refer", index)
                reworded()

            return picked

        dropdown = ft.Dropdown(
            label=t("ext_rules_action"),
            value=form.action_of(rule_id, j),
            options=[ft.DropdownOption(key=a, text=vocabulary.action(a).text) for a in ACTIONS],
            on_select=picker(j),
            dense=True,
        )
        control = tagged(f"ext-rule-{rule_id}-action-{j}", dropdown)
        control.col = WIDE
        parts.append(control)
    body = ft.Column([switch, text.control, ft.ResponsiveRow(parts, run_spacing=10)], spacing=6)
    return ft.Container(
        border=ft.Border.all(1, ft.Colors.GREY_300), border_radius=8, padding=10, content=body
    )


def _case(app: App, i: int, c: ChangedExtensionView) -> ft.Control:
    t = app.t
    title = " · ".join(x for x in (c.contract_number, c.lessee_name or "") if x)
    change = f"{t(f'outcome_{c.before}')} → {t(f'outcome_{c.after}')}"
    reasons = [r.text for r in c.reasons_after]
    lines: list[ft.Control] = [
        ft.Text(f"{title} · {t('ext_review_months', n=c.months_to_add)}", size=13,
                weight=ft.FontWeight.W_600, selectable=True),
        muted(change, 13),
        *(muted(f"    • {r}", 12) for r in reasons),
    ]  # fmt: skip
    return tagged(f"ext-sim-case-{i}", ft.Column(lines, spacing=1),
                  label=" ".join([title, change, *reasons]))  # fmt: skip


def simulation_panel(app: App, sim: ExtensionSimulationView) -> ft.Control:
    """The figures, the outcome counts now and edited, and the requests whose outcome changes."""
    t = app.t
    figures: list[ft.Control] = [
        figure(t("sim_total"), str(sim.total), "ext-sim-total"),
        figure(t("sim_changed"), str(sim.changed_count), "ext-sim-changed",
               colour=ft.Colors.ORANGE_900),
        figure(t("sim_rate_before"), share_percent(sim.approval_rate_before), "ext-sim-before"),
        figure(t("sim_rate_after"), share_percent(sim.approval_rate_after), "ext-sim-after",
               colour=ft.Colors.INDIGO),
    ]  # fmt: skip
    for f in figures:
        f.col = HALF_THEN_QUARTER
    counts = [
        muted(f"{t(name)}：{t('ext_rules_sim_counts', **outcomes)}", 13)
        for name, outcomes in (("ext_rules_sim_now", sim.outcomes_before),
                               ("ext_rules_sim_after", sim.outcomes_after))
    ]  # fmt: skip
    if sim.skipped:
        counts.append(muted(t("ext_rules_sim_skipped", n=sim.skipped), 12))
    cases = [_case(app, i, c) for i, c in enumerate(sim.changed[:50])]
    body = ft.Column(
        [
            heading(t("ext_rules_sim_title", a=sim.active_version)),
            ft.ResponsiveRow(figures),
            *counts,
            *(cases or [muted(t("sim_no_changes"))]),
        ],
        spacing=6,
    )
    label = f"{sim.total} {sim.changed_count} {sim.outcomes_before} {sim.outcomes_after}"
    return tagged("ext-simulation", ft.Card(content=ft.Container(padding=12, content=body)),
                  label=label)  # fmt: skip


class RulesActions:
    """Simulate / discard / publish, each ending in a rebuild of the screen."""

    def __init__(self, app: App, session: RiskSession, form: ExtensionRulesForm,
                 banner: ErrorBanner) -> None:  # fmt: skip
        self.app, self.session, self.form, self.banner = app, session, form, banner
        t = app.t
        self.note = ft.TextField(label=t("ext_rules_note_field"), multiline=True, max_lines=3,
                                 max_length=200)  # fmt: skip
        self.last_n = ft.TextField(
            label=t("ext_rules_last_n"), value=str(DEFAULT_LAST_N),
            keyboard_type=ft.KeyboardType.NUMBER, width=190, dense=True,
        )  # fmt: skip

    def _ready(self) -> bool:
        """No field still holding text that does not parse."""
        form, t = self.form, self.app.t
        if form.errors:
            self.banner.show(t("ruleset_invalid_fields"))
            self.session.extension_problems = form.messages(form.errors, t.language)
            return False
        return True

    def _fail(self, exc: ApiError) -> None:
        self.banner.show(exc.message(self.app.t.language))
        self.session.extension_problems = self.form.messages(exc.fields, self.app.t.language)

    async def simulate(self, e: ft.Event[Any]) -> None:
        try:
            last_n = max(1, min(5000, int(self.last_n.value or DEFAULT_LAST_N)))
        except ValueError:
            last_n = DEFAULT_LAST_N
        if self._ready():
            try:
                sim = await self.app.api.simulate_extension_rules(self.form.body, last_n)
            except ApiError as exc:
                self._fail(exc)
            else:
                self.session.extension_simulation, self.session.extension_problems = sim, []
        await self.app.show(ROUTE)

    async def discard(self, e: ft.Event[Any]) -> None:
        self.session.extension_form = None
        await self.app.show(ROUTE)

    async def publish(self, e: ft.Event[Any]) -> None:
        """Publishing decides every next request: it asks first, with the note to confirm."""
        t, page = self.app.t, self.app.page
        try:
            note = check_note(self.note.value or "")
        except ValueError:
            self.note.error = t("ruleset_reason_needed")
            self.note.update()
            return
        if not self.form.dirty:
            self.banner.show(t("ext_rules_nothing_changed"))
            self.banner.control.update()
            return

        async def confirmed(e: ft.Event[Any]) -> None:
            page.pop_dialog()
            await self._publish(note)

        async def cancelled(e: ft.Event[Any]) -> None:
            page.pop_dialog()

        dialog = ft.AlertDialog(
            modal=True,
            title=ft.Text(t("ext_rules_publish_confirm", n=self.form.version + 1)),
            content=ft.Text(note),
            actions=[
                tagged("ext-rules-publish-cancel", ft.TextButton(t("cancel"), on_click=cancelled)),
                tagged("ext-rules-publish-confirm", ft.Button(
                    t("ext_rules_publish", n=self.form.version + 1), icon=ft.Icons.PUBLISH,
                    on_click=confirmed)),
            ],
        )  # fmt: skip
        page.show_dialog(dialog)

    async def _publish(self, note: str) -> None:
        if self._ready():
            try:
                view = await self.app.api.publish_extension_rules(self.form.body, note)
            except ApiError as exc:
                self._fail(exc)
            else:
                self.form.adopt(view)
                self.session.extension_simulation, self.session.extension_problems = None, []
                self.session.notice = self.app.t("ext_rules_published_ok", n=view.version)
        await self.app.show(ROUTE)


def _action_bar(app: App, form: ExtensionRulesForm, actions: RulesActions) -> list[ft.Control]:
    t = app.t
    note = tagged("ext-rules-note", actions.note)
    note.expand = True
    publish = ft.Button(
        t("ext_rules_publish", n=form.version + 1), icon=ft.Icons.PUBLISH,
        on_click=actions.publish, bgcolor=ft.Colors.INDIGO, color=ft.Colors.WHITE, height=48,
    )  # fmt: skip
    publishing: ft.Control = ft.Row(
        [note, tagged("ext-rules-publish", publish)],
        vertical_alignment=ft.CrossAxisAlignment.CENTER,
    )
    if app.role() != Role.RISK_OFFICER:  # an admin may simulate; the API publishes for risk only
        publishing = muted(t("ext_rules_risk_only"))
    return [
        ft.Row(
            [
                tagged("ext-rules-last-n", actions.last_n),
                tagged("ext-rules-simulate", ft.OutlinedButton(
                    t("ruleset_simulate"), icon=ft.Icons.SCIENCE, on_click=actions.simulate)),
                tagged("ext-rules-discard", ft.TextButton(
                    t("ext_rules_discard"), icon=ft.Icons.UNDO, on_click=actions.discard)),
            ],
            wrap=True, spacing=10, vertical_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        publishing,
    ]  # fmt: skip


async def rules_view(app: App) -> ft.View:
    t = app.t
    session = risk_session(app)
    banner = ErrorBanner()
    if session.notice:
        banner.show(session.notice, success=True)
        session.notice = ""
    try:
        form = await _form_for(app, session)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, ROUTE, t("risk_extension_rules"), [banner.control])
    actions = RulesActions(app, session, form, banner)
    unpublished = t("ext_rules_unpublished") if form.dirty else ""
    state = LabelledText("ext-rules-state", unpublished, size=12, color=ft.Colors.ORANGE_900)
    problems = ft.Column(
        [ft.Text(p, size=13, color=ft.Colors.RED_900) for p in session.extension_problems],
        spacing=2,
    )
    problem_list = tagged("ext-rules-problems", problems,
                          label=" ".join(session.extension_problems))  # fmt: skip
    problem_list.visible = bool(session.extension_problems)

    def changed() -> None:
        if not state.text.value:
            state.set(t("ext_rules_unpublished"))
            state.control.update()
        if form.errors or not session.extension_problems:
            return
        session.extension_problems = []  # what was said about the old values no longer holds
        problem_list.visible = False
        app.page.update()

    controls: list[ft.Control] = [banner.control, problem_list, _in_force(app, form),
                                  state.control, *_action_bar(app, form, actions)]  # fmt: skip
    if session.extension_simulation is not None:
        controls.append(simulation_panel(app, session.extension_simulation))
    controls += [
        ft.Divider(),
        heading(t("ruleset_tab_params")),
        *parameters_section(form, t, changed),
        heading(t("ext_rules_in_words")),
        *(_rule_card(form, rule, t, changed) for rule in form.rules()),
    ]
    return screen(app, ROUTE, t("risk_extension_rules"), controls)
