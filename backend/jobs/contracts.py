"""Contracts for approved applications 自动生成合同: an application approved by the rule engine
or by a risk officer gets its contract (and the lessee an SMS) without a clerk asking.

Run on every worker; generation is idempotent (one contract per application, unique), and a
lost race is rolled back and left to the winner.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.contracts import service
from backend.db.models import Application, Contract
from backend.intake.catalogue import Catalogue
from backend.providers.sms import SmsSenderFactory
from backend.security.pii import PiiCipher
from common.api.intake import ApplicationStatus

log = logging.getLogger(__name__)
BATCH = 20


async def pending(db: AsyncSession, limit: int = BATCH) -> list[str]:
    """Approved applications without a contract, oldest first."""
    rows = await db.scalars(
        select(Application.id)
        .outerjoin(Contract, Contract.application_id == Application.id)
        .where(Application.status == ApplicationStatus.APPROVED.value, Contract.id.is_(None))
        .order_by(Application.updated_at)
        .limit(limit)
    )
    return list(rows)


async def generate_pending(
    sessions: async_sessionmaker[AsyncSession],
    pii: PiiCipher,
    catalogue: Catalogue,
    sms_for: SmsSenderFactory,
    now: datetime,
    app_url: str,
) -> int:
    """Generate what is pending, each in its own transaction; returns how many were made."""
    async with sessions() as db:
        ids = await pending(db)
        await db.rollback()
    made = 0
    for application_id in ids:
        async with sessions() as db:
            try:
                await service.generate(
                    db, pii, catalogue, sms_for(db), None, application_id, now, app_url=app_url
                )
                await db.commit()
                made += 1
            except IntegrityError:  # another worker made it first
                await db.rollback()
            except Exception:  # one bad application must not stop the others
                await db.rollback()
                log.exception("contract generation failed for application %s", application_id)
    return made


async def run_periodically(
    sessions: async_sessionmaker[AsyncSession],
    pii: PiiCipher,
    catalogue: Catalogue,
    sms_for: SmsSenderFactory,
    interval_s: float,
    clock: Callable[[], datetime],
    app_url: str,
) -> None:
    while True:
        try:
            await generate_pending(sessions, pii, catalogue, sms_for, clock(), app_url)
        except Exception:
            log.exception("the contract generation job failed; trying again next time")
        await asyncio.sleep(interval_s)
