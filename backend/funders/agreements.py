"""Funding agreements 合作协议 as data: versions per funder (admin, audited). The version in force
when a contract is funded is frozen on the contract (`allocation.on_funding`), so a later change
never rewrites a contract already funded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import FunderAgreement, Organisation
from common.api.auth import OrganisationKind
from common.api.funders import AgreementBody, AgreementView
from common.colending import agreement_problems, percent_e4, percent_text
from common.errors import DomainError, NotFound

FUNDER_NOT_FOUND = NotFound("funder_not_found", "资金方不存在", "No such funder")


async def funder(db: AsyncSession, funder_id: str) -> Organisation:
    org = await db.get(Organisation, funder_id) if len(funder_id) <= 32 else None
    if org is None or org.kind != OrganisationKind.FUNDER.value:
        raise FUNDER_NOT_FOUND
    return org


async def in_force(db: AsyncSession, funder_id: str) -> FunderAgreement | None:
    return await db.scalar(
        select(FunderAgreement)
        .where(FunderAgreement.funder_id == funder_id)
        .order_by(FunderAgreement.version.desc())
        .limit(1)
    )


def view(row: FunderAgreement) -> AgreementView:
    return AgreementView(
        funder_id=row.funder_id, version=row.version, share_percent=percent_text(row.share_e4),
        yield_percent=percent_text(row.yield_e4), created_at=row.created_at,
    )  # fmt: skip


async def save(
    db: AsyncSession, funder_id: str, body: AgreementBody, actor: Principal | None, now: datetime
) -> FunderAgreement:
    """A new version of the funder's agreement; refused whole, field by field, when a figure is
    wrong (422 ``funder_agreement_invalid``), before anything is written."""
    await funder(db, funder_id)
    if found := agreement_problems(body.share_percent, body.yield_percent):
        raise DomainError("funder_agreement_invalid", "合作协议参数有误",
                          "the agreement's figures are wrong", fields=found)  # fmt: skip
    share, rate = percent_e4(body.share_percent), percent_e4(body.yield_percent)
    assert share is not None
    assert rate is not None
    last = await db.scalar(
        select(func.max(FunderAgreement.version)).where(FunderAgreement.funder_id == funder_id)
    )
    row = FunderAgreement(
        funder_id=funder_id, version=int(last or 0) + 1, share_e4=share, yield_e4=rate,
        reason=body.reason, created_by_id=actor.user_id if actor else None, created_at=now,
    )  # fmt: skip
    db.add(row)
    await db.flush()  # a racing save loses on (funder_id, version): 409
    await audit.record(
        db, actor=actor, action="funder.agreement_saved", entity_type="funder_agreement",
        entity_id=f"{funder_id}:{row.version}", at=now,
        detail={"funder": funder_id, "version": row.version, "share_e4": share,
                "yield_e4": rate, "reason": body.reason},
    )  # fmt: skip
    return row
