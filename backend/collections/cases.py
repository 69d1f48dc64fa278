"""The collections queue's feed 催收案件: the daily sweep opens a case when a contract enters M1+,
keeps its bucket current, and closes it when the contract is back to M0."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from backend.audit import service as audit
from backend.db.models import CollectionCase, Contract
from common.servicing.delinquency import Bucket


class CaseStatus(StrEnum):
    OPEN = "open"
    PROMISED = "promised"  # a promise to pay is on file
    CLOSED = "closed"


LIVE = (CaseStatus.OPEN.value, CaseStatus.PROMISED.value)


def sync(
    contract: Contract, bucket: Bucket, day: date, case: CollectionCase | None, now: datetime
) -> tuple[CollectionCase | None, str | None]:
    """The contract's live case after day `day` (a new one, the same, or None) and what changed
    ("opened" | "closed" | None). The caller adds a new case to the session."""
    if bucket is Bucket.M0:
        if case is None:
            return None, None
        case.status = CaseStatus.CLOSED.value
        case.closed_on = day
        return None, "closed"
    if case is None:
        return CollectionCase(
            contract_id=contract.id, opened_on=day, bucket=bucket.value,
            status=CaseStatus.OPEN.value, next_action_on=day,
        ), "opened"  # fmt: skip
    case.bucket = bucket.value
    return case, None


async def record(db: object, contract: Contract, case: CollectionCase, change: str,
                 now: datetime) -> None:  # fmt: skip
    await audit.record(
        db,  # type: ignore[arg-type]
        actor=None,
        action=f"collection.case_{change}",
        entity_type="contract",
        entity_id=contract.id,
        after={"case": case.id, "status": case.status, "bucket": case.bucket},
        detail={"case_id": case.id, "bucket": case.bucket},
        at=now,
    )
