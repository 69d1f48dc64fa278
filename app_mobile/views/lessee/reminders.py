"""The lessee's reminders 提醒: the notices the app received (repayment reminders, overdue
notices, insurance and 年检), which reminder steps to receive (the overdue notices cannot be
turned off), and the service dates that drive the insurance and inspection reminders."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.i18n import format_date, format_datetime
from app_mobile.views.risk.common import heading, muted, screen
from common.api.reminders import ReminderPreferences, ServiceDatesRequest, StepPreference

if TYPE_CHECKING:
    from app_mobile.shell import App


def _parse(raw: str | None) -> date | None:
    text = (raw or "").strip()
    return date.fromisoformat(text) if text else None


async def reminders_view(app: App) -> ft.View:
    t, page = app.t, app.page
    route = "/reminders"
    banner = ErrorBanner()
    try:
        notices = await app.api.notifications()
        prefs = await app.api.reminder_preferences()
        hall = await app.api.hall()
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("rem_title"), [banner.control])

    async def toggled(e: ft.Event[Any]) -> None:
        steps = [
            StepPreference(step=s.step, enabled=bool(boxes[s.step].value) or s.mandatory)
            for s in prefs.steps
        ]
        try:
            await app.api.save_reminder_preferences(ReminderPreferences(steps=steps))
        except ApiError as exc:
            banner.show(exc.message(t.language))
        page.update()

    boxes = {
        s.step: ft.Switch(
            label=s.label + (t("rem_mandatory") if s.mandatory else ""),
            value=s.enabled,
            disabled=s.mandatory,
            on_change=toggled,
        )
        for s in prefs.steps
    }
    notice_rows: list[ft.Control] = [
        ft.Container(
            padding=ft.Padding.symmetric(vertical=6),
            border=ft.Border.only(bottom=ft.BorderSide(1, ft.Colors.OUTLINE_VARIANT)),
            content=ft.Column(
                [
                    ft.Text(
                        n.title, size=14, weight=ft.FontWeight.W_600 if n.read_at is None else None
                    ),
                    ft.Text(n.body, size=13),
                    muted(format_datetime(n.created_at), 11),
                ],
                spacing=1,
            ),
        )
        for n in notices
    ]
    controls: list[ft.Control] = [
        banner.control,
        heading(t("rem_notices")),
        tagged(
            "rem-notices",
            ft.Column(notice_rows or [muted(t("rem_none"))], spacing=0),
            label=f"{len(notices)}",
        ),
        heading(t("rem_steps")),
        *(tagged(f"rem-step-{step}", box) for step, box in boxes.items()),
    ]
    for c in hall.contracts:
        if c.status == "active":
            controls += await _service_dates(app, c.id, c.number, banner)
    return screen(app, route, t("rem_title"), controls)


async def _service_dates(
    app: App, contract_id: str, number: str, banner: ErrorBanner
) -> list[ft.Control]:
    """年检 and insurance reminders (30 and 7 days before), on once a date is entered."""
    t, page = app.t, app.page
    try:
        dates = await app.api.service_dates(contract_id)
    except ApiError:
        return []
    insurance = ft.TextField(
        label=t("rem_insurance"),
        width=180,
        hint_text="2027-06-30",
        value=dates.insurance_ends_on.isoformat() if dates.insurance_ends_on else "",
    )
    registered = ft.TextField(
        label=t("rem_registered"),
        width=180,
        hint_text="2021-03-15",
        value=dates.registered_on.isoformat() if dates.registered_on else "",
    )
    nxt = muted(
        t("rem_next_inspection", date=format_date(dates.next_inspection))
        if dates.next_inspection
        else "",
        12,
    )

    async def save(e: ft.Event[Any]) -> None:
        try:
            request = ServiceDatesRequest(
                insurance_ends_on=_parse(insurance.value), registered_on=_parse(registered.value)
            )
            saved = await app.api.save_service_dates(contract_id, request)
        except ValueError:
            banner.show(t("coll_date_invalid"))
            page.update()
            return
        except ApiError as exc:
            banner.show(exc.message(t.language))
            page.update()
            return
        banner.clear()
        nxt.value = (
            t("rem_next_inspection", date=format_date(saved.next_inspection))
            if saved.next_inspection
            else t("rem_saved")
        )
        page.update()

    return [
        heading(t("rem_service", number=number)),
        ft.Row(
            [
                tagged(f"rem-insurance-{number}", insurance),
                tagged(f"rem-registered-{number}", registered),
            ],
            wrap=True,
        ),
        nxt,
        tagged(f"rem-save-{number}", ft.OutlinedButton(t("rem_save"), on_click=save)),
    ]
