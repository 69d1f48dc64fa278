"""Statement exports 对账单导出: small ones are rendered in the request, large ones (more than
`JOB_THRESHOLD` rows) become a job that a background worker builds under the data directory.

Every worker process polls (`run_periodically`, started in the app's lifespan). A job is claimed
by one of them with a conditional UPDATE — status queued, or running with its lease passed (the
worker that had it died) — that sets a fresh claim token and the lease; progress and the outcome
are written only under that token, and each progress write extends the lease. The file is
written to a temporary name and renamed, so a half-written file is never offered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.auth.principal import Principal
from backend.db.base import new_id
from backend.db.models import Organisation, StatementExport
from backend.settings import Settings
from backend.statements import files, pdf, service
from common.api.auth import Role
from common.api.statements import ExportJobView, ExportStatus, StatementFormat
from common.errors import Conflict, DomainError, NotFound
from common.statements import Statement, StatementRange

log = logging.getLogger(__name__)
JOB_THRESHOLD = 2_000  # rows: above it a file export runs as a job
LEASE = timedelta(minutes=10)
PROGRESS_EVERY_S = 0.5
FOLDER = "statements"  # under the data directory
RENDERERS: dict[str, Callable[..., bytes]] = {
    StatementFormat.CSV: files.to_csv,
    StatementFormat.XLSX: files.to_xlsx,
    StatementFormat.PDF: pdf.to_pdf,
}
EXPORT_NOT_FOUND = NotFound("statement_export_not_found", "导出任务不存在", "No such export")
NOT_READY = Conflict("statement_export_not_ready", "导出尚未完成，请稍候", "The export is not done")
EXPORT_EXPIRED = DomainError(
    "statement_export_expired", "导出文件已过保留期，请重新导出",
    "The exported file is past its keeping period: export it again", status=410,
)  # fmt: skip


def render(fmt: str, s: Statement, dealer_name: str, issued_at: datetime,
           on_rows: files.Progress = None) -> bytes:  # fmt: skip
    return RENDERERS[fmt](s, dealer_name, issued_at, on_rows)


def view(job: StatementExport) -> ExportJobView:
    return ExportJobView(
        id=job.id, dealer_id=job.dealer_id, format=StatementFormat(job.format), start=job.start,
        end=job.end, status=ExportStatus(job.status), progress=job.progress, rows=job.rows,
        created_at=job.created_at, finished_at=job.finished_at, error=job.error,
    )  # fmt: skip


def grant_of(job_id: str) -> str:
    """What a download link for the job's file opens (the guard's `download_grant`)."""
    return f"statement-export:{job_id}"


def folder(settings: Settings) -> Path:
    return settings.data_dir / FOLDER


async def start(
    db: AsyncSession, caller: Principal, dealer: service.Dealer, period: StatementRange,
    fmt: StatementFormat, rows: int, now: datetime,
) -> StatementExport:  # fmt: skip
    job = StatementExport(
        id=new_id(), dealer_id=dealer.id, requested_by=caller.user_id, format=fmt.value,
        start=period.start, end=period.end, status=ExportStatus.QUEUED.value, progress=0,
        rows=rows, created_at=now,
    )  # fmt: skip
    db.add(job)
    await db.flush()
    return job


async def get(db: AsyncSession, caller: Principal, job_id: str) -> StatementExport:
    """The caller's job: a dealer's own, any for an admin; another dealer's is 404."""
    job = await db.get(StatementExport, job_id) if len(job_id) <= 32 else None
    if job is None:
        raise EXPORT_NOT_FOUND
    if caller.role != Role.ADMIN and job.dealer_id != caller.organisation_id:
        raise EXPORT_NOT_FOUND
    return job


def file_of(settings: Settings, job: StatementExport) -> tuple[bytes, str]:
    """The finished job's file and its download name."""
    if job.status == ExportStatus.EXPIRED.value:
        raise EXPORT_EXPIRED
    if job.status != ExportStatus.DONE.value or not job.file_name:
        raise NOT_READY
    path = folder(settings) / job.file_name
    if not path.is_file():
        raise EXPORT_NOT_FOUND  # the data directory lost it: the job must be run again
    name = f"statement-{job.dealer_id}-{job.start:%Y%m%d}-{job.end:%Y%m%d}.{job.format}"
    return path.read_bytes(), name


def _due(now: datetime) -> object:
    return or_(
        StatementExport.status == ExportStatus.QUEUED.value,
        and_(StatementExport.status == ExportStatus.RUNNING.value,
             StatementExport.locked_until < now),
    )  # fmt: skip


async def claim(db: AsyncSession, now: datetime) -> tuple[str, str] | None:
    """Claims the oldest due job for this worker: (job id, claim token), or None. In the
    caller's transaction: commit before building."""
    candidate = await db.scalar(
        select(StatementExport.id).where(_due(now))  # type: ignore[arg-type]
        .order_by(StatementExport.created_at, StatementExport.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )  # fmt: skip
    if candidate is None:
        return None
    token = new_id()
    taken = await db.scalar(
        update(StatementExport)
        .where(StatementExport.id == candidate, _due(now))  # type: ignore[arg-type]
        .values(status=ExportStatus.RUNNING.value, claim_token=token, locked_until=now + LEASE)
        .returning(StatementExport.id)
        .execution_options(synchronize_session=False)
    )
    return None if taken is None else (candidate, token)


async def _write(
    sessions: async_sessionmaker[AsyncSession], job_id: str, token: str, now: datetime,
    **values: object,
) -> bool:  # fmt: skip
    """Writes `values` on the job while the claim is still this worker's (extends the lease)."""
    async with sessions() as db:
        done = await db.scalar(
            update(StatementExport)
            .where(StatementExport.id == job_id, StatementExport.claim_token == token)
            .values(locked_until=now + LEASE, **values)
            .returning(StatementExport.id)
            .execution_options(synchronize_session=False)
        )
        await db.commit()
    return done is not None


async def build(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, clock: Callable[[], datetime],
    job_id: str, token: str,
) -> str:  # fmt: skip
    """Builds a claimed job's file; its final status."""
    async with sessions() as db:
        job = await db.get(StatementExport, job_id)
        org = await db.get(Organisation, job.dealer_id) if job else None
        if job is None or org is None:
            return ExportStatus.FAILED.value
        fmt, period = job.format, StatementRange(job.start, job.end)
        dealer = service.Dealer(org.id, org.name)
        s = await service.statement(db, dealer, period)
    total = max(len(s.rows), 1)
    if not await _write(sessions, job_id, token, clock(), rows=len(s.rows), progress=5):
        return "lost_claim"
    done = [0]
    work = asyncio.create_task(asyncio.to_thread(
        render, fmt, s, dealer.name, clock(), lambda n: done.__setitem__(0, n),
    ))  # fmt: skip
    while not work.done():
        await asyncio.wait({work}, timeout=PROGRESS_EVERY_S)
        if not work.done():
            progress = 5 + 90 * done[0] // total
            if not await _write(sessions, job_id, token, clock(), progress=progress):
                return "lost_claim"  # the file is not ours to finish
    name = f"{job_id}.{fmt}"
    target = folder(settings) / name
    try:
        data = work.result()
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(target)
    except Exception:
        log.exception("statement export %s failed", job_id)
        await _write(sessions, job_id, token, clock(), status=ExportStatus.FAILED.value,
                     error="statement_export_failed", claim_token=None,
                     finished_at=clock())  # fmt: skip
        return ExportStatus.FAILED.value
    if not await _write(sessions, job_id, token, clock(), status=ExportStatus.DONE.value,
                        progress=100, file_name=name, claim_token=None,
                        finished_at=clock()):  # fmt: skip
        with contextlib.suppress(OSError):
            target.unlink()
        return "lost_claim"
    return ExportStatus.DONE.value


async def run_once(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, clock: Callable[[], datetime]
) -> str | None:
    """Claims and builds one job; its outcome, or None when nothing was due."""
    async with sessions() as db:
        claimed = await claim(db, clock())
        await db.commit()
    if claimed is None:
        return None
    return await build(sessions, settings, clock, *claimed)


async def run_periodically(
    sessions: async_sessionmaker[AsyncSession], settings: Settings,
    clock: Callable[[], datetime], interval_s: float,
) -> None:  # fmt: skip
    while True:
        try:
            if await run_once(sessions, settings, clock) is not None:
                continue  # another may be queued: no pause while there is a backlog
        except Exception:
            log.exception("the statement export worker failed; trying again next time")
        await asyncio.sleep(interval_s)


async def expire_old(db: AsyncSession, settings: Settings, now: datetime) -> int:
    """Delete the files of exports finished more than ``statement_export_keep_days`` ago (the
    statement can be exported again at any time: it is made from the ledger) and mark them
    expired. The row is marked first, so a download never finds a half-deleted file."""
    before = now - timedelta(days=settings.statement_export_keep_days)
    jobs = list(
        await db.scalars(
            select(StatementExport).where(
                StatementExport.status == ExportStatus.DONE.value,
                StatementExport.finished_at < before,
            )
        )
    )
    names = [job.file_name for job in jobs if job.file_name]
    for job in jobs:
        job.status, job.file_name = ExportStatus.EXPIRED.value, None
    await db.commit()
    for name in names:
        with contextlib.suppress(FileNotFoundError):
            (folder(settings) / name).unlink()
    return len(jobs)
