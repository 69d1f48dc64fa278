"""Photos of an application: processed (EXIF-rotated, metadata stripped, downscaled), stored under
random names, served back only to the owning shop and to the people who decide on it.

A photo's files are durable before the row that names them commits: each is written to a
temporary name, fsynced, renamed into place, and the directory is fsynced, so a crash never
leaves a committed row pointing at a file that is missing or half written. (A crash between the
files and the commit can leave unreferenced files behind; they name no row and are never served.)
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import anyio.to_thread
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.principal import Principal, UploadGrant
from backend.db.models import Application, Photo, SpentUploadToken
from backend.intake import applications
from backend.intake.photos import process_photo
from backend.security import tokens
from backend.settings import Settings
from common.api.intake import ApplicationStatus, PhotoKind, PhotoView, UploadUrl
from common.errors import Conflict, Forbidden, NotFound

# Kinds of which an application holds one: a new upload replaces the old photo.
SINGLE_KINDS = {
    PhotoKind.ID_FRONT,
    PhotoKind.ID_BACK,
    PhotoKind.DRIVING_LICENCE,
    PhotoKind.BUSINESS_LICENCE,
}
MAX_PER_KIND = 12
PHOTO_NOT_FOUND = NotFound("photo_not_found", "找不到该照片", "Photo not found")


UPLOAD_TOKEN_SPENT = Conflict(
    "upload_token_spent",
    "该上传链接已使用过，请重新获取",
    "This upload URL has been used; ask for a new one",
)


def upload_url(settings: Settings, principal: Principal, app_id: str, kind: PhotoKind) -> UploadUrl:
    """A short-lived URL the Flet file picker can PUT to: it cannot set an Authorization header.

    Built from the configured public URL, never from the request's Host header."""
    now = datetime.now(UTC)
    claims = {
        "sub": principal.user_id,
        "sid": principal.session_id,
        "app": app_id,
        "kind": kind.value,
        "jti": tokens.new_jti(),
    }
    token = tokens.issue(settings.secret_key, "upload", claims, now, settings.upload_url_ttl_s)
    base = settings.public_url.rstrip("/")
    url = f"{base}/api/applications/{app_id}/photos/{kind.value}?token={token}"
    return UploadUrl(url=url, expires_at=now + timedelta(seconds=settings.upload_url_ttl_s))


async def add(
    db: AsyncSession,
    settings: Settings,
    principal: Principal,
    app_id: str,
    kind: PhotoKind,
    data: bytes,
    grant: UploadGrant | None,
) -> PhotoView:
    if grant is not None:
        if (grant.application_id, grant.kind) != (app_id, kind.value):
            raise Forbidden(
                "upload_token_mismatch", "上传链接与照片不符", "The upload URL is for another photo"
            )
        if await db.get(SpentUploadToken, grant.jti) is not None:
            raise UPLOAD_TOKEN_SPENT
    app = await applications.load(db, principal, app_id)
    if app.status != ApplicationStatus.DRAFT:
        raise Conflict(
            "application_not_draft", "申请已提交，不能再修改照片", "Only drafts take photos"
        )
    if kind not in SINGLE_KINDS and sum(p.kind == kind for p in app.photos) >= MAX_PER_KIND:
        raise Conflict(
            "too_many_photos", f"该类照片最多{MAX_PER_KIND}张", "Too many photos of this kind"
        )
    processed = await anyio.to_thread.run_sync(process_photo, data)  # CPU work off the event loop
    name = secrets.token_hex(16)
    storage = settings.storage_dir
    image_path, thumb_path = storage / f"{name}.jpg", storage / f"{name}.thumb.jpg"
    await anyio.to_thread.run_sync(
        _write_durably, storage, [(image_path, processed.image), (thumb_path, processed.thumbnail)]
    )
    replaced = [p for p in app.photos if p.kind == kind and kind in SINGLE_KINDS]
    before = applications.audit_state(app)
    try:
        if grant is not None:
            # Spent in the photo's transaction: a concurrent second use waits on the key, fails.
            db.add(SpentUploadToken(jti=grant.jti, application_id=app_id, kind=kind.value))
            try:
                await db.flush()
            except IntegrityError as exc:
                raise UPLOAD_TOKEN_SPENT from exc
        for old in replaced:
            app.photos.remove(old)
        photo = Photo(
            application_id=app.id,
            kind=kind.value,
            storage_name=image_path.name,
            thumb_name=thumb_path.name,
            content_type=processed.content_type,
            width=processed.width,
            height=processed.height,
            sha256=processed.sha256,
            size_bytes=len(processed.image),
            uploaded_by_id=principal.user_id,
        )
        app.photos.append(photo)
        app.updated_at = datetime.now(UTC)
        await db.flush()
        await applications.audit_change(
            db,
            principal,
            app,
            "application.photo_added",
            before,
            detail={"kind": kind.value, "photo_id": photo.id, "sha256": processed.sha256},
        )
        await db.commit()
    except BaseException:
        image_path.unlink(missing_ok=True)
        thumb_path.unlink(missing_ok=True)
        raise
    for old in replaced:
        remove_files(storage, old)
    return applications.photo_view(photo.id, photo.kind, photo.width, photo.height)


async def remove(
    db: AsyncSession, settings: Settings, principal: Principal, app_id: str, photo_id: str
) -> None:
    app = await applications.load(db, principal, app_id)
    photo = next((p for p in app.photos if p.id == photo_id), None)
    if photo is None:
        raise PHOTO_NOT_FOUND
    if app.status != ApplicationStatus.DRAFT:
        raise Conflict(
            "application_not_draft", "申请已提交，不能再修改照片", "Only drafts take photos"
        )
    before = applications.audit_state(app)
    app.photos.remove(photo)
    await db.flush()
    await applications.audit_change(
        db,
        principal,
        app,
        "application.photo_removed",
        before,
        detail={"kind": photo.kind, "photo_id": photo.id},
    )
    await db.commit()
    remove_files(settings.storage_dir, photo)


async def open_file(
    db: AsyncSession, settings: Settings, principal: Principal, photo_id: str, thumbnail: bool
) -> Path:
    if len(photo_id) > 64:
        raise PHOTO_NOT_FOUND
    row = (
        await db.execute(
            select(Photo)
            .join(Application, Application.id == Photo.application_id)
            .where(
                Photo.id == photo_id,
                Application.id.in_(
                    applications.scoped(principal).with_only_columns(Application.id)
                ),
            )
        )
    ).scalar_one_or_none()
    if row is None:
        raise PHOTO_NOT_FOUND
    return settings.storage_dir / (row.thumb_name if thumbnail else row.storage_name)


def _write_durably(directory: Path, files: list[tuple[Path, bytes]]) -> None:
    """Write each file under a temporary name, fsync it, rename it into place, then fsync the
    directory (the renames are durable only then). On any failure nothing is left behind."""
    done: list[Path] = []
    try:
        for path, data in files:
            temp = path.with_name(f".{path.name}.tmp")
            done.append(temp)
            with open(temp, "xb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temp, path)
            done[-1] = path
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        for path in done:
            path.unlink(missing_ok=True)
        raise


def remove_files(storage: Path, photo: Photo) -> None:
    (storage / photo.storage_name).unlink(missing_ok=True)
    (storage / photo.thumb_name).unlink(missing_ok=True)


async def forget_spent_upload_tokens(db: AsyncSession, settings: Settings, now: datetime) -> int:
    """Delete the record of upload tokens spent long enough ago that the token itself has
    expired (a replay is refused by its expiry), with a day's margin for a changed TTL."""
    before = now - timedelta(seconds=settings.upload_url_ttl_s) - timedelta(days=1)
    gone = await db.execute(delete(SpentUploadToken).where(SpentUploadToken.spent_at < before))
    return int(getattr(gone, "rowcount", 0) or 0)
