"""VIN from a phone photo of the vehicle's VIN label (车架号扫描).

Strategy: a ladder of cheap-to-expensive attempts, stopping at the first trustworthy VIN.
1. zxing-cpp on a grey, JPEG-draft-downscaled frame (~1600 px): reads QR and DataMatrix almost
   always, and 1-D codes when the modules are coarse enough.
2. zbar (pyzbar, restricted to Code 39 / Code 128 / QR) on the same frame: a different 1-D
   decoder that copes better with blur.
3. The barcode crop: the region of strong, regular edges (see label_regions), cut out of the
   full-resolution frame, deskewed, read plain and contrast-stretched / sharpened.
4. The crop's bar band averaged into one intensity profile and matched against blurred Code 39
   templates (see bar_profile): thin blurred bars that no scanline decoder reads.
5. The whole frame contrast-stretched and sharpened, then turned by small angles.
Every read is checked (see `_judge`): a China-built VIN must pass the ISO 3779 check digit, so a
misread is never returned; an import whose check digit does not match is returned only from a
self-checking symbology (QR, DataMatrix, Code 128) or when two independent reads agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

import zxingcpp
from PIL import Image, ImageFilter, ImageOps
from pyzbar import pyzbar

from backend.intake import bar_profile, label_regions
from backend.intake.imaging import load_image
from common.errors import DomainError
from common.identity import decode_vin, normalise_vin

Symbology = Literal["code39", "code128", "qr", "datamatrix"]

WORKING_SIDE = 1600
FULL_SIDE = 3200

_ZXING_FORMATS = zxingcpp.BarcodeFormats(
    [
        zxingcpp.BarcodeFormat.Code39,
        zxingcpp.BarcodeFormat.Code128,
        zxingcpp.BarcodeFormat.QRCode,
        zxingcpp.BarcodeFormat.DataMatrix,
    ]
)
_ZXING_NAMES: dict[zxingcpp.BarcodeFormat, Symbology] = {
    zxingcpp.BarcodeFormat.Code39: "code39",
    zxingcpp.BarcodeFormat.Code128: "code128",
    zxingcpp.BarcodeFormat.QRCode: "qr",
    zxingcpp.BarcodeFormat.DataMatrix: "datamatrix",
}
_ZBAR_SYMBOLS = [pyzbar.ZBarSymbol.CODE39, pyzbar.ZBarSymbol.CODE128, pyzbar.ZBarSymbol.QRCODE]
_ZBAR_NAMES: dict[str, Symbology] = {"CODE39": "code39", "CODE128": "code128", "QRCODE": "qr"}
# Symbologies with their own error detection strong enough to trust a single read.
_SELF_CHECKING = frozenset({"qr", "datamatrix", "code128"})
_VIN_TOKEN = re.compile(r"(?<![A-Z0-9])I?[A-HJ-NPR-Z0-9]{17}(?![A-Z0-9])")


@dataclass(frozen=True, slots=True)
class VinScan:
    vin: str
    symbology: Symbology
    check_digit_valid: bool
    maker: str | None  # the model year needs the business date: the caller decodes it


@dataclass(frozen=True, slots=True)
class _Read:
    text: str
    symbology: Symbology
    reader: str


def vin_not_found() -> DomainError:
    return DomainError(
        "vin_not_found",
        "未能在照片中识别到车架号条码，请对准VIN标签重新拍摄",
        "No VIN barcode could be read in the photo; photograph the VIN label again",
        status=422,
    )


def vin_invalid() -> DomainError:
    return DomainError(
        "vin_invalid",
        "识别到的条码不是有效的车架号",
        "A barcode was read but it is not a valid VIN",
        status=422,
    )


def vin_candidates(text: str) -> list[str]:
    """17-character VINs a barcode payload may hold: the payload itself (a Code 39 leading `I`
    dropped), the last path segment or a query value of a URL, or a VIN token inside text."""
    raw = text.strip()
    found: list[str] = []
    if "://" in raw:
        parts = urlsplit(raw)
        segments = [s for s in parts.path.split("/") if s]
        pieces = segments[-1:] + [v for _, v in parse_qsl(parts.query)] + [parts.fragment]
        found += [normalise_vin(p) for p in pieces if p]
    found.append(normalise_vin(raw))
    found += [normalise_vin(m) for m in _VIN_TOKEN.findall(raw.upper())]
    out: list[str] = []
    for vin in found:
        if len(vin) == 17 and vin not in out and _VIN_TOKEN.fullmatch(vin):
            out.append(vin)
    return out


# --- readers ---------------------------------------------------------------------------------


def _zxing(
    image: Image.Image, *, binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage
) -> list[_Read]:
    results = zxingcpp.read_barcodes(
        image,
        formats=_ZXING_FORMATS,
        try_rotate=True,
        try_downscale=True,
        try_invert=False,
        binarizer=binarizer,
    )
    return [
        _Read(r.text, _ZXING_NAMES[r.format], "zxing")
        for r in results
        if r.valid and r.format in _ZXING_NAMES
    ]


def _zbar(image: Image.Image) -> list[_Read]:
    reads = []
    for r in pyzbar.decode(image, symbols=_ZBAR_SYMBOLS):
        try:
            text = r.data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if r.type in _ZBAR_NAMES:
            reads.append(_Read(text, _ZBAR_NAMES[r.type], "zbar"))
    return reads


def _both(image: Image.Image) -> list[_Read]:
    return _zxing(image) + _zbar(image)


# --- image variants --------------------------------------------------------------------------


def _fit(image: Image.Image, side: int) -> Image.Image:
    if max(image.size) <= side:
        return image
    ratio = side / max(image.size)
    size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    return image.resize(size, Image.Resampling.BOX)


def _rotated(image: Image.Image, angle: float) -> Image.Image:
    return image.rotate(angle, Image.Resampling.BILINEAR, expand=True, fillcolor=255)


def _enhanced(image: Image.Image) -> Image.Image:
    return ImageOps.autocontrast(image, cutoff=1).filter(
        ImageFilter.UnsharpMask(radius=2, percent=150, threshold=2)
    )


Attempt = tuple[str, Callable[[], list[_Read]]]


def _read_both(image: Image.Image) -> Callable[[], list[_Read]]:
    return lambda: _both(image)


def _read_rotated(image: Image.Image, angle: float) -> Callable[[], list[_Read]]:
    return lambda: _both(_rotated(image, angle))


def _read_variants(image: Image.Image) -> Callable[[], list[_Read]]:
    # Contrast stretch alone and with sharpening: on blurred thin bars the two binarise
    # differently, and either may be the one that decodes.
    return lambda: _both(ImageOps.autocontrast(image, cutoff=1)) + _both(_enhanced(image))


def _read_profile(crop: Image.Image) -> Callable[[], list[_Read]]:
    def read() -> list[_Read]:
        profile = bar_profile.bar_profile(crop)
        text = None if profile is None else bar_profile.read_code39(profile)
        return [] if text is None else [_Read(text, "code39", "profile")]

    return read


def _attempts(working: Image.Image, full: Callable[[], Image.Image]) -> Iterator[Attempt]:
    """The ladder, cheapest and most often successful first (order and content measured with
    bench/intake.py: rotating the deskewed crop, the unscaled full frame or a second region
    never decoded a photo that these attempts missed). The crop is computed lazily: a code read
    in the first attempt never pays for the full-resolution decode."""
    yield "zxing", lambda: _zxing(working)
    yield "zbar", lambda: _zbar(working)
    for n, crop in enumerate(label_regions.crops(working, full)):
        yield f"crop{n}", _read_both(crop)
        yield f"crop{n}_enh", _read_variants(crop)
        yield f"crop{n}_profile", _read_profile(crop)
    yield "enh", lambda: _zbar(_enhanced(working)) + _zbar(ImageOps.autocontrast(working, 1))
    for angle in (12, -12):
        yield f"rot{angle}", _read_rotated(working, angle)


# --- judging reads ---------------------------------------------------------------------------


class _Judge:
    """Decides which reads are trustworthy VINs; remembers whether anything was read at all."""

    def __init__(self) -> None:
        self.read_anything = False
        self.unconfirmed: dict[str, set[str]] = {}

    def accept(self, read: _Read, attempt: str) -> VinScan | None:
        # A profile read is a best guess, not proof that the photo holds a barcode.
        self.read_anything = self.read_anything or read.reader != "profile"
        for vin in vin_candidates(read.text):
            facts = decode_vin(vin)
            if facts.check_digit_valid:
                return _scan(facts.vin, read.symbology, True, facts.maker)
            if facts.china_built:
                continue  # a China-built VIN must check: this is a misread or not a VIN
            if read.symbology in _SELF_CHECKING:
                return _scan(facts.vin, read.symbology, False, facts.maker)
            # Code 39 has no checksum: trust an unchecked import VIN only when two independent
            # reads (another decoder or another image variant) agree.
            seen = self.unconfirmed.setdefault(vin, set())
            seen.add(f"{read.reader}:{attempt}")
            if len(seen) >= 2:
                return _scan(facts.vin, read.symbology, False, facts.maker)
        return None


def _scan(vin: str, symbology: Symbology, ok: bool, maker: str | None) -> VinScan:
    return VinScan(vin=vin, symbology=symbology, check_digit_valid=ok, maker=maker)


def scan_vin(data: bytes, *, trace: list[str] | None = None) -> VinScan:
    """Read the VIN from the raw bytes of a photo.

    Raises DomainError `image_invalid` / `image_too_large` for uploads that are not acceptable
    images, `vin_invalid` when barcodes were read but none holds a valid VIN, and
    `vin_not_found` when no barcode could be read. `trace`, when given, collects the names of
    the attempts made (for the benchmark and for tuning).
    """
    working, _ = load_image(data, mode="L", draft_max_side=WORKING_SIDE)
    working = _fit(working, WORKING_SIDE)
    full_cache: list[Image.Image] = []

    def full() -> Image.Image:
        if not full_cache:
            image, _ = load_image(data, mode="L")
            full_cache.append(_fit(image, FULL_SIDE))
        return full_cache[0]

    judge = _Judge()
    for name, attempt in _attempts(working, full):
        if trace is not None:
            trace.append(name)
        for read in attempt():
            found = judge.accept(read, name)
            if found is not None:
                return found
    raise vin_invalid() if judge.read_anything else vin_not_found()
