"""The rule-set editor 规则集编辑: save, simulate, publish or roll back one version.

The form (with unsaved edits), the open section and the last simulation live in the session's
`RiskSession`, so a rebuild after an action shows the same work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, LabelledText, tagged
from app_mobile.state.ruleset import RuleSetForm
from app_mobile.views.risk.common import RiskSession, muted, risk_session, screen
from app_mobile.views.risk.editor_fields import parameters_section, rules_section, tables_section
from app_mobile.views.risk.rulesets import version_badges
from app_mobile.views.risk.simulation import simulation_panel

if TYPE_CHECKING:
    from app_mobile.shell import App

SECTIONS = (
    ("params", "ruleset_tab_params", parameters_section),
    ("rules", "ruleset_tab_rules", rules_section),
    ("tables", "ruleset_tab_tables", tables_section),
)
DEFAULT_LAST_N = 200


async def _form_for(app: App, session: RiskSession, ruleset_id: str) -> RuleSetForm:
    if session.form is None or session.form.summary.id != ruleset_id:
        detail = await app.api.ruleset(ruleset_id)
        session.form = RuleSetForm(detail.summary, detail.ruleset)
        session.simulation, session.problems, session.section = None, [], "params"
    return session.form


class EditorActions:
    """Save / simulate / publish / roll back, each ending in a rebuild of the editor."""

    def __init__(self, app: App, session: RiskSession, form: RuleSetForm, banner: ErrorBanner):
        self.app, self.session, self.form, self.banner = app, session, form, banner
        self.route = f"/risk/rulesets/{form.summary.id}"
        t = app.t
        self.reason = ft.TextField(label=t("ruleset_reason"), multiline=True, max_lines=3)
        self.last_n = ft.TextField(
            label=t("ruleset_last_n"),
            value=str(DEFAULT_LAST_N),
            keyboard_type=ft.KeyboardType.NUMBER,
            width=190,
            dense=True,
        )

    def _fail(self, exc: ApiError) -> None:
        self.banner.show(self.form_message(exc))
        self.session.problems = self.form.messages(exc.fields, self.app.t.language)

    def form_message(self, exc: ApiError) -> str:
        return exc.message(self.app.t.language)

    async def _save(self) -> bool:
        """Send the form if it changed; False (with the messages) when it is refused."""
        form, t = self.form, self.app.t
        if form.errors:
            self.banner.show(t("ruleset_invalid_fields"))
            self.session.problems = form.messages(form.errors, t.language)
            return False
        if not form.dirty:
            return True
        try:
            detail = await self.app.api.save_ruleset(
                form.summary.id, form.summary.lock_version, form.body
            )
        except ApiError as exc:
            self._fail(exc)
            return False
        form.adopt(detail.summary, detail.ruleset)
        self.session.problems = []
        return True

    async def _rebuild(self) -> None:
        await self.app.show(self.route)

    def _reason(self) -> str | None:
        text = (self.reason.value or "").strip()
        if not text:
            self.reason.error = self.app.t("ruleset_reason_needed")
            self.reason.update()
            return None
        return text

    async def save(self, e: ft.Event[Any]) -> None:
        if await self._save():
            self.session.notice = self.app.t("ruleset_saved")
        await self._rebuild()

    async def simulate(self, e: ft.Event[Any]) -> None:
        try:
            last_n = max(1, min(5000, int(self.last_n.value or DEFAULT_LAST_N)))
        except ValueError:
            last_n = DEFAULT_LAST_N
        if await self._save():
            try:
                self.session.simulation = await self.app.api.simulate_ruleset(
                    self.form.summary.id, last_n
                )
            except ApiError as exc:
                self._fail(exc)
        await self._rebuild()

    async def publish(self, e: ft.Event[Any]) -> None:
        """Publishing changes every next decision: it asks first, with the reason to confirm."""
        t, page = self.app.t, self.app.page
        reason = ft.TextField(
            label=t("ruleset_reason"), value=self.reason.value, multiline=True, max_lines=3
        )

        async def confirmed(e: ft.Event[Any]) -> None:
            text = (reason.value or "").strip()
            if not text:
                reason.error = t("ruleset_reason_needed")
                reason.update()
                return
            page.pop_dialog()
            self.reason.value = text
            await self._publish(text)

        async def cancelled(e: ft.Event[Any]) -> None:
            page.pop_dialog()

        dialog = ft.AlertDialog(
            modal=True,
            title=ft.Text(t("ruleset_publish_confirm", n=self.form.summary.version)),
            content=tagged("ruleset-publish-reason", reason),
            actions=[
                tagged("ruleset-publish-cancel", ft.TextButton(t("cancel"), on_click=cancelled)),
                tagged(
                    "ruleset-publish-confirm",
                    ft.Button(t("ruleset_publish"), icon=ft.Icons.PUBLISH, on_click=confirmed),
                ),
            ],
        )
        page.show_dialog(dialog)

    async def _publish(self, reason: str) -> None:
        if not await self._save():
            await self._rebuild()
            return
        try:
            detail = await self.app.api.publish_ruleset(self.form.summary.id, reason)
        except ApiError as exc:
            self._fail(exc)
        else:
            self.form.adopt(detail.summary, detail.ruleset)
            self.session.notice = self.app.t("ruleset_published_ok", n=detail.summary.version)
        await self._rebuild()

    async def rollback(self, e: ft.Event[Any]) -> None:
        reason = self._reason()
        if reason is None:
            return
        try:
            detail = await self.app.api.rollback_ruleset(self.form.summary.id, reason)
        except ApiError as exc:
            self._fail(exc)
        else:
            self.form.adopt(detail.summary, detail.ruleset)
            self.session.notice = self.app.t("ruleset_rolled_back", n=detail.summary.version)
        await self._rebuild()


def _notice(text: str) -> ft.Control:
    box = ft.Container(
        content=ft.Text(text, color=ft.Colors.GREEN_900),
        bgcolor=ft.Colors.with_opacity(0.12, ft.Colors.GREEN),
        border_radius=8,
        padding=10,
    )
    return tagged("ruleset-notice", box, label=text)


def _reason_row(actions: EditorActions, button: ft.Control) -> ft.Control:
    """The reason beside the button it justifies (publish or roll back)."""
    reason = tagged("ruleset-reason", actions.reason)
    reason.expand = True  # a Semantics wrapper in a Row carries the expand
    return ft.Row([reason, button], vertical_alignment=ft.CrossAxisAlignment.CENTER)


def _action_bar(app: App, form: RuleSetForm, actions: EditorActions) -> list[ft.Control]:
    t = app.t
    if form.editable:
        return [
            ft.Row(
                [
                    tagged(
                        "ruleset-save",
                        ft.Button(t("ruleset_save"), icon=ft.Icons.SAVE, on_click=actions.save),
                    ),
                    tagged("ruleset-last-n", actions.last_n),
                    tagged(
                        "ruleset-simulate",
                        ft.OutlinedButton(
                            t("ruleset_simulate"), icon=ft.Icons.SCIENCE, on_click=actions.simulate
                        ),
                    ),
                ],
                wrap=True,
                spacing=10,
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
            ),
            _reason_row(
                actions,
                tagged(
                    "ruleset-publish",
                    ft.Button(
                        t("ruleset_publish"),
                        icon=ft.Icons.PUBLISH,
                        on_click=actions.publish,
                        bgcolor=ft.Colors.INDIGO,
                        color=ft.Colors.WHITE,
                        height=48,
                    ),
                ),
            ),
        ]
    controls: list[ft.Control] = [muted(t("ruleset_read_only"))]
    if not form.summary.active:
        rollback = ft.OutlinedButton(
            t("ruleset_rollback"), icon=ft.Icons.RESTORE, on_click=actions.rollback, height=48
        )
        controls.append(_reason_row(actions, tagged("ruleset-rollback", rollback)))
    return controls


def _tabs(app: App, session: RiskSession, route: str) -> ft.Control:
    def chooser(section: str):  # type: ignore[no-untyped-def]
        async def choose(e: ft.Event[Any]) -> None:
            session.section = section
            await app.show(route)

        return choose

    buttons: list[ft.Control] = []
    for section, key, _ in SECTIONS:
        kind = ft.Button if section == session.section else ft.TextButton
        buttons.append(
            tagged(f"ruleset-tab-{section}", kind(app.t(key), on_click=chooser(section)))
        )
    return ft.Row(buttons, wrap=True, spacing=6)


async def editor_view(app: App, ruleset_id: str) -> ft.View:
    t = app.t
    route = f"/risk/rulesets/{ruleset_id}"
    session = risk_session(app)
    banner = ErrorBanner()
    try:
        form = await _form_for(app, session, ruleset_id)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("risk_rulesets"), [banner.control])
    actions = EditorActions(app, session, form, banner)
    state = LabelledText(
        "ruleset-state",
        t("ruleset_unsaved") if form.dirty else "",
        size=12,
        color=ft.Colors.ORANGE_900,
    )

    problems = ft.Column(
        [ft.Text(p, size=13, color=ft.Colors.RED_900) for p in session.problems], spacing=2
    )
    problem_list = tagged("ruleset-problems", problems, label=" ".join(session.problems))
    problem_list.visible = bool(session.problems)

    def changed() -> None:
        if not state.text.value:
            state.set(t("ruleset_unsaved"))
            state.control.update()
        if form.errors or not (session.problems or banner.shown):
            return
        # every typed value parses again: what was said about the old ones no longer holds
        session.problems = []
        problem_list.visible = False
        if not banner.success:
            banner.clear()
        app.page.update()

    summary = form.summary
    header = ft.Row(
        [
            ft.Text(t("ruleset_version", n=summary.version), size=20, weight=ft.FontWeight.BOLD),
            *version_badges(app, summary),
            state.control,
        ],
        wrap=True,
        vertical_alignment=ft.CrossAxisAlignment.CENTER,
    )
    controls: list[ft.Control] = [banner.control]
    if session.notice:
        controls.append(_notice(session.notice))
        session.notice = ""
    controls.append(problem_list)
    controls += [header, muted(summary.name), *_action_bar(app, form, actions)]
    if session.simulation is not None and form.editable:
        controls += simulation_panel(app, session.simulation, form.body)
    builder = next(b for s, _, b in SECTIONS if s == session.section)
    controls += [ft.Divider(), _tabs(app, session, route), *builder(form, t, changed)]
    return screen(app, route, t("risk_rulesets"), controls)
