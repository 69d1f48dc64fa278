"""Photo uploads: by bearer token or signed URL; hazards refused with a code and nothing stored."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.backend.helpers import login
from tests.backend.intake.test_applications_api import create, jpeg


@pytest.fixture
async def staff(client):
    return await login(client, "staff")


@pytest.fixture
async def draft(client, staff):
    return (await create(client, staff)).json()["id"]


def stored_files(settings) -> list:
    return (
        sorted(p.name for p in settings.storage_dir.glob("*"))
        if settings.storage_dir.exists()
        else []
    )


async def test_upload_with_signed_url_and_no_auth_header(client, staff, draft):
    r = await client.post(f"/api/applications/{draft}/photos/id_front/upload-url", headers=staff)
    assert r.status_code == 200
    url = r.json()["url"]
    assert "token=" in url
    put = await client.put(
        url.replace("http://testserver.local", ""),
        content=jpeg(),
        headers={"Content-Type": "image/jpeg"},
    )
    assert put.status_code == 201, put.text
    img = await client.get(put.json()["url"], headers=staff)
    assert img.status_code == 200 and img.headers["content-type"] == "image/jpeg"


async def test_signed_url_is_for_one_application_and_kind(client, staff, draft):
    url = (
        await client.post(f"/api/applications/{draft}/photos/id_front/upload-url", headers=staff)
    ).json()["url"]
    other_kind = url.replace("/photos/id_front", "/photos/id_back").replace(
        "http://testserver.local", ""
    )
    r = await client.put(other_kind, content=jpeg(), headers={"Content-Type": "image/jpeg"})
    assert r.status_code == 403 and r.json()["code"] == "upload_token_mismatch"


async def test_expired_or_forged_upload_token_is_401(client, draft):
    r = await client.put(
        f"/api/applications/{draft}/photos/id_front?token=abc.def.ghi",
        content=jpeg(),
        headers={"Content-Type": "image/jpeg"},
    )
    assert r.status_code == 401 and r.json()["code"] == "token_invalid"


async def test_the_photo_is_reencoded_downscaled_and_thumbnailed(client, staff, draft):
    r = await client.put(
        f"/api/applications/{draft}/photos/vehicle",
        content=jpeg(4000, 3000),
        headers={**staff, "Content-Type": "image/jpeg"},
    )
    assert r.status_code == 201
    body = r.json()
    assert max(body["width"], body["height"]) == 1600
    thumb = await client.get(body["thumbnail_url"], headers=staff)
    assert max(Image.open(io.BytesIO(thumb.content)).size) <= 320


async def test_a_single_kind_photo_is_replaced(client, staff, draft, settings):
    for color in ("red", "blue"):
        await client.put(
            f"/api/applications/{draft}/photos/id_front",
            content=jpeg(color=color),
            headers={**staff, "Content-Type": "image/jpeg"},
        )
    photos = (await client.get(f"/api/applications/{draft}", headers=staff)).json()["photos"]
    assert [p["kind"] for p in photos] == ["id_front"]
    assert (
        len(stored_files(settings)) == 2
    )  # one image and its thumbnail; the replaced pair is gone


@pytest.mark.parametrize(
    ("content", "ctype", "status", "code"),
    [
        (b"this is not an image", "image/jpeg", 422, "image_invalid"),
        (b"GIF89a" + b"\0" * 100, "image/jpeg", 422, "image_invalid"),
        (b"%PDF-1.4", "application/pdf", 415, "unsupported_media_type"),
    ],
)
async def test_bad_uploads_are_refused_and_nothing_is_stored(
    client, staff, draft, settings, content, ctype, status, code
):
    r = await client.put(
        f"/api/applications/{draft}/photos/id_front",
        content=content,
        headers={**staff, "Content-Type": ctype},
    )
    assert r.status_code == status and r.json()["code"] == code
    assert stored_files(settings) == []


async def test_a_decompression_bomb_is_refused(client, staff, draft, settings):
    buf = io.BytesIO()
    Image.new("1", (30000, 30000)).save(buf, "PNG")  # tiny file, 900 megapixels
    r = await client.put(
        f"/api/applications/{draft}/photos/id_front",
        content=buf.getvalue(),
        headers={**staff, "Content-Type": "image/png"},
    )
    assert r.status_code in (413, 422) and r.json()["code"] == "image_too_large"
    assert stored_files(settings) == []


async def test_unknown_photo_kind_is_400(client, staff, draft):
    r = await client.put(
        f"/api/applications/{draft}/photos/selfie",
        content=jpeg(),
        headers={**staff, "Content-Type": "image/jpeg"},
    )
    assert r.status_code == 400
