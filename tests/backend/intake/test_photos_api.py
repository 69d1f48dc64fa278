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


async def test_the_files_are_fsynced_before_the_row_that_names_them_commits(
    client, staff, draft, settings, monkeypatch
):
    """Order of events: each file fsynced (under its temporary name), the directory fsynced,
    then the photo row flushed and committed."""
    import os

    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from backend.db.models import Photo

    events: list[tuple[str, str]] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def after_flush(session, _ctx) -> None:
        if any(isinstance(o, Photo) for o in session.new):
            events.append(("photo_row_flushed", ""))

    def after_commit(_session) -> None:
        events.append(("commit", ""))

    monkeypatch.setattr(os, "fsync", fsync)
    event.listen(Session, "after_flush", after_flush)
    event.listen(Session, "after_commit", after_commit)
    try:
        r = await client.put(
            f"/api/applications/{draft}/photos/id_front",
            content=jpeg(),
            headers={**staff, "Content-Type": "image/jpeg"},
        )
    finally:
        event.remove(Session, "after_flush", after_flush)
        event.remove(Session, "after_commit", after_commit)
    assert r.status_code == 201, r.text
    storage = str(settings.storage_dir.resolve())
    synced = [path for kind, path in events if kind == "fsync"]
    assert len(synced) == 3 and synced[-1] == storage, events
    assert all(p.startswith(storage + "/.") and p.endswith(".jpg.tmp") for p in synced[:2])
    kinds = [kind for kind, _ in events]
    flushed, committed = kinds.index("photo_row_flushed"), kinds.index("commit", 0)
    last_fsync = max(i for i, kind in enumerate(kinds) if kind == "fsync")
    assert last_fsync < flushed < committed, events
    # ... and they are the files the row names, renamed into place from ".<name>.tmp"
    assert stored_files(settings) == sorted(
        p.rsplit("/", 1)[1][1 : -len(".tmp")] for p in synced[:2]
    )


async def test_when_the_row_does_not_commit_its_files_are_removed(
    client, staff, draft, settings, monkeypatch
):
    from backend.intake import photo_store
    from common.errors import DomainError

    async def refuse(*_args, **_kwargs):
        raise DomainError("audit_down", "审计不可用", "Audit unavailable", status=503)

    monkeypatch.setattr(photo_store.applications, "audit_change", refuse)
    r = await client.put(
        f"/api/applications/{draft}/photos/id_front",
        content=jpeg(),
        headers={**staff, "Content-Type": "image/jpeg"},
    )
    assert r.status_code == 503 and r.json()["code"] == "audit_down"
    assert stored_files(settings) == []  # dot-files (temporary names) included


def test_a_failed_write_leaves_no_file_behind(tmp_path, monkeypatch):
    import os

    from backend.intake.photo_store import _write_durably

    calls = []
    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(5, "I/O error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        _write_durably(tmp_path, [(tmp_path / "a.jpg", b"one"), (tmp_path / "a.thumb.jpg", b"2")])
    assert list(tmp_path.iterdir()) == []
