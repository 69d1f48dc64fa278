"""Abandoned drafts 草稿: deleted by a clerk of their shop, or expired by the sweep after a quiet
time (``Settings.draft_ttl_days``). Only drafts go; submitted applications are records.

The row (with its photo rows) and its audit event commit together; the photo files are removed
only after that, so a failed commit never leaves a row naming a missing file. The customer stays:
customers belong to the shop and may be on other applications.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import Application, Photo
from backend.intake import applications
from backend.intake.photo_store import remove_files
from backend.settings import Settings
from common.api.intake import ApplicationStatus
from common.errors import Conflict

log = logging.getLogger("autolease.intake.drafts")

NOT_A_DRAFT = Conflict(
    "application_not_draft",
    "申请已提交，不能删除",
    "Only drafts can be deleted; this application has been submitted",
)
SWEEP_BATCH = 200  # drafts expired per run; the rest wait for the next run


async def _drop(
    db: AsyncSession,
    actor: Principal | None,
    app: Application,
    action: str,
    detail: dict[str, object],
    at: datetime,
) -> list[Photo]:
    """Delete one loaded draft and append its event; returns the photos whose files must go."""
    before = applications.audit_state(app)
    photos = list(app.photos)
    await db.delete(app)  # the version column guards a concurrent edit or submit (409)
    await audit.record(
        db,
        actor=actor,
        action=action,
        entity_type="application",
        entity_id=app.id,
        before=before,
        after=None,
        detail=detail,
        at=at,
    )
    return photos


async def delete(
    db: AsyncSession, settings: Settings, principal: Principal, application_id: str, now: datetime
) -> None:
    """A clerk deletes a draft of their own shop; even roles that see every shop's applications
    delete only their own organisation's (another's answers 404 like a missing one)."""
    app = await applications.load(db, principal, application_id)
    if app.organisation_id != principal.organisation_id:
        raise applications.APPLICATION_NOT_FOUND
    if app.status != ApplicationStatus.DRAFT:
        raise NOT_A_DRAFT
    photos = await _drop(db, principal, app, "application.deleted", {"by": "clerk"}, now)
    await db.flush()
    await db.commit()  # the files go only once the row is gone
    for photo in photos:
        remove_files(settings.storage_dir, photo)


async def expire(db: AsyncSession, settings: Settings, now: datetime) -> int:
    """Delete drafts untouched for ``draft_ttl_days``, audited as done by the system; commits.
    Running it again changes nothing; two nodes racing on one draft: the loser rolls back and
    tries again on its next run. Returns how many drafts went."""
    cutoff = now - timedelta(days=settings.draft_ttl_days)
    result = await db.execute(
        select(Application)
        .options(*applications.WHOLE)
        .where(
            Application.status == ApplicationStatus.DRAFT.value,
            Application.updated_at < cutoff,
        )
        .order_by(Application.updated_at, Application.id)
        .limit(SWEEP_BATCH)
    )
    expired = list(result.unique().scalars())
    photos: list[Photo] = []
    for app in expired:
        detail: dict[str, object] = {
            "ttl_days": settings.draft_ttl_days,
            "last_changed_at": app.updated_at.isoformat(),
        }
        photos += await _drop(db, None, app, "application.expired", detail, now)
    try:
        await db.commit()
    except StaleDataError:  # another node (or the clerk) got to one of them first
        await db.rollback()
        log.info("draft sweep lost a race; it will retry on its next run")
        return 0
    for photo in photos:
        remove_files(settings.storage_dir, photo)
    return len(expired)
