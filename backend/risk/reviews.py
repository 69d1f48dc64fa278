"""The manual-review queue 人工审核: referred applications, decided by a risk officer."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import Application, RiskReview
from backend.intake import applications, customers
from backend.intake.catalogue import Catalogue
from backend.risk.views import decision_of
from backend.security.pii import PiiCipher
from common.api.intake import ApplicationStatus, ApplicationView
from common.api.risk import RevealedCustomer, ReviewRequest
from common.errors import Conflict, NotFound
from common.status import reviewed

NOT_PENDING = Conflict(
    "review_not_pending",
    "该申请不在人工审核队列中（可能已被他人处理）",
    "The application is not waiting for review (perhaps someone else decided it)",
)

NOT_IN_REVIEW = NotFound(
    "review_case_not_found",
    "该申请不在人工审核中",
    "The application is not waiting for review",
)


def review_view(app: Application, pii: PiiCipher, catalogue: Catalogue) -> ApplicationView:
    """The application with its photos and the full decision trace."""
    view = applications.view(app, pii, catalogue)
    view.decision = decision_of(app, with_trace=True)
    return view


async def pending(
    db: AsyncSession, pii: PiiCipher, catalogue: Catalogue, limit: int
) -> list[ApplicationView]:
    rows = await db.scalars(
        select(Application)
        .options(*applications.WHOLE)
        .where(Application.status == ApplicationStatus.IN_REVIEW.value)
        .order_by(Application.submitted_at, Application.id)
        .limit(limit)
    )
    return [review_view(a, pii, catalogue) for a in rows]


async def review(
    db: AsyncSession,
    pii: PiiCipher,
    catalogue: Catalogue,
    actor: Principal,
    application_id: str,
    data: ReviewRequest,
) -> ApplicationView:
    app = await applications.load(db, actor, application_id)
    if app.status != ApplicationStatus.IN_REVIEW.value:
        raise NOT_PENDING
    now = datetime.now(UTC)
    before = applications.audit_state(app)
    row = RiskReview(
        application_id=app.id,
        reviewer_id=actor.user_id,
        decision=data.decision.value,
        note=data.note.strip(),
        decided_at=now,
    )
    app.risk_review = row  # type: ignore[attr-defined]  # backref from RiskReview
    app.status = reviewed(app.status, data.decision.value).value  # common.status
    app.updated_at = now
    db.add(row)
    try:
        await db.flush()  # the application's version guards two officers deciding at once
    except (StaleDataError, IntegrityError) as exc:
        raise NOT_PENDING from exc
    await applications.audit_change(
        db,
        actor,
        app,
        "application.reviewed",
        before,
        detail={"decision": row.decision, "review_id": row.id},  # the note may name people
        at=now,
    )
    return review_view(app, pii, catalogue)  # the request commits


async def reveal(
    db: AsyncSession, pii: PiiCipher, actor: Principal, application_id: str, now: datetime
) -> RevealedCustomer:
    """The customer's name and ID number in clear, for a case waiting for review only; the event
    names who looked at which application and what, never the values."""
    app = await applications.load(db, actor, application_id, with_decision=False)
    if (
        app.status != ApplicationStatus.IN_REVIEW.value
        or app.customer is None
        or app.customer_version is None
    ):
        raise NOT_IN_REVIEW
    name, id_number, _ = customers.reveal(pii, app.customer, app.customer_version)
    await audit.record(
        db,
        actor=actor,
        action="application.pii_revealed",
        entity_type="application",
        entity_id=app.id,
        detail={"fields": ["customer.name", "customer.id_number"]},
        at=now,
    )
    return RevealedCustomer(application_id=app.id, name=name, id_number=id_number)
