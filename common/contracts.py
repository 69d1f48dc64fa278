"""The life of a contract 合同状态机, and its number.

    awaiting_signature ──sign (OTP + seal)──▶ signed ──funding confirmed──▶ active
    awaiting_signature ──cancel──▶ cancelled

`signed` means sealed: the platform's PAdES signature is on the document the lessee confirmed.
A contract is `active` once a funder has confirmed the funding and the lease is booked.
"""

from __future__ import annotations

from enum import StrEnum

from common.errors import Conflict


class ContractStatus(StrEnum):
    AWAITING_SIGNATURE = "awaiting_signature"  # 待签署
    SIGNED = "signed"  # 已签署，待放款
    ACTIVE = "active"  # 已放款，履约中
    CANCELLED = "cancelled"  # 已作废
    SETTLED = "settled"  # 已结清: paid off early or at the end of the term (title released)


LABELS = {
    ContractStatus.AWAITING_SIGNATURE: "待签署",
    ContractStatus.SIGNED: "已签署，待放款",
    ContractStatus.ACTIVE: "履约中",
    ContractStatus.CANCELLED: "已作废",
    ContractStatus.SETTLED: "已结清",
}

TRANSITIONS: dict[ContractStatus, frozenset[ContractStatus]] = {
    ContractStatus.AWAITING_SIGNATURE: frozenset({ContractStatus.SIGNED, ContractStatus.CANCELLED}),
    ContractStatus.SIGNED: frozenset({ContractStatus.ACTIVE}),
    ContractStatus.ACTIVE: frozenset({ContractStatus.SETTLED}),
    ContractStatus.CANCELLED: frozenset(),
    ContractStatus.SETTLED: frozenset(),
}

# What the lessee confirms before the code is accepted (the app shows one tick box for each).
CONFIRMATIONS = {
    "read_contract": "我已完整阅读本合同全部条款",
    "understand_rate": "我已知悉年化利率（IRR，含费用）及还款计划",
    "own_intent": "本人自愿签署，非他人代签",
}


class ContractStatusConflict(Conflict):
    def __init__(self, current: ContractStatus, wanted: ContractStatus) -> None:
        super().__init__(
            "contract_status_conflict",
            f"合同当前状态（{LABELS[current]}）不允许此操作",
            f"A contract cannot go from {current.value} to {wanted.value}",
        )


def transition(current: str | ContractStatus, wanted: ContractStatus) -> ContractStatus:
    now = ContractStatus(current)
    if wanted not in TRANSITIONS[now]:
        raise ContractStatusConflict(now, wanted)
    return wanted


def contract_number(year: int, sequence: int) -> str:
    """`AL-2026-000123`: the year it was issued and its place in that year's sequence."""
    if not (2000 <= year <= 9999 and 1 <= sequence <= 999_999):
        raise ValueError("contract number out of range")
    return f"AL-{year}-{sequence:06d}"
