"""The assistant's knowledge base 知识库 for admins: its topics by category, one edited at a time
(question, other ways of asking, answer) and saved as a new version with a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.state.knowledge_form import TopicForm
from app_mobile.views.risk.common import heading, muted, screen

if TYPE_CHECKING:
    from app_mobile.shell import App

ROUTE = "/admin/knowledge"


def knowledge_entry(app: App) -> ft.Control:
    t = app.t

    async def open_it(e: ft.Event[Any]) -> None:
        await app.go(ROUTE)

    return tagged(
        "admin-knowledge",
        ft.Card(
            content=ft.ListTile(
                leading=ft.Icon(ft.Icons.SUPPORT_AGENT),
                title=ft.Text(t("kb_title")),
                subtitle=ft.Text(t("kb_hint"), size=12),
                on_click=open_it,
            )
        ),
    )


async def knowledge_view(app: App) -> ft.View:
    t = app.t
    banner = ErrorBanner()
    try:
        view = await app.api.assistant_knowledge()
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, ROUTE, t("kb_title"), [banner.control])
    rows: list[ft.Control] = [
        banner.control,
        muted(t("kb_version", n=view.version, topics=len(view.knowledge.entries))),
    ]
    category = None
    for topic in view.knowledge.entries:
        if topic.category != category:
            category = topic.category
            rows.append(heading(category))

        async def open_(e: ft.Event[Any], topic_id: str = topic.id) -> None:
            await app.go(f"{ROUTE}/{topic_id}")

        rows.append(
            tagged(
                f"kb-topic-{topic.id}",
                ft.ListTile(
                    title=ft.Text(topic.question, size=14),
                    dense=True,
                    on_click=open_,
                    subtitle=ft.Text(
                        topic.answer, size=12, max_lines=1, overflow=ft.TextOverflow.ELLIPSIS
                    ),
                ),
                label=topic.question,
            )
        )
    return screen(app, ROUTE, t("kb_title"), rows)


async def topic_view(app: App, topic_id: str) -> ft.View:
    t, page = app.t, app.page
    route = f"{ROUTE}/{topic_id}"
    banner = ErrorBanner()
    try:
        form = TopicForm(await app.api.assistant_knowledge(), topic_id)
    except (ApiError, KeyError) as exc:
        banner.show(exc.message(t.language) if isinstance(exc, ApiError) else t("kb_no_topic"))
        return screen(app, route, t("kb_title"), [banner.control])
    question = ft.TextField(label=t("kb_question"), value=form.question)
    phrasings = ft.TextField(
        label=t("kb_phrasings"), value=form.phrasings, multiline=True, min_lines=3, max_lines=10
    )
    answer = ft.TextField(
        label=t("kb_answer"), value=form.answer, multiline=True, min_lines=4, max_lines=14
    )
    reason = ft.TextField(label=t("ruleset_reason"), multiline=True, max_lines=3)

    async def save(e: ft.Event[Any]) -> None:
        form.question, form.phrasings = question.value or "", phrasings.value or ""
        form.answer, form.reason = answer.value or "", reason.value or ""
        if not form.reason.strip():
            reason.error = t("ruleset_reason_needed")
            page.update()
            return
        try:
            saved = await app.api.assistant_save_knowledge(form.request())
        except ApiError as exc:
            banner.show(exc.message(t.language))
        else:
            form.rebase(saved)  # the next save follows this version
            banner.show(t("kb_saved", n=saved.version), success=True)
        page.update()

    action = form.topic.action.value if form.topic.action else ""
    return screen(
        app,
        route,
        t("kb_title"),
        [
            banner.control,
            muted(f"{form.topic.id} · {form.topic.category} {action}".strip()),
            tagged("kb-question", question),
            tagged("kb-phrasings", phrasings),
            tagged("kb-answer", answer),
            tagged("kb-reason", reason),
            tagged("kb-save", ft.Button(t("kb_save"), icon=ft.Icons.SAVE, on_click=save)),
        ],
    )
