"""What a reviewer looks at closely 审核细看: photos opened full size, and the customer's name and
ID number in full on an explicit, audited tap (the values live only in the controls on screen)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from common.api.intake import ApplicationView, PhotoView

if TYPE_CHECKING:
    from app_mobile.shell import App

THUMB_W, THUMB_H = 150, 112


async def _image(app: App, url: str) -> bytes | None:
    """Fetched with the bearer token and shown from bytes: no token ever goes into a URL."""
    try:
        return await app.api.fetch_image(url)
    except ApiError:
        return None


async def open_full_size(app: App, photo: PhotoView) -> None:
    """The full-size photo in a dialog, pinch/scroll to zoom, fitted to the screen."""
    t, page = app.t, app.page
    caption = t(f"photo_{photo.kind.value}")
    data = await _image(app, photo.url)

    async def close(e: ft.Event[Any]) -> None:
        page.pop_dialog()

    body: ft.Control = (
        ft.InteractiveViewer(
            ft.Image(src=data, fit=ft.BoxFit.CONTAIN), min_scale=1, max_scale=6, boundary_margin=40
        )
        if data
        else ft.Text(t("review_photo_failed"), color=ft.Colors.RED_700)
    )
    dialog = ft.AlertDialog(
        title=ft.Text(caption),
        content=tagged(
            "review-photo-full",
            ft.Container(
                body, width=min(page.width or 360, 900), height=(page.height or 640) * 0.6
            ),
            label=f"{caption} {photo.width}×{photo.height}",
        ),
        actions=[
            tagged("review-photo-close", ft.TextButton(t("review_photo_close"), on_click=close))
        ],
        inset_padding=8,
        content_padding=8,
    )
    page.show_dialog(dialog)


async def photo_tiles(app: App, view: ApplicationView) -> list[ft.Control]:
    """Thumbnails; a tap opens the photo full size."""
    images = await asyncio.gather(*(_image(app, p.thumbnail_url) for p in view.photos))
    tiles: list[ft.Control] = []
    for photo, data in zip(view.photos, images, strict=True):
        picture: ft.Control = (
            ft.Image(src=data, width=THUMB_W, height=THUMB_H, fit=ft.BoxFit.COVER, border_radius=6)
            if data
            else ft.Container(
                width=THUMB_W, height=THUMB_H, bgcolor=ft.Colors.GREY_300, border_radius=6
            )
        )
        caption = app.t(f"photo_{photo.kind.value}")

        def opener(p: PhotoView):  # type: ignore[no-untyped-def]
            async def open_(e: ft.Event[Any]) -> None:
                await open_full_size(app, p)

            return open_

        tile = ft.Container(
            ft.Column([picture, ft.Text(caption, size=12)], spacing=2),
            on_click=opener(photo),
            tooltip=app.t("review_photo_open", name=caption),
        )
        tiles.append(tagged(f"review-photo-{photo.kind.value}", tile, label=caption))
    return [ft.Row(tiles, wrap=True, spacing=8, run_spacing=8)]


def reveal_control(
    app: App, application_id: str, name: ft.Semantics, id_number: ft.Semantics, banner: ErrorBanner
) -> ft.Control:
    """A button that replaces the masked name and ID number with the real ones (audited)."""
    t = app.t
    note = ft.Text(t("review_reveal_note"), size=12, color=ft.Colors.ON_SURFACE_VARIANT)

    async def reveal(e: ft.Event[Any]) -> None:
        try:
            customer = await app.api.reveal_customer(application_id)
        except ApiError as exc:
            banner.show(exc.message(t.language))
            banner.control.update()
            return
        for shown, value in ((name, customer.name), (id_number, customer.id_number)):
            shown.label = value
            shown.content.value = value  # type: ignore[union-attr]  # the ft.Text of the line
        shown_button.visible = False  # the wrapper: a Semantics must keep a visible content
        note.value = t("review_revealed")
        app.page.update()

    button = ft.OutlinedButton(t("review_reveal"), icon=ft.Icons.VISIBILITY, on_click=reveal)
    shown_button = tagged("review-reveal", button)
    return ft.Column([shown_button, note], spacing=2)
