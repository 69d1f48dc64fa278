"""A stock audit 盘库 on the phone: the financed vehicles to show, each seen by its VIN (typed
or photographed with the intake's VIN scanner) and a photo of the vehicle on the lot."""

from __future__ import annotations

from typing import TYPE_CHECKING

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, LabelledText, tagged
from app_mobile.i18n import format_date
from app_mobile.views.risk.common import heading, muted, screen
from app_mobile.views.staff.intake.controller import content_type_for
from common.api.floorplan import AuditView
from common.identity import validate_vin

if TYPE_CHECKING:
    from app_mobile.shell import App


def _summary(app: App, audit: AuditView) -> str:
    if audit.status != "open":
        return app.t("fp_audit_closed", missing=audit.missing)
    return app.t("fp_audit_due", date=format_date(audit.deadline), scanned=audit.scanned,
                 total=len(audit.units))  # fmt: skip


def _rows(app: App, audit: AuditView) -> list[ft.Control]:
    t = app.t
    return [
        tagged(f"fp-audit-unit-{u.vin}", ft.ListTile(
            leading=ft.Icon(ft.Icons.CHECK_CIRCLE if u.scanned_at else ft.Icons.CIRCLE_OUTLINED,
                            color=ft.Colors.GREEN_700 if u.scanned_at else ft.Colors.GREY_500),
            title=ft.Text(u.vin, size=14), subtitle=ft.Text(
                f"{u.model} · {t('fp_audit_scanned') if u.scanned_at else t('fp_audit_pending')}",
                size=12),
        ))
        for u in audit.units
    ]  # fmt: skip


async def audit_view(app: App, audit_id: str) -> ft.View:
    t, page = app.t, app.page
    route = f"/floorplan/audits/{audit_id}"
    banner = ErrorBanner()
    try:
        audit = await app.api.floorplan_audit(audit_id)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("fp_audit_title"), [banner.control])
    summary = LabelledText("fp-audit-summary", _summary(app, audit), size=14)
    units = ft.Column(_rows(app, audit), spacing=0)
    vin = ft.TextField(label=t("fp_vin"), max_length=17,
                       capitalization=ft.TextCapitalization.CHARACTERS)  # fmt: skip

    async def vin_read(e: ft.FilePickerResultEvent) -> None:
        if not e.files or e.files[0].bytes is None:
            return
        try:
            scan = await app.api.scan_vin(e.files[0].bytes, content_type_for(e.files[0].name))
            vin.value = scan.vin
            banner.clear()
        except ApiError as exc:
            banner.show(exc.message(t.language))
        page.update()

    async def photo_taken(e: ft.FilePickerResultEvent) -> None:
        nonlocal audit
        if not e.files or e.files[0].bytes is None:
            return
        check = validate_vin(vin.value or "")
        if not check.valid:
            vin.error = t("fp_audit_pick_vin")
            page.update()
            return
        try:
            audit = await app.api.floorplan_scan(
                audit_id, check.value, e.files[0].bytes, content_type_for(e.files[0].name)
            )
        except ApiError as exc:
            banner.show(exc.message(t.language))
            page.update()
            return
        vin.value, vin.error = "", None
        banner.show(t("fp_audit_done", vin=check.value), success=True)
        units.controls = _rows(app, audit)
        summary.set(_summary(app, audit))
        page.update()

    def picker_button(
        identifier: str, label: str, icon: ft.IconData, picker: ft.FilePicker
    ) -> ft.Control:
        return tagged(identifier, ft.Button(
            label, icon=icon, height=48,
            action=ft.PickFiles(picker, file_type=ft.FilePickerFileType.IMAGE, with_data=True,
                                cancel_upload_on_window_blur=False),
        ))  # fmt: skip

    controls: list[ft.Control] = [
        banner.control,
        summary.control,
    ]
    if audit.status == "open":
        controls += [
            picker_button("fp-audit-vin-photo", t("fp_scan_vin"), ft.Icons.QR_CODE_SCANNER,
                          ft.FilePicker(on_result=vin_read)),
            tagged("fp-audit-vin", vin),
            picker_button("fp-audit-photo", t("fp_audit_photo"), ft.Icons.PHOTO_CAMERA,
                          ft.FilePicker(on_result=photo_taken)),
        ]  # fmt: skip
    controls += [heading(t("fp_units")), tagged("fp-audit-units", units)]
    if not audit.units:
        controls.append(muted(t("fp_no_units")))
    return screen(app, route, t("fp_audit_title"), controls)
