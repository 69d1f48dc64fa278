"""Safe decoding of uploaded images: allow-listed formats, a byte and pixel budget, EXIF rotation.

Every uploaded photo goes through `load_image` before anything else looks at its pixels, so a
decompression bomb or a file in an unexpected format is refused before a decoder spends memory
on it. Pillow's own guard (`Image.MAX_IMAGE_PIXELS`, a warning past it, an error past twice it)
is set to our budget and its warning is treated as an error.
"""

from __future__ import annotations

import io
import struct
import warnings

from PIL import Image, ImageOps

from common.errors import DomainError

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_BYTES = 12 * 1024 * 1024
# Phone cameras give 12 MP (4000x3000, 4032x3024); twice that leaves room for 16-24 MP sensors
# while keeping a decoded RGB frame under ~72 MB.
MAX_PIXELS = 24_000_000

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def image_invalid() -> DomainError:
    return DomainError(
        "image_invalid",
        "文件不是有效的图片（仅支持 JPEG、PNG、WebP）",
        "The file is not a valid image (JPEG, PNG or WebP only)",
        status=422,
    )


def image_too_large() -> DomainError:
    return DomainError(
        "image_too_large",
        "图片过大（最大 12 MB、2400 万像素）",
        "The image is too large (at most 12 MB and 24 megapixels)",
        status=413,
    )


def open_image(data: bytes, *, max_bytes: int = MAX_BYTES) -> Image.Image:
    """Open (header only) with the allow-list and check the byte and pixel budget."""
    if len(data) > max_bytes:
        raise image_too_large()
    if not data:
        raise image_invalid()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise image_too_large() from None
    except (OSError, ValueError, SyntaxError, struct.error):
        raise image_invalid() from None
    width, height = image.size
    if width <= 0 or height <= 0:
        raise image_invalid()
    if width * height > MAX_PIXELS:
        raise image_too_large()
    return image


def decode(image: Image.Image) -> Image.Image:
    """Decode the pixels (first frame only), then apply the EXIF orientation."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise image_too_large() from None
    except (OSError, ValueError, SyntaxError, struct.error, EOFError):
        raise image_invalid() from None
    try:
        upright = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, struct.error, KeyError, TypeError):
        # A broken EXIF block is not worth refusing the photo for; show it as stored.
        upright = image
    return upright if upright is not None else image


def load_image(
    data: bytes,
    *,
    mode: str | None = None,
    draft_max_side: int | None = None,
) -> tuple[Image.Image, str]:
    """Open, budget-check and decode an upload; returns the upright image and its format.

    `draft_max_side` lets the JPEG decoder scale down by 1/2, 1/4 or 1/8 while decoding (several
    times faster than decoding at full size and resizing) while keeping at least that many pixels
    on the long side; `mode="L"` also decodes JPEG straight to grey.
    """
    image = open_image(data)
    fmt = image.format or ""
    if image.format == "JPEG" and (draft_max_side or mode):
        target = image.size
        if draft_max_side:
            ratio = draft_max_side / max(image.size)
            target = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
        image.draft(mode if mode in ("L", "RGB") else None, target)
    image = decode(image)
    if mode and image.mode != mode:
        if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
            # Flatten on white: a transparent PNG label must not turn black.
            rgba = image.convert("RGBA")
            flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            image = Image.alpha_composite(flat, rgba)
        image = image.convert(mode)
    return image, fmt
