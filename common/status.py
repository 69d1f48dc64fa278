"""The life of an application 申请状态机: every status change goes through `transition`.

    draft ──submit──▶ submitted ──decide──▶ approved | declined | in_review
    in_review ──review──▶ approved | declined
    draft ──withdraw──▶ withdrawn

`submitted` is transient: the decision is made before anything is written, so a submit moves a
draft straight to the decided status in one guarded write (the audit log records both steps).
"""

from __future__ import annotations

from common.api.intake import ApplicationStatus as S
from common.errors import Conflict

TRANSITIONS: dict[S, frozenset[S]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.APPROVED, S.DECLINED, S.IN_REVIEW}),
    S.IN_REVIEW: frozenset({S.APPROVED, S.DECLINED}),
    S.APPROVED: frozenset(),
    S.DECLINED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

# The automated decision's outcome -> the status it leaves the application in.
AFTER_DECISION = {"approved": S.APPROVED, "declined": S.DECLINED, "referred": S.IN_REVIEW}
# A risk officer's verdict -> the status.
AFTER_REVIEW = {"approve": S.APPROVED, "decline": S.DECLINED}


class IllegalTransition(Conflict):
    def __init__(self, current: S, wanted: S) -> None:
        super().__init__(
            "illegal_status_change",
            "申请当前状态不允许此操作",
            f"An application cannot go from {current.value} to {wanted.value}",
        )


def transition(current: str | S, wanted: S) -> S:
    """`wanted`, if the state machine allows it from `current`; else IllegalTransition (409)."""
    now = S(current)
    if wanted not in TRANSITIONS[now]:
        raise IllegalTransition(now, wanted)
    return wanted


def decided(outcome: str) -> S:
    """The status a freshly submitted application takes for the decision's outcome."""
    return transition(S.SUBMITTED, AFTER_DECISION[outcome])


def reviewed(current: str | S, verdict: str) -> S:
    return transition(current, AFTER_REVIEW[verdict])
