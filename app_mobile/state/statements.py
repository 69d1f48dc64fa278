"""What the dealer's statement screen shows, without Flet: the range a route names, the route of
a range, and what an export job's progress reads."""

from __future__ import annotations

from datetime import date

from common.api.statements import ExportJobView, ExportStatus
from common.errors import DomainError
from common.statements import StatementRange, last_month, this_month

ROUTE = "/dealer/statements"


def route_for(period: StatementRange) -> str:
    return f"{ROUTE}/{period.start.isoformat()}/{period.end.isoformat()}"


def period_of(route: str, today: date) -> StatementRange | None:
    """/dealer/statements is this month so far; /dealer/statements/<from>/<to> that range;
    None for anything else (a bad or too long range included: the screen says so)."""
    if route == ROUTE:
        return this_month(today)
    parts = route.removeprefix(ROUTE + "/").split("/")
    if not route.startswith(ROUTE + "/") or len(parts) != 2:
        return None
    try:
        return StatementRange.parse(parts[0], parts[1])
    except DomainError:
        return None


def quick_ranges(today: date) -> dict[str, StatementRange]:
    """The range buttons: this month and last month (text key -> range)."""
    return {"stm_this_month": this_month(today), "stm_last_month": last_month(today)}


def progress_text_key(job: ExportJobView) -> str:
    return {
        ExportStatus.QUEUED: "stm_job_queued",
        ExportStatus.RUNNING: "stm_job_running",
        ExportStatus.DONE: "stm_job_done",
        ExportStatus.FAILED: "stm_job_failed",
        ExportStatus.EXPIRED: "stm_job_expired",
    }[job.status]


def finished(job: ExportJobView) -> bool:
    return job.status in (ExportStatus.DONE, ExportStatus.FAILED, ExportStatus.EXPIRED)
