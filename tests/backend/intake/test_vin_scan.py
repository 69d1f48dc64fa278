"""VIN scanning from generated phone photos of each symbology, under the usual photo hazards."""

import io
from typing import Any

import pytest
from PIL import Image

from backend.intake.vin_scan import _Judge, _Read, scan_vin, vin_candidates
from common.errors import DomainError
from common.identity import check_digit
from tests.support.vin_photos import (
    SYMBOLOGIES,
    Hazards,
    Symbology,
    make_photo,
    photo_without_barcode,
)

CHINA_VIN = "LFV2A21K2E3045215"
IMPORT_VIN = "WDD2050461F123456"


def close_up(**hazards: Any) -> Hazards:
    """A close-up at 1000x750: the label fills most of the frame (keeps the tests fast)."""
    return Hazards(size=(1000, 750), label_fraction=0.7, **hazards)


def bad_check_digit(vin: str) -> str:
    digit = check_digit(vin)
    return vin[:8] + ("1" if digit != "1" else "2") + vin[9:]


def reencode(data: bytes, fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.open(io.BytesIO(data)).save(buf, fmt)
    return buf.getvalue()


def test_fixture_vins_are_as_intended() -> None:
    assert check_digit(CHINA_VIN) == CHINA_VIN[8]
    assert check_digit(IMPORT_VIN) != IMPORT_VIN[8]


@pytest.mark.parametrize("symbology", SYMBOLOGIES)
def test_each_symbology_is_read(symbology: Symbology) -> None:
    photo = make_photo(11, symbology, close_up(angle=4, blur=0.5), vin=CHINA_VIN)
    scan = scan_vin(photo.data)
    assert (scan.vin, scan.symbology, scan.check_digit_valid) == (CHINA_VIN, symbology, True)
    assert scan.maker == "FAW-Volkswagen"


def test_code39_leading_i_is_dropped() -> None:
    photo = make_photo(3, "code39", close_up(angle=-3), vin=CHINA_VIN, payload="I" + CHINA_VIN)
    assert scan_vin(photo.data).vin == CHINA_VIN


def test_qr_url_ending_with_the_vin() -> None:
    url = f"https://trace.example.cn/vehicle/{CHINA_VIN}"
    photo = make_photo(4, "qr", close_up(angle=20), vin=CHINA_VIN, payload=url)
    assert scan_vin(photo.data).vin == CHINA_VIN


@pytest.mark.parametrize(
    ("symbology", "hazards"),
    [
        ("code128", close_up(angle=90 + 6)),  # sideways
        ("code39", close_up(angle=180 - 5)),  # upside down
        ("code128", close_up(angle=-11, perspective=0.05)),  # tilted, at an angle
        ("code39", close_up(angle=2, blur=1.0)),  # a little blurred
        ("datamatrix", close_up(angle=270 + 8, blur=0.8)),
        ("code128", close_up(angle=3, exif_orientation=6)),  # EXIF-rotated
        ("code39", close_up(angle=-4, exif_orientation=8)),
        ("qr", close_up(angle=7, exif_orientation=3)),
    ],
)
def test_rotated_blurred_and_exif_rotated_photos(symbology: Symbology, hazards: Hazards) -> None:
    photo = make_photo(21, symbology, hazards, vin=CHINA_VIN)
    assert scan_vin(photo.data).vin == CHINA_VIN


def test_12_megapixel_photo() -> None:
    hazards = Hazards(angle=-6, blur=1.5, noise=6, size=(4000, 3000), label_fraction=0.4)
    photo = make_photo(5, "code39", hazards, vin=CHINA_VIN)
    assert scan_vin(photo.data).vin == CHINA_VIN


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_photos(fmt: str) -> None:
    photo = make_photo(6, "datamatrix", close_up(angle=5), vin=CHINA_VIN)
    assert scan_vin(reencode(photo.data, fmt)).vin == CHINA_VIN


def test_import_with_unmatched_check_digit_from_a_self_checking_code() -> None:
    photo = make_photo(7, "datamatrix", close_up(angle=3), vin=IMPORT_VIN)
    scan = scan_vin(photo.data)
    assert (scan.vin, scan.check_digit_valid, scan.maker) == (IMPORT_VIN, False, "Mercedes-Benz")


def test_import_with_unmatched_check_digit_from_code39_when_reads_agree() -> None:
    photo = make_photo(8, "code39", close_up(angle=1), vin=IMPORT_VIN, payload=IMPORT_VIN)
    scan = scan_vin(photo.data)
    assert (scan.vin, scan.check_digit_valid) == (IMPORT_VIN, False)


@pytest.mark.parametrize(
    ("symbology", "payload"),
    [
        ("code128", "TIRE-225/45R17-0423"),
        ("qr", "https://www.example-maker.cn/service"),
        ("datamatrix", bad_check_digit(CHINA_VIN)),  # China-built must check: never returned
    ],
)
def test_barcode_without_a_valid_vin_is_vin_invalid(symbology: Symbology, payload: str) -> None:
    photo = make_photo(9, symbology, close_up(angle=2), vin=CHINA_VIN, payload=payload)
    with pytest.raises(DomainError) as caught:
        scan_vin(photo.data)
    assert (caught.value.code, caught.value.status) == ("vin_invalid", 422)


def test_photo_without_barcode_is_vin_not_found() -> None:
    with pytest.raises(DomainError) as caught:
        scan_vin(photo_without_barcode(10))
    assert (caught.value.code, caught.value.status) == ("vin_not_found", 422)


@pytest.mark.parametrize("data", [b"", b"GIF89a garbage", b"\x00" * 1000])
def test_garbage_bytes_are_image_invalid(data: bytes) -> None:
    with pytest.raises(DomainError) as caught:
        scan_vin(data)
    assert caught.value.code == "image_invalid"


@pytest.mark.parametrize(
    ("payload", "vins"),
    [
        (CHINA_VIN, [CHINA_VIN]),
        ("I" + CHINA_VIN, [CHINA_VIN]),
        (f"https://x.cn/v/{CHINA_VIN}", [CHINA_VIN]),
        (f"https://x.cn/v/{CHINA_VIN}/", [CHINA_VIN]),
        (f"https://x.cn/check?vin={CHINA_VIN}&s=1", [CHINA_VIN]),
        (f"VIN:{CHINA_VIN};MODEL:X", [CHINA_VIN]),
        ("HELLO", []),
        ("LFV2A21K2E304521O", []),  # letter O
    ],
)
def test_vin_candidates_in_payloads(payload: str, vins: list[str]) -> None:
    assert vin_candidates(payload) == vins


def test_single_unchecked_code39_read_is_not_enough() -> None:
    judge = _Judge()
    first = _Read(IMPORT_VIN, "code39", "zbar")
    assert judge.accept(first, "zbar") is None
    assert judge.accept(first, "zbar") is None  # the same read again is not independent
    agreeing = judge.accept(_Read(IMPORT_VIN, "code39", "zxing"), "crop0")
    assert agreeing is not None and agreeing.check_digit_valid is False


def test_china_built_read_with_wrong_check_digit_is_never_accepted() -> None:
    judge = _Judge()
    misread = _Read(bad_check_digit(CHINA_VIN), "qr", "zxing")
    assert judge.accept(misread, "zxing") is None
    assert judge.read_anything


@pytest.mark.parametrize(
    "hazards",
    [
        # Narrow bars ~1.5 px and blurred: no scanline decoder reads these.
        Hazards(blur=0.8, angle=-0.55, label_fraction=0.357, size=(1200, 1600), jpeg_quality=78),
        Hazards(blur=1.2, angle=-6.75, perspective=0.016, label_fraction=0.43, size=(1200, 1600)),
        Hazards(blur=1.2, angle=78.9, label_fraction=0.436, size=(1600, 1200), jpeg_quality=72),
    ],
)
def test_thin_blurred_code39_is_read_from_the_averaged_profile(hazards: Hazards) -> None:
    photo = make_photo(21, "code39", hazards, vin=CHINA_VIN, payload="I" + CHINA_VIN)
    trace: list[str] = []
    assert scan_vin(photo.data, trace=trace).vin == CHINA_VIN
    assert trace[-1] == "crop0_profile"


def test_a_profile_guess_without_a_vin_is_not_a_barcode_read() -> None:
    judge = _Judge()
    assert judge.accept(_Read("X7 Q-+SZ2G7 3GU4051", "code39", "profile"), "crop0_profile") is None
    assert not judge.read_anything
