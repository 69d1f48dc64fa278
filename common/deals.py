"""A dealer's deal 业务 from filing to closing, as one stage: the application's status until a
contract exists, then the contract's. Funding activates a lease at once here, so "funded" and
"active" are one stage."""

from __future__ import annotations

from enum import StrEnum

from common.api.intake import ApplicationStatus
from common.contracts import ContractStatus


class DealStage(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"  # no contract yet
    AWAITING_SIGNATURE = "awaiting_signature"
    SIGNED = "signed"  # awaiting funding
    ACTIVE = "active"  # funded, rent being paid
    CLOSED = "closed"  # settled
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # by the shop, or the contract cancelled

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    DealStage.DRAFT: "草稿", DealStage.IN_REVIEW: "审批中", DealStage.APPROVED: "已批准待签约",
    DealStage.AWAITING_SIGNATURE: "待客户签署", DealStage.SIGNED: "已签约待放款",
    DealStage.ACTIVE: "已放款起租", DealStage.CLOSED: "已结清", DealStage.DECLINED: "已拒绝",
    DealStage.WITHDRAWN: "已撤回/取消",
}  # fmt: skip

_BY_CONTRACT = {
    ContractStatus.AWAITING_SIGNATURE: DealStage.AWAITING_SIGNATURE,
    ContractStatus.SIGNED: DealStage.SIGNED,
    ContractStatus.ACTIVE: DealStage.ACTIVE,
    ContractStatus.SETTLED: DealStage.CLOSED,
    ContractStatus.CANCELLED: DealStage.WITHDRAWN,
}
_BY_APPLICATION = {
    ApplicationStatus.DRAFT: DealStage.DRAFT,
    ApplicationStatus.SUBMITTED: DealStage.IN_REVIEW,
    ApplicationStatus.IN_REVIEW: DealStage.IN_REVIEW,
    ApplicationStatus.APPROVED: DealStage.APPROVED,
    ApplicationStatus.DECLINED: DealStage.DECLINED,
    ApplicationStatus.WITHDRAWN: DealStage.WITHDRAWN,
}


def stage_of(application: str, contract: str | None) -> DealStage:
    if contract is not None:
        return _BY_CONTRACT[ContractStatus(contract)]
    return _BY_APPLICATION[ApplicationStatus(application)]
