"""Synthetic phone photos of VIN labels, deterministic by seed.

A label (white sticker with maker text, the barcode and the VIN in clear text) is pasted on a
textured background (door jamb / windscreen corner), then the photo hazards are applied: rotation
(small angles, upside down, sideways), perspective, blur, uneven light, sensor noise, JPEG
compression, and optionally an EXIF orientation tag instead of rotated pixels. Barcodes come from
zxing-cpp's writer (Code 39, Code 128, QR, DataMatrix), so no extra system library is needed.

Used by the tests (a handful of photos) and by bench/intake.py (a few hundred).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import zxingcpp
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from common.identity import check_digit

Symbology = Literal["code39", "code128", "qr", "datamatrix"]
SYMBOLOGIES: tuple[Symbology, ...] = ("code39", "code128", "qr", "datamatrix")

_FORMATS = {
    "code39": zxingcpp.BarcodeFormat.Code39,
    "code128": zxingcpp.BarcodeFormat.Code128,
    "qr": zxingcpp.BarcodeFormat.QRCode,
    "datamatrix": zxingcpp.BarcodeFormat.DataMatrix,
}
_CHINA_WMIS = ("LFV", "LSV", "LSG", "LHG", "LVS", "LGB", "LGW", "LB3", "LC0", "LRW", "LZW", "LZZ")
_IMPORT_WMIS = ("WBA", "WDD", "WVW", "JTD", "WAU", "YV1")
_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_YEAR_CODES = "DEFGHJKLMNPRST"


@dataclass(frozen=True)
class Hazards:
    """What is done to the photo. Angles in degrees, counter-clockwise."""

    angle: float = 0.0
    perspective: float = 0.0  # corner jitter as a fraction of the label size
    blur: float = 0.0  # Gaussian radius in px at photo scale
    noise: float = 4.0  # sensor noise sigma (grey levels)
    jpeg_quality: int = 88
    exif_orientation: int | None = None  # 6 = stored rotated, needs 90° turn to view upright
    label_fraction: float = 0.45  # label width / photo width
    size: tuple[int, int] = (1600, 1200)


@dataclass(frozen=True)
class VinPhoto:
    data: bytes
    vin: str
    symbology: Symbology
    payload: str
    hazards: Hazards = field(default_factory=Hazards)


def make_vin(rng: random.Random, *, china: bool = True, valid_check_digit: bool = True) -> str:
    """A random VIN: a real WMI, a plausible model year, a correct check digit unless asked."""
    wmi = rng.choice(_CHINA_WMIS if china else _IMPORT_WMIS)
    vds = "".join(rng.choice(_VIN_CHARS) for _ in range(5))
    vis = rng.choice(_YEAR_CODES) + rng.choice(_VIN_CHARS) + f"{rng.randrange(10**6):06d}"
    draft = wmi + vds + "0" + vis
    digit = check_digit(draft)
    if not valid_check_digit:
        digit = "0123456789X"[("0123456789X".index(digit) + 1) % 11]
    return draft[:8] + digit + draft[9:]


def barcode_image(payload: str, symbology: Symbology) -> Image.Image:
    """The bare barcode, one pixel per module, with quiet zones."""
    code = zxingcpp.create_barcode(payload, _FORMATS[symbology])
    return Image.fromarray(np.asarray(code.to_image(scale=1, add_quiet_zones=True)))


def default_payload(vin: str, symbology: Symbology, rng: random.Random) -> str:
    """What a real label encodes: Code 39 often with a leading I, QR sometimes a URL."""
    if symbology == "code39" and rng.random() < 0.6:
        return "I" + vin
    if symbology == "qr" and rng.random() < 0.5:
        return f"https://vin.example-maker.cn/v/{vin}"
    return vin


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def render_label(payload: str, vin: str, symbology: Symbology, rng: random.Random) -> Image.Image:
    """A VIN sticker about 1000 px wide: header text, the barcode, the VIN in clear text."""
    bars = barcode_image(payload, symbology)
    two_d = symbology in ("qr", "datamatrix")
    module = rng.uniform(9, 14) if two_d else rng.uniform(2.6, 3.6)
    bw, bh = round(bars.width * module), round(bars.height * module)
    if not two_d:
        bh = rng.randint(110, 170)
    bars = bars.resize((bw, bh), Image.Resampling.NEAREST)
    width = max(bw + 80, 700)
    height = bh + 220
    paper = rng.randint(225, 250)
    label = Image.new("L", (width, height), paper)
    draw = ImageDraw.Draw(label)
    draw.text(
        (30, 18),
        rng.choice(["MADE IN CHINA", "VEHICLE IDENTIFICATION", "VIN LABEL"]),
        fill=30,
        font=_font(34),
    )
    draw.text(
        (30, 62),
        f"GVW {rng.randint(1500, 3500)} kg  {rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}",
        fill=50,
        font=_font(24),
    )
    label.paste(bars, ((width - bw) // 2, 105))
    draw.text((30, 105 + bh + 20), f"VIN {vin}", fill=20, font=_font(40))
    draw.rectangle((2, 2, width - 3, height - 3), outline=90, width=3)
    return label


def _background(size: tuple[int, int], rng: np.random.Generator) -> Image.Image:
    w, h = size
    small = rng.normal(120, 35, (h // 40 + 2, w // 40 + 2)).clip(0, 255).astype(np.uint8)
    base = Image.fromarray(small).resize((w, h), Image.Resampling.BICUBIC)
    base = base.filter(ImageFilter.GaussianBlur(20))
    grain = rng.normal(0, 10, (h, w))
    arr = np.asarray(base, dtype=np.float32) + grain
    # A few dark edges and rubber seals, as in a door jamb.
    for _ in range(3):
        y = int(rng.integers(0, h))
        arr[y : y + int(rng.integers(8, 40)), :] *= 0.4
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


def _perspective_coeffs(
    src: list[tuple[float, float]], dst: list[tuple[float, float]]
) -> list[float]:
    rows = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    a = np.array(rows, dtype=np.float64)
    b = np.array([c for p in src for c in p], dtype=np.float64)
    return [float(c) for c in np.linalg.solve(a, b)]


def compose_photo(label: Image.Image, hazards: Hazards, seed: int) -> Image.Image:
    """Place `label` on a background and apply the geometric and optical hazards."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    w, h = hazards.size
    scale = hazards.label_fraction * w / label.width
    lw, lh = round(label.width * scale), round(label.height * scale)
    label = label.resize((lw, lh), Image.Resampling.LANCZOS)
    # RGBA so that rotation/perspective leave transparent corners over the background.
    sticker = Image.merge("LA", (label, Image.new("L", label.size, 255)))
    if hazards.perspective:
        j = hazards.perspective
        src = [(0.0, 0.0), (lw, 0.0), (lw, lh), (0.0, lh)]
        dst = [(x + rng.uniform(-j, j) * lw, y + rng.uniform(-j, j) * lh) for x, y in src]
        min_x, min_y = min(p[0] for p in dst), min(p[1] for p in dst)
        dst = [(x - min_x, y - min_y) for x, y in dst]
        out = (round(max(p[0] for p in dst)), round(max(p[1] for p in dst)))
        sticker = sticker.transform(
            out,
            Image.Transform.PERSPECTIVE,
            _perspective_coeffs(src, dst),
            Image.Resampling.BICUBIC,
        )
    if hazards.angle:
        sticker = sticker.rotate(hazards.angle, Image.Resampling.BICUBIC, expand=True)
    photo = _background((w, h), nrng)
    sw, sh = sticker.size
    if sw > w or sh > h:
        ratio = min(w / sw, h / sh) * 0.95
        sticker = sticker.resize((round(sw * ratio), round(sh * ratio)), Image.Resampling.LANCZOS)
        sw, sh = sticker.size
    x = rng.randint(0, w - sw)
    y = rng.randint(0, h - sh)
    photo.paste(sticker.getchannel("L"), (x, y), sticker.getchannel("A"))
    arr = np.asarray(photo, dtype=np.float32)
    # Uneven light: a gradient across the frame.
    gx = np.linspace(rng.uniform(0.75, 1.0), rng.uniform(0.85, 1.1), w, dtype=np.float32)
    gy = np.linspace(rng.uniform(0.8, 1.05), rng.uniform(0.8, 1.05), h, dtype=np.float32)
    arr = arr * gy[:, None] * gx[None, :]
    photo = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    if hazards.blur:
        photo = photo.filter(ImageFilter.GaussianBlur(hazards.blur))
    arr = np.asarray(photo, dtype=np.float32)
    if hazards.noise:
        arr = arr + nrng.normal(0, hazards.noise, arr.shape).astype(np.float32)
    grey = arr.clip(0, 255).astype(np.uint8)
    # Phone photos are colour: a slight warm tint on each channel.
    tint = [1.0, rng.uniform(0.95, 1.0), rng.uniform(0.85, 0.95)]
    rgb = np.stack([(grey * t).clip(0, 255).astype(np.uint8) for t in tint], axis=-1)
    return Image.fromarray(rgb, "RGB")


_EXIF_STORE = {
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,
    8: Image.Transpose.ROTATE_270,
}


def encode(photo: Image.Image, hazards: Hazards, fmt: str = "JPEG") -> bytes:
    """Encode as a phone would; with an EXIF orientation the pixels are stored un-rotated."""
    exif = Image.Exif()
    if hazards.exif_orientation:
        # Orientation 6 means "rotate 90° clockwise to view": store it turned counter-clockwise.
        photo = photo.transpose(_EXIF_STORE[hazards.exif_orientation])
        exif[0x0112] = hazards.exif_orientation
    buf = io.BytesIO()
    if fmt == "JPEG":
        photo.save(buf, "JPEG", quality=hazards.jpeg_quality, exif=exif.tobytes())
    else:
        photo.save(buf, fmt, exif=exif.tobytes())
    return buf.getvalue()


def make_photo(
    seed: int,
    symbology: Symbology,
    hazards: Hazards | None = None,
    *,
    vin: str | None = None,
    payload: str | None = None,
    fmt: str = "JPEG",
) -> VinPhoto:
    """One photo of a VIN label; `payload` overrides what the barcode encodes."""
    rng = random.Random(seed)
    hazards = hazards or Hazards()
    vin = vin or make_vin(rng, china=rng.random() < 0.8)
    payload = payload if payload is not None else default_payload(vin, symbology, rng)
    label = render_label(payload, vin, symbology, rng)
    photo = compose_photo(label, hazards, seed)
    return VinPhoto(encode(photo, hazards, fmt), vin, symbology, payload, hazards)


def photo_without_barcode(seed: int, size: tuple[int, int] = (1000, 750)) -> bytes:
    """A door-jamb photo with a text-only sticker and no barcode."""
    rng = random.Random(seed)
    label = Image.new("L", (size[0] * 2 // 3, size[0] // 4), 240)
    draw = ImageDraw.Draw(label)
    draw.text((30, 40), "TIRE PRESSURE 250 kPa", fill=20, font=_font(48))
    draw.text((30, 140), "FRONT 250 kPa  REAR 250 kPa", fill=20, font=_font(40))
    hazards = Hazards(angle=rng.uniform(-8, 8), blur=0.6, size=size)
    return encode(compose_photo(label, hazards, seed), hazards)


def random_hazards(rng: random.Random, *, big: bool = False) -> Hazards:
    """A realistic mix: mostly slight tilt, some sideways or upside down, some EXIF-rotated."""
    turn = rng.choices([0, 90, 180, 270], weights=[6, 2, 1, 1])[0]
    exif = None
    if turn and rng.random() < 0.4:
        exif, turn = {90: 8, 180: 3, 270: 6}[turn], 0
    return Hazards(
        angle=turn + rng.uniform(-12, 12),
        perspective=rng.uniform(0.0, 0.08),
        blur=rng.choice([0.0, 0.5, 0.8, 1.2]),
        noise=rng.uniform(2, 8),
        jpeg_quality=rng.randint(70, 92),
        exif_orientation=exif,
        label_fraction=rng.uniform(0.35, 0.6),
        size=(4000, 3000) if big else rng.choice([(1600, 1200), (2000, 1500), (1200, 1600)]),
    )


def photo_set(count: int, seed: int = 2024, *, big_every: int = 10) -> list[VinPhoto]:
    """`count` photos cycling through the symbologies with random hazards; every `big_every`-th
    photo is 12 MP (4000x3000)."""
    rng = random.Random(seed)
    photos = []
    for i in range(count):
        hazards = random_hazards(rng, big=big_every > 0 and i % big_every == big_every - 1)
        photos.append(make_photo(seed * 1000 + i, SYMBOLOGIES[i % 4], hazards))
    return photos
