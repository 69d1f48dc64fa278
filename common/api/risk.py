"""Wire types of risk approval 风控审批: decisions, manual review, rule-set management, flags.

Rule sets travel as plain JSON objects (the shape of `common.rules.RuleSet`); the backend decodes
and validates them itself so that a bad rule set is answered with ``ruleset_invalid`` and the exact
path of every problem.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

import msgspec

from common.api import limits
from common.products import ProductFamily


class ReasonView(msgspec.Struct):
    code: str
    kind: str  # decline | refer | approve
    zh: str  # plain Chinese, shown to staff
    en: str
    source: str  # rule id, table/row, scorecard or providers


class GateView(msgspec.Struct):
    code: str
    zh: str
    en: str


class TraceStepView(msgspec.Struct):
    kind: str  # rule | row | default | bin
    id: str
    hit: bool
    applied: bool


class ReviewView(msgspec.Struct):
    decision: str  # approve | decline
    note: str
    reviewer_id: str
    decided_at: datetime


class DecisionView(msgspec.Struct):
    """The automated decision 审批结果, and the manual review when there was one."""

    outcome: str  # approved | referred | declined
    score: int
    reasons: list[ReasonView]
    gates: list[GateView]
    ruleset_version: int
    decided_at: datetime
    provider_errors: list[str] = []
    trace: list[TraceStepView] = []
    review: ReviewView | None = None


class RevealedCustomer(msgspec.Struct):
    """The unmasked name and ID number of a case in review, for the officer who asked: answered
    with ``Cache-Control: no-store``, audited as ``application.pii_revealed``, never logged."""

    application_id: str
    name: str
    id_number: str


class ReviewDecision(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"


class ReviewRequest(msgspec.Struct, forbid_unknown_fields=True):
    decision: ReviewDecision
    note: Annotated[str, limits.paragraph(limits.NOTE, min_length=1)]


class RuleSetStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class RuleSetSummary(msgspec.Struct):
    id: str
    version: int  # the number risk officers see
    name: str
    status: RuleSetStatus
    active: bool
    lock_version: int  # send back with an edit; a stale one is a 409
    based_on: str | None
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None = None
    published_by: str | None = None
    publish_reason: str | None = None
    family: ProductFamily = ProductFamily.VEHICLE  # the applications it decides


class RuleSetDetail(msgspec.Struct):
    summary: RuleSetSummary
    ruleset: dict[str, Any]  # common.rules.RuleSet as JSON


class RuleSetCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new draft of ``family``: a copy of ``from_id`` (default: the family's active set), or
    the given ``ruleset``. Without a family: the copied set's, else vehicle."""

    from_id: Annotated[str, limits.line(64)] | None = None
    ruleset: dict[str, Any] | None = None
    family: ProductFamily | None = None


class RuleSetEdit(msgspec.Struct, forbid_unknown_fields=True):
    lock_version: limits.Version
    ruleset: dict[str, Any]


class ChangeReason(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, limits.paragraph(limits.NOTE, min_length=1)]


class SimulateRequest(msgspec.Struct, forbid_unknown_fields=True):
    last_n: Annotated[int, msgspec.Meta(ge=1, le=5000)] = 200


class ChangedCaseView(msgspec.Struct):
    application_id: str
    before: str
    after: str
    score_before: int
    score_after: int
    reasons_before: list[str]
    reasons_after: list[str]
    # Whose case it is, as a person reads it: the masked name and the vehicle.
    customer_name: str | None = None  # masked
    maker: str | None = None
    model_name: str | None = None
    model_year: int | None = None


class SimulationView(msgspec.Struct):
    active_version: int
    draft_version: int
    total: int
    changed_count: int
    approval_rate_before: str  # share, 4 places ("0.7500")
    approval_rate_after: str
    outcomes_before: dict[str, int]
    outcomes_after: dict[str, int]
    changed: list[ChangedCaseView]


class FieldChange(msgspec.Struct):
    path: str
    before: Any
    after: Any


class RuleChangeView(msgspec.Struct):
    """One entry of the rule-change history 规则变更记录: who, when, what, why."""

    id: str
    at: datetime
    actor_id: str | None
    actor_name: str | None
    action: str  # created | edited | published | rolled_back
    ruleset_id: str
    version: int
    reason: str | None
    before: Any
    after: Any
    changes: list[FieldChange]
    audit_seq: int


class RegionFlagView(msgspec.Struct):
    region_code: str
    flagged: bool
    z_score: str
    today_count: int
    baseline_median: str
    business_date: str
    raised_at: datetime | None
    cleared_at: datetime | None
    updated_at: datetime
