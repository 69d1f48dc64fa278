"""Uploaded photos (ID cards, licences, the vehicle): decoded safely, upright, without metadata.

The stored image is re-encoded from pixels only, so nothing of the original file survives: no
EXIF (GPS position, phone model, capture time), no ICC or XMP blocks, no trailing bytes. The
sha256 is of the stored bytes (for integrity and de-duplication of the processed image).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image

from backend.intake.imaging import load_image

JPEG_QUALITY = 85
THUMB_QUALITY = 80


@dataclass(frozen=True, slots=True)
class ProcessedPhoto:
    image: bytes
    thumbnail: bytes
    width: int
    height: int
    thumb_width: int
    thumb_height: int
    content_type: str  # always image/jpeg: every stored photo is re-encoded
    sha256: str
    source_format: str  # JPEG / PNG / WEBP as uploaded


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    # No exif=, icc_profile= or comment=: the output carries pixels only.
    image.save(buf, "JPEG", quality=quality, optimize=False, progressive=False)
    return buf.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """RGB or L, transparent areas on white (JPEG has no alpha)."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "PA", "P") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")


def _shrunk(image: Image.Image, side: int) -> Image.Image:
    if max(image.size) <= side:
        return image
    ratio = side / max(image.size)
    size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def process_photo(data: bytes, *, max_side: int = 1600, thumb_side: int = 320) -> ProcessedPhoto:
    """Decode an upload (JPEG/PNG/WebP within the byte and pixel budget), rotate it upright by
    its EXIF orientation, drop all metadata, scale it to fit `max_side`, re-encode as JPEG, and
    make a `thumb_side` thumbnail.

    Raises DomainError `image_invalid` (422) or `image_too_large` (413).
    """
    # Let the JPEG decoder do the bulk of the downscale (draft mode) when the photo is large;
    # draft keeps at least `max_side` pixels, the resize below does the exact fit.
    image, source_format = load_image(data, draft_max_side=max_side)
    image = _flatten(image)
    stored = _shrunk(image, max_side)
    thumb = _shrunk(stored, thumb_side)
    payload = _jpeg(stored, JPEG_QUALITY)
    return ProcessedPhoto(
        image=payload,
        thumbnail=_jpeg(thumb, THUMB_QUALITY),
        width=stored.width,
        height=stored.height,
        thumb_width=thumb.width,
        thumb_height=thumb.height,
        content_type="image/jpeg",
        sha256=hashlib.sha256(payload).hexdigest(),
        source_format=source_format,
    )
