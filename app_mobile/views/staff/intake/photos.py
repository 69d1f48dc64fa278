"""Photo uploads 影像资料: one picker per kind; progress while uploading; a failed upload can be
retried.

The browser PUTs the file straight to a short-lived signed URL (FilePicker.upload cannot send an
Authorization header); afterwards the application is re-read to confirm the server kept the photo.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError, upload_failure
from app_mobile.components import LabelledText, tagged
from app_mobile.state.intake import PhotoSlot
from common.api.intake import PhotoKind

if TYPE_CHECKING:
    from app_mobile.views.staff.intake.controller import IntakeController

KINDS = tuple(PhotoKind)  # a picker for each: the partner families' documents too


@dataclass
class PhotoRow:
    status: LabelledText
    bar: ft.ProgressBar
    retry: ft.IconButton
    frame: ft.Container  # the thumbnail once the server has the photo, an icon until then


class PhotoUploads:
    def __init__(self, controller: IntakeController) -> None:
        self.controller = controller
        self.pickers: dict[PhotoKind, ft.FilePicker] = {}
        self.last_file: dict[PhotoKind, int] = {}
        self.rows: dict[PhotoKind, PhotoRow] = {}
        self.thumbnails: dict[PhotoKind, tuple[str, bytes]] = {}  # kind -> (url, JPEG bytes)
        self.no_camera = False  # the phone's camera would not start: the face is picked as a file
        for kind in KINDS:
            self.pickers[kind] = ft.FilePicker(
                on_result=self._picked_handler(kind), on_upload=self._upload_handler(kind)
            )

    # -- screen --------------------------------------------------------------------------------
    def row(self, kind: PhotoKind) -> ft.Control:
        t = self.controller.app.t
        slot = self.controller.state.slot(kind)
        row = PhotoRow(
            status=LabelledText(f"intake-photo-status-{kind.value}", "", size=12),
            bar=ft.ProgressBar(value=0, visible=False),
            retry=ft.IconButton(
                ft.Icons.REFRESH,
                tooltip=t("retry"),
                on_click=self._retry_handler(kind),
                visible=False,
            ),
            frame=ft.Container(width=48, height=48, alignment=ft.Alignment.CENTER),
        )
        self.rows[kind] = row
        self._paint(kind, slot)
        if slot.state == "done" and slot.thumbnail_url:
            self.controller.app.page.run_task(self._fetch_thumbnail, kind)
        pick = tagged(f"intake-photo-{kind.value}", self._pick_button(kind))
        return ft.Container(
            padding=ft.Padding.symmetric(vertical=6),
            content=ft.Row(
                [
                    row.frame,
                    ft.Column(
                        [
                            ft.Text(t(f"photo_{kind.value}"), weight=ft.FontWeight.W_500),
                            row.status.control,
                            row.bar,
                        ],
                        spacing=2,
                        expand=True,
                    ),
                    row.retry,
                    pick,
                ],
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
            ),
        )

    def _pick_button(self, kind: PhotoKind) -> ft.Control:
        """A file picker; the face on a phone is taken with the front camera instead."""
        from app_mobile.views.staff.intake.face import camera_available, open_face_camera

        t = self.controller.app.t
        if kind == PhotoKind.CUSTOMER_FACE and camera_available(self):

            async def take(e: ft.Event[Any]) -> None:
                await open_face_camera(self)

            return ft.OutlinedButton(t("photo_face_camera"), icon=ft.Icons.FACE, on_click=take)
        return ft.OutlinedButton(
            t("photo_pick"),
            icon=ft.Icons.PHOTO_CAMERA,
            action=ft.PickFiles(
                self.pickers[kind],
                file_type=ft.FilePickerFileType.IMAGE,
                cancel_upload_on_window_blur=False,
            ),
        )

    async def upload_bytes(self, kind: PhotoKind, data: bytes) -> None:
        """A photo taken in the app (the camera): sent with the bearer token, then confirmed."""
        controller = self.controller
        slot = await self._begin(kind)
        if slot is None:
            return
        try:
            await controller.app.api.upload_photo(
                controller.state.application_id, kind, data, "image/jpeg"
            )
        except ApiError as exc:
            slot.state, slot.error = "failed", exc.message(controller.app.t.language)
            self._paint(kind, slot)
            controller.refresh()
        else:
            await self._confirm(kind)

    async def _begin(self, kind: PhotoKind) -> PhotoSlot | None:
        """Mark the photo as uploading and make sure its draft exists on the server; None (the
        photo shown as failed) when the draft could not be saved."""
        controller = self.controller
        slot = controller.state.slot(kind)
        slot.state, slot.progress, slot.error = "uploading", 0.0, ""
        self._paint(kind, slot)
        controller.refresh()
        if controller.state.application_id or await controller.save():
            return slot
        slot.state = "failed"
        self._paint(kind, slot)
        controller.refresh()
        return None

    def _paint(self, kind: PhotoKind, slot: PhotoSlot) -> None:
        row = self.rows.get(kind)
        if row is None:
            return
        t = self.controller.app.t
        texts = {
            "missing": t("photo_missing"),
            "uploading": t("photo_uploading", pct=round(slot.progress * 100)),
            "done": t("photo_done"),
            "failed": f"{t('photo_failed')} {slot.error}".strip(),
        }
        colours = {"done": ft.Colors.GREEN_700, "failed": ft.Colors.RED_700}
        row.status.set(texts.get(slot.state, ""))
        row.status.text.color = colours.get(slot.state, ft.Colors.GREY_700)
        row.bar.visible = slot.state == "uploading"
        row.bar.value = slot.progress
        row.retry.visible = slot.state == "failed" and kind in self.last_file
        thumb = self.thumbnails.get(kind)
        if slot.state == "done" and thumb is not None and thumb[0] == slot.thumbnail_url:
            row.frame.content = ft.Image(
                src=thumb[1], width=48, height=48, fit=ft.BoxFit.COVER, border_radius=6
            )
        elif slot.state == "done":
            row.frame.content = ft.Icon(ft.Icons.CHECK_CIRCLE, color=ft.Colors.GREEN_700)
        else:
            row.frame.content = ft.Icon(ft.Icons.IMAGE_OUTLINED)

    async def _fetch_thumbnail(self, kind: PhotoKind) -> None:
        """Show what the server kept (rotated, stripped, downscaled), not the file as picked."""
        slot = self.controller.state.slot(kind)
        url = slot.thumbnail_url
        if not url or self.thumbnails.get(kind, ("",))[0] == url:
            return
        try:
            self.thumbnails[kind] = (url, await self.controller.app.api.fetch_image(url))
        except ApiError:
            return  # the check mark stays; the photo itself is safe on the server
        self._paint(kind, slot)
        self.controller.refresh()

    # -- events ----------------------------------------------------------------------------------
    def _picked_handler(self, kind: PhotoKind):  # type: ignore[no-untyped-def]
        async def picked(e: ft.FilePickerResultEvent) -> None:
            if e.files:
                self.last_file[kind] = e.files[0].id
                await self.upload(kind)

        return picked

    def _retry_handler(self, kind: PhotoKind):  # type: ignore[no-untyped-def]
        async def retry(e: ft.Event[Any]) -> None:
            await self.upload(kind)

        return retry

    def _upload_handler(self, kind: PhotoKind):  # type: ignore[no-untyped-def]
        async def progressed(e: ft.FilePickerUploadEvent) -> None:
            slot = self.controller.state.slot(kind)
            if e.error:
                problem = upload_failure(e.error)
                language = self.controller.app.t.language
                slot.state = "failed"
                # the server's own words in the clerk's language, not the transport's text
                slot.error = problem.message(language) if problem else e.error[:60]
            elif e.progress is not None:
                slot.progress = e.progress
                if e.progress >= 1.0:
                    await self._confirm(kind)
                    return
            self._paint(kind, slot)
            self.controller.refresh()

        return progressed

    async def upload(self, kind: PhotoKind) -> None:
        controller = self.controller
        state, api = controller.state, controller.app.api
        slot = await self._begin(kind)
        if slot is None:
            return
        try:
            target = await api.photo_upload_url(state.application_id, kind)
        except ApiError as exc:
            slot.state, slot.error = "failed", exc.message(controller.app.t.language)
            self._paint(kind, slot)
            controller.refresh()
            return
        # in the browser the page and the API share an origin: send the path, whatever host the
        # backend saw; a desktop or phone client needs the full URL
        web = controller.app.page.web
        url = api.same_origin(target.url) if web else api.absolute(target.url)
        await self.pickers[kind].upload(
            [ft.FilePickerUploadFile(upload_url=url, method="PUT", id=self.last_file.get(kind))]
        )

    async def _confirm(self, kind: PhotoKind) -> None:
        """The bytes arrived somewhere: believe it only when the application lists the photo."""
        controller = self.controller
        state = controller.state
        try:
            view = await controller.app.api.get_application(state.application_id)
        except ApiError as exc:
            slot = state.slot(kind)
            slot.state, slot.error = "failed", exc.message(controller.app.t.language)
        else:
            state.apply_view(view)
            slot = state.slot(kind)
            if slot.state != "done":
                slot.state, slot.error = "failed", ""
        self._paint(kind, slot)
        await controller.keep_local()
        controller.refresh()
        if slot.state == "done":
            await self._fetch_thumbnail(kind)
