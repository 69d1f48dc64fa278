"""Photo processing: allow-listed formats, pixel budget, EXIF rotation, no metadata kept."""

import hashlib
import io
import warnings

import pytest
from PIL import Image

from backend.intake.imaging import MAX_BYTES, MAX_PIXELS
from backend.intake.photos import process_photo
from common.errors import DomainError

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def encode(image: Image.Image, fmt: str = "JPEG", **params: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **params)
    return buf.getvalue()


def phone_jpeg(size: tuple[int, int] = (800, 600), orientation: int | None = None) -> bytes:
    """A JPEG with GPS and camera EXIF; the left half red, the right half blue."""
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Phone 15"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 50.0)})
    if orientation:
        exif[ORIENTATION] = orientation
    return encode(image, "JPEG", exif=exif.tobytes(), quality=90)


def colour_at(data: bytes, xy: tuple[float, float]) -> tuple[int, ...]:
    image = Image.open(io.BytesIO(data)).convert("RGB")
    pixel = image.getpixel((round(xy[0] * (image.width - 1)), round(xy[1] * (image.height - 1))))
    assert isinstance(pixel, tuple)
    return pixel


def test_all_metadata_including_gps_is_stripped() -> None:
    result = process_photo(phone_jpeg())
    stored = Image.open(io.BytesIO(result.image))
    assert len(stored.getexif()) == 0
    assert b"Exif" not in result.image[:4096]
    assert b"PhoneMaker" not in result.image
    assert "icc_profile" not in stored.info
    assert b"Exif" not in result.thumbnail[:4096]


def test_exif_orientation_is_applied_to_the_pixels() -> None:
    # Orientation 6: the viewer turns the stored image 90° clockwise, so the red left half
    # ends up on top.
    result = process_photo(phone_jpeg((800, 600), orientation=6))
    assert (result.width, result.height) == (600, 800)
    top = colour_at(result.image, (0.5, 0.1))
    bottom = colour_at(result.image, (0.5, 0.9))
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60


def test_large_photo_is_scaled_to_max_side_with_a_thumbnail() -> None:
    result = process_photo(phone_jpeg((4000, 3000)))
    assert (result.width, result.height) == (1600, 1200)
    assert (result.thumb_width, result.thumb_height) == (320, 240)
    assert Image.open(io.BytesIO(result.thumbnail)).size == (320, 240)
    assert result.content_type == "image/jpeg"
    assert result.sha256 == hashlib.sha256(result.image).hexdigest()
    assert result.source_format == "JPEG"


def test_small_photo_is_not_enlarged() -> None:
    result = process_photo(phone_jpeg((300, 200)), max_side=1600, thumb_side=320)
    assert (result.width, result.height) == (300, 200)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted_and_reencoded_as_jpeg(fmt: str) -> None:
    image = Image.new("RGBA", (200, 100), (0, 0, 0, 0))  # fully transparent
    result = process_photo(encode(image, fmt))
    assert result.source_format == fmt
    assert Image.open(io.BytesIO(result.image)).format == "JPEG"
    assert colour_at(result.image, (0.5, 0.5))[0] > 240  # transparency becomes white


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF", "ICO"])
def test_formats_outside_the_allow_list_are_rejected(fmt: str) -> None:
    data = encode(Image.new("RGB", (64, 64), (10, 20, 30)), fmt)
    with pytest.raises(DomainError) as caught:
        process_photo(data)
    assert (caught.value.code, caught.value.status) == ("image_invalid", 422)


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image at all", b"%PDF-1.7\n...", b"\xff\xd8\xff\xe0" + b"\x00" * 64],
    ids=["empty", "text", "pdf", "truncated-jpeg"],
)
def test_non_images_are_rejected(data: bytes) -> None:
    with pytest.raises(DomainError) as caught:
        process_photo(data)
    assert (caught.value.code, caught.value.status) == ("image_invalid", 422)


def test_decompression_bomb_is_rejected_before_decoding() -> None:
    # A 1-bit PNG of 6000x6000 = 36 MP compresses to a few kilobytes.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bomb = encode(Image.new("1", (6000, 6000)), "PNG", optimize=True)
    assert len(bomb) < 100_000 and MAX_PIXELS < 6000 * 6000
    with pytest.raises(DomainError) as caught:
        process_photo(bomb)
    assert (caught.value.code, caught.value.status) == ("image_too_large", 413)


def test_oversized_upload_is_rejected() -> None:
    with pytest.raises(DomainError) as caught:
        process_photo(b"\xff\xd8" + b"\x00" * MAX_BYTES)
    assert caught.value.code == "image_too_large"
