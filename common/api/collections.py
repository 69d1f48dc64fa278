"""Wire types of collections 催收: the queue, a collector's action, a contract's timeline."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

import msgspec

from common.api import limits

Money = Annotated[str, limits.line(40)]  # yuan, e.g. "3050.00"


class ActionKind(StrEnum):
    CALL_NOTE = "call_note"  # 电话记录
    PROMISE_TO_PAY = "promise_to_pay"  # 承诺还款
    FIELD_VISIT = "field_visit"  # 上门
    ESCALATE = "escalate"  # 升级


class QueueItem(msgspec.Struct, kw_only=True):
    case_id: str
    contract_id: str
    contract_number: str
    lessee_name: str  # masked 张*
    mobile: str  # masked 139****5678
    bucket: str
    days_past_due: int
    overdue: Money
    status: str  # open | promised
    opened_on: date
    last_action: str | None = None
    last_action_at: datetime | None = None
    promise_date: date | None = None
    promise_amount: Money | None = None
    broken_promise: bool = False  # the promise date passed and it is still overdue


class ActionRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    kind: ActionKind
    note: Annotated[str, msgspec.Meta(min_length=1, max_length=limits.NOTE)]
    promise_date: date | None = None
    promise_amount: Money | None = None


class ActionView(msgspec.Struct, kw_only=True):
    id: str
    case_id: str
    kind: str
    note: str
    promise_date: date | None
    promise_amount: Money | None
    at: datetime
    case_status: str


class TimelineEvent(msgspec.Struct, kw_only=True):
    at: datetime
    kind: str  # contract.activated, ledger.posted, contract.bucket_changed, reminder, collection
    summary: str
    detail: dict[str, Any] = msgspec.field(default_factory=dict)
