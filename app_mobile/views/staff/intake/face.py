"""The customer's face 客户人脸照 taken with the phone's front camera (flet-camera), for the
identity provider's face match and liveness check. Where there is no camera to drive (a desktop
browser, a camera that will not start) the row keeps its file picker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft
import flet_camera as fc

from common.api.intake import PhotoKind

if TYPE_CHECKING:
    from app_mobile.views.staff.intake.photos import PhotoUploads

PHONES = (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS)


def camera_available(uploads: PhotoUploads) -> bool:
    """A phone (its browser or the app) has a front camera to take the face with, unless it
    already failed to start."""
    return uploads.controller.app.page.platform in PHONES and not uploads.no_camera


async def open_face_camera(uploads: PhotoUploads) -> None:
    controller = uploads.controller
    t, page = controller.app.t, controller.app.page
    camera = fc.Camera(preview_enabled=True, width=320, height=420)
    dialog = ft.AlertDialog(modal=True, title=ft.Text(t("photo_customer_face")), content=camera)

    async def close() -> None:
        page.pop_dialog()
        page.update()

    async def capture(e: ft.Event[Any]) -> None:
        try:
            data = await camera.take_picture()
        except Exception:
            await fall_back_to_picker(uploads)
            return
        await close()
        await uploads.upload_bytes(PhotoKind.CUSTOMER_FACE, data)

    async def cancel(e: ft.Event[Any]) -> None:
        await close()

    dialog.actions = [
        ft.TextButton(t("photo_face_cancel"), on_click=cancel),
        ft.Button(t("photo_face_capture"), icon=ft.Icons.CAMERA, on_click=capture),
    ]
    page.show_dialog(dialog)
    page.update()
    try:
        cameras = await camera.get_available_cameras()
        front = next(
            (c for c in cameras if c.lens_direction == fc.CameraLensDirection.FRONT),
            cameras[0] if cameras else None,
        )
        if front is None:
            raise LookupError("no camera")
        await camera.initialize(front, fc.ResolutionPreset.MEDIUM, enable_audio=False)
    except Exception:
        await fall_back_to_picker(uploads)


async def fall_back_to_picker(uploads: PhotoUploads) -> None:
    controller = uploads.controller
    uploads.no_camera = True
    controller.app.page.pop_dialog()
    controller.banner.show(controller.app.t("photo_face_no_camera"))
    await controller.app.show(controller.route())  # the row now offers its file picker
