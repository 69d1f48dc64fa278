"""Nothing but pixels leaves photo processing: every metadata carrier of JPEG, PNG and WebP is
planted with an ID number and a mobile, and the stored photo and its thumbnail are walked segment
by segment (our own parser, not Pillow's ``info``) and searched byte by byte for them.

Also: a photo tagged with a wide-gamut profile (Display P3) is converted to sRGB, not just
stripped of its profile (which would shift every colour).
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable

import pytest
from PIL import Image, ImageCms, PngImagePlugin

from backend.intake.photos import ProcessedPhoto, process_photo
from tests.backend.helpers import login
from tests.backend.intake.test_applications_api import create

ID_NUMBER = "110101199003074514"
MOBILE = "13800138000"
PLANTED = f"身份证 {ID_NUMBER} 手机 {MOBILE}"
GPS_IFD = 0x8825

# --- our own parsers -------------------------------------------------------------------------

# What a pixels-only baseline JPEG from Pillow may consist of.
ALLOWED_JPEG = {
    0xE0: "APP0 (JFIF)",
    0xDB: "DQT",
    0xC0: "SOF0",
    0xC4: "DHT",
    0xDD: "DRI",
    0xDA: "SOS",
    0xD9: "EOI",
}


def jpeg_segments(data: bytes) -> tuple[list[tuple[int, bytes]], bytes]:
    """(marker, payload) of every segment from SOI to EOI, and whatever follows EOI."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    i, segments = 2, []
    while True:
        assert data[i] == 0xFF, f"no marker at {i}"
        while data[i] == 0xFF:  # fill bytes
            i += 1
        marker = data[i]
        i += 1
        if marker == 0xD9:
            segments.append((marker, b""))
            return segments, data[i:]
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            segments.append((marker, b""))
            continue
        (length,) = struct.unpack(">H", data[i : i + 2])
        segments.append((marker, data[i + 2 : i + length]))
        i += length
        if marker == 0xDA:  # entropy-coded data: skip stuffed 0xFF00 and restart markers
            while True:
                j = data.index(b"\xff", i)
                follower = data[j + 1]
                if follower == 0x00 or 0xD0 <= follower <= 0xD7:
                    i = j + 2
                    continue
                i = j
                break


def png_chunks(data: bytes) -> tuple[list[tuple[bytes, bytes]], bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    i, chunks = 8, []
    while True:
        length, kind = struct.unpack(">I4s", data[i : i + 8])
        chunks.append((kind, data[i + 8 : i + 8 + length]))
        i += 12 + length
        if kind == b"IEND":
            return chunks, data[i:]


def webp_chunks(data: bytes) -> list[bytes]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    i, kinds = 12, []
    while i < len(data):
        kind, length = struct.unpack("<4sI", data[i : i + 8])
        kinds.append(kind)
        i += 8 + length + (length & 1)
    return kinds


def planted_forms() -> list[bytes]:
    forms = []
    for text in (ID_NUMBER, MOBILE):
        forms += [text.encode(), text.encode("utf-16-le"), text.encode("utf-16-be")]
    return forms


def assert_pixels_only(data: bytes) -> None:
    segments, trailing = jpeg_segments(data)
    markers = [m for m, _ in segments]
    unexpected = sorted({hex(m) for m in markers if m not in ALLOWED_JPEG})
    assert not unexpected, f"segments outside the allow-list: {unexpected}"
    assert markers.count(0xE0) == 1 and markers[-1] == 0xD9
    app0 = next(p for m, p in segments if m == 0xE0)
    assert app0[:5] == b"JFIF\x00" and len(app0) == 14, "JFIF header only, no embedded thumbnail"
    assert trailing == b"", "bytes after EOI"
    for form in planted_forms():
        assert form not in data, f"planted {form!r} survived"
    image = Image.open(io.BytesIO(data))
    assert not set(image.info) - {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"}
    assert len(image.getexif()) == 0


# --- inputs carrying every carrier ------------------------------------------------------------


def _s15(v: float) -> bytes:
    return struct.pack(">i", round(v * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ \0\0\0\0" + _s15(x) + _s15(y) + _s15(z)


def _srgb_eotf(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _srgb_oetf(v: float) -> float:
    v = min(1.0, max(0.0, v))
    return v * 12.92 if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055


def display_p3_profile(description: str = "Display P3 " + PLANTED) -> bytes:
    """A matrix/TRC ICC v2 profile with the Display P3 primaries (D50-adapted colorants, the
    sRGB transfer curve), built by hand: ImageCms creates only sRGB, Lab and XYZ profiles. Its
    description carries the planted PII, so a profile copied into the output would show."""
    curve = b"curv\0\0\0\0" + struct.pack(">I", 1024)
    curve += b"".join(struct.pack(">H", round(_srgb_eotf(i / 1023) * 65535)) for i in range(1024))
    ascii_desc = description.encode("ascii", "replace") + b"\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(ascii_desc)) + ascii_desc
    desc += b"\0" * 8 + b"\0\0" + b"\0" + b"\0" * 67
    tags = [
        (b"desc", desc),
        (b"wtpt", _xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", _xyz(0.5151, 0.2412, -0.0011)),
        (b"gXYZ", _xyz(0.2920, 0.6922, 0.0419)),
        (b"bXYZ", _xyz(0.1571, 0.0666, 0.7841)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
        (b"cprt", b"text\0\0\0\0" + PLANTED.encode() + b"\0"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for sig, blob in tags:
        blob += b"\0" * (-len(blob) % 4)
        table += sig + struct.pack(">II", offset + len(body), len(blob))
        body += blob
    size = offset + len(body)
    header = struct.pack(">I4sI4s4s4s", size, b"\0\0\0\0", 0x02100000, b"mntr", b"RGB ", b"XYZ ")
    header += b"\0" * 12 + b"acsp" + b"\0" * 24 + b"\0" * 4
    header += _s15(0.9642) + _s15(1.0) + _s15(0.8249) + b"\0" * 4 + b"\0" * 16 + b"\0" * 28
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


def p3_to_srgb(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """The oracle: Display P3 to sRGB by the published linear-light matrix (not by ImageCms)."""
    m = ((1.2249, -0.2247, 0.0), (-0.0420, 1.0419, 0.0), (-0.0197, -0.0786, 1.0979))
    lin = [_srgb_eotf(c / 255) for c in rgb]
    out = [sum(m[r][c] * lin[c] for c in range(3)) for r in range(3)]
    return tuple(round(_srgb_oetf(v) * 255) for v in out)  # type: ignore[return-value]


def _exif() -> bytes:
    exif = Image.Exif()
    exif[0x010E] = PLANTED.encode("ascii", "replace").decode()  # ImageDescription
    exif[0x010F] = "PhoneMaker"
    exif[0x013B] = f"Artist {ID_NUMBER}"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 50.0)})
    gps[27] = b"ASCII\0\0\0" + MOBILE.encode()  # GPSProcessingMethod
    return exif.tobytes()


XMP = (
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    'syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
    f"<dc:description>{PLANTED}</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>"
    '<?xpacket end="w"?>'
).encode()


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def _photoshop_iptc() -> bytes:
    """APP13 "Photoshop 3.0" with an 8BIM IPTC-NAA resource: caption (2:120) and byline (2:80)."""
    iptc = b""
    for dataset, text in ((120, PLANTED.encode()), (80, f"by {MOBILE}".encode())):
        iptc += b"\x1c\x02" + bytes([dataset]) + struct.pack(">H", len(text)) + text
    iptc += b"\0" * (len(iptc) & 1)
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\0\0" + struct.pack(">I", len(iptc)) + iptc
    return b"Photoshop 3.0\0" + resource


def _pattern(size: tuple[int, int] = (480, 360)) -> Image.Image:
    image = Image.new("RGB", size, (230, 60, 40))
    image.paste((40, 120, 230), (size[0] // 2, 0, size[0], size[1]))
    return image


def laden_jpeg() -> bytes:
    buf = io.BytesIO()
    _pattern().save(
        buf,
        "JPEG",
        quality=92,
        exif=_exif(),
        comment=PLANTED.encode(),
        xmp=XMP,
        icc_profile=display_p3_profile(),
    )
    data = buf.getvalue()
    # Splice in what Pillow does not write: IPTC (APP13), a vendor APP11 and a second COM.
    extra = (
        _segment(0xED, _photoshop_iptc())
        + _segment(0xEB, b"JP\0\x01vendor " + ID_NUMBER.encode())
        + _segment(0xFE, f"second comment {MOBILE}".encode())
    )
    data = data[:2] + extra + data[2:]
    # Trailing bytes after EOI: text and a whole second JPEG (as MPF / "motion photo" files do).
    second = io.BytesIO()
    Image.new("RGB", (16, 16)).save(second, "JPEG", comment=PLANTED.encode())
    return data + f"TRAILER {PLANTED}".encode() + second.getvalue()


def laden_png(mode: str = "RGB") -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("comment", f"ID {ID_NUMBER} mobile {MOBILE}")  # Pillow writes it as a JPEG COM
    info.add_text("Author", f"ID {ID_NUMBER}")  # tEXt (latin-1)
    info.add_text("Description", PLANTED, zip=True)  # zTXt would need latin-1: goes iTXt
    info.add_itxt("Title", PLANTED, lang="zh", tkey="标题")  # iTXt
    info.add_itxt("Comment", PLANTED, zip=True)  # compressed iTXt
    info.add(b"zTXt", b"Source\0\0" + zlib.compress(f"mobile {MOBILE}".encode()))
    info.add(b"prIv", PLANTED.encode())  # a private ancillary chunk
    buf = io.BytesIO()
    _pattern().convert(mode).save(
        buf, "PNG", pnginfo=info, exif=_exif(), icc_profile=display_p3_profile()
    )
    return buf.getvalue() + f"after IEND {PLANTED}".encode()


def laden_webp() -> bytes:
    buf = io.BytesIO()
    _pattern().save(
        buf, "WEBP", quality=92, exif=_exif(), xmp=XMP, icc_profile=display_p3_profile()
    )
    return buf.getvalue()


CARRIERS: dict[str, Callable[[], bytes]] = {
    "jpeg": laden_jpeg,
    "png": laden_png,
    "png-rgba": lambda: laden_png("RGBA"),
    "webp": laden_webp,
}


# --- the inputs really carry what they claim ---------------------------------------------------


def test_the_jpeg_input_carries_every_carrier() -> None:
    segments, trailing = jpeg_segments(laden_jpeg())
    payloads = [(m, p) for m, p in segments]
    assert any(m == 0xE1 and p.startswith(b"Exif\0\0") for m, p in payloads)  # EXIF (with GPS)
    assert any(m == 0xE1 and p.startswith(b"http://ns.adobe.com/xap/1.0/\0") for m, p in payloads)
    assert any(m == 0xE2 and p.startswith(b"ICC_PROFILE\0") for m, p in payloads)
    assert any(m == 0xED and p.startswith(b"Photoshop 3.0\0") for m, p in payloads)
    assert any(m == 0xEB for m, _ in payloads)
    assert sum(m == 0xFE for m, _ in payloads) == 2  # COM, twice
    assert trailing.startswith(b"TRAILER ") and b"\xff\xd8" in trailing
    gps = Image.open(io.BytesIO(laden_jpeg())).getexif().get_ifd(GPS_IFD)
    assert gps[1] == "N"


def test_the_png_input_carries_every_carrier() -> None:
    chunks, trailing = png_chunks(laden_png())
    kinds = {k for k, _ in chunks}
    assert {b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP", b"prIv"} <= kinds
    assert trailing.startswith(b"after IEND")


def test_the_webp_input_carries_every_carrier() -> None:
    assert {b"EXIF", b"XMP ", b"ICCP"} <= set(webp_chunks(laden_webp()))


# --- what comes out ---------------------------------------------------------------------------


@pytest.mark.parametrize("carrier", sorted(CARRIERS))
@pytest.mark.parametrize("part", ["image", "thumbnail"])
def test_the_stored_photo_and_thumbnail_carry_pixels_only(carrier: str, part: str) -> None:
    result: ProcessedPhoto = process_photo(CARRIERS[carrier]())
    assert_pixels_only(getattr(result, part))


def test_a_large_photo_carries_pixels_only_through_draft_decoding() -> None:
    """A 12 MP photo takes the draft (DCT-scaled) decode path: it is as clean."""
    buf = io.BytesIO()
    _pattern((4000, 3000)).save(
        buf, "JPEG", exif=_exif(), comment=PLANTED.encode(), xmp=XMP, icc_profile=b""
    )
    result = process_photo(buf.getvalue())
    assert (result.width, result.height) == (1600, 1200)
    assert_pixels_only(result.image)
    assert_pixels_only(result.thumbnail)


@pytest.mark.parametrize("carrier", sorted(CARRIERS))
def test_a_display_p3_photo_is_converted_to_srgb(carrier: str) -> None:
    """The left half is P3 (230, 60, 40): in sRGB that is about (250, 31, 13). Dropping the
    profile without converting would leave (230, 60, 40), visibly duller."""
    result = process_photo(CARRIERS[carrier]())
    image = Image.open(io.BytesIO(result.image)).convert("RGB")
    assert "icc_profile" not in image.info
    for source, xy in (((230, 60, 40), (0.25, 0.5)), ((40, 120, 230), (0.75, 0.5))):
        expected = p3_to_srgb(source)
        got = image.getpixel((round(xy[0] * image.width), round(xy[1] * image.height)))
        assert isinstance(got, tuple)
        assert all(abs(g - e) <= 4 for g, e in zip(got, expected, strict=True)), (got, expected)
        assert max(abs(g - s) for g, s in zip(got, source, strict=True)) >= 15  # it did change


def test_the_hand_built_profile_is_one_littlecms_reads_as_display_p3() -> None:
    profile = ImageCms.ImageCmsProfile(io.BytesIO(display_p3_profile("Display P3")))
    assert ImageCms.getProfileDescription(profile).strip() == "Display P3"
    assert profile.profile.xcolor_space.strip() == "RGB"


def test_a_photo_without_a_profile_keeps_its_colours() -> None:
    buf = io.BytesIO()
    _pattern().save(buf, "JPEG", quality=95)
    image = Image.open(io.BytesIO(process_photo(buf.getvalue()).image)).convert("RGB")
    got = image.getpixel((image.width // 4, image.height // 2))
    assert isinstance(got, tuple)
    assert all(abs(g - s) <= 4 for g, s in zip(got, (230, 60, 40), strict=True)), got


def test_an_unreadable_profile_does_not_refuse_the_photo() -> None:
    buf = io.BytesIO()
    _pattern().save(buf, "JPEG", icc_profile=b"not a profile " + PLANTED.encode())
    result = process_photo(buf.getvalue())
    assert_pixels_only(result.image)


@pytest.mark.parametrize(("carrier", "ctype"), [("jpeg", "image/jpeg"), ("png", "image/png")])
async def test_what_the_api_stores_and_serves_carries_pixels_only(
    client, settings, carrier, ctype
) -> None:
    staff = await login(client, "staff")
    draft = (await create(client, staff)).json()["id"]
    r = await client.put(
        f"/api/applications/{draft}/photos/id_front",
        content=CARRIERS[carrier](),
        headers={**staff, "Content-Type": ctype},
    )
    assert r.status_code == 201, r.text
    served = [
        (await client.get(r.json()[key], headers=staff)).content for key in ("url", "thumbnail_url")
    ]
    on_disk = [p.read_bytes() for p in sorted(settings.storage_dir.glob("*"))]
    assert len(on_disk) == 2 and sorted(on_disk) == sorted(served)
    for data in on_disk:
        assert_pixels_only(data)


def test_heic_is_not_accepted_so_it_carries_nothing_in() -> None:
    """HEIC/AVIF (ISO-BMFF, with Exif and XMP items) is outside the allow-list: refused."""
    from common.errors import DomainError

    ftyp = struct.pack(">I4s4sI8s", 24, b"ftyp", b"heic", 0, b"mif1heic")
    with pytest.raises(DomainError) as caught:
        process_photo(ftyp + b"\0\0\0\x10meta" + PLANTED.encode())
    assert caught.value.code == "image_invalid"


def test_a_huge_profile_is_not_parsed(monkeypatch) -> None:
    from backend.intake import photos

    def never(*_args: object) -> None:
        raise AssertionError("a profile over the limit reached littleCMS")

    monkeypatch.setattr(photos, "_to_srgb_transform", never)
    huge = display_p3_profile() + b"\0" * photos.MAX_ICC_BYTES
    buf = io.BytesIO()
    _pattern().save(buf, "JPEG", quality=95, icc_profile=huge)
    result = process_photo(buf.getvalue())
    assert_pixels_only(result.image)
    image = Image.open(io.BytesIO(result.image)).convert("RGB")
    got = image.getpixel((image.width // 4, image.height // 2))
    assert isinstance(got, tuple)
    assert all(abs(g - s) <= 4 for g, s in zip(got, (230, 60, 40), strict=True)), got
