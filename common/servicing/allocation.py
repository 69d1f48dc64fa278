"""Allocation of a payment (还款冲抵顺序) over what is due."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from common.errors import DomainError
from common.money import ZERO, round_fen


class Component(StrEnum):
    PENALTY = "penalty"  # 罚息
    FEES = "fees"  # 费用
    INTEREST = "interest"  # 利息
    PRINCIPAL = "principal"  # 本金


# Penalty, then interest, then principal; fees (when any) ride right after the penalty.
DEFAULT_ORDER: tuple[Component, ...] = (
    Component.PENALTY,
    Component.FEES,
    Component.INTEREST,
    Component.PRINCIPAL,
)


@dataclass(frozen=True, slots=True)
class Dues:
    """What one instalment still owes, by component."""

    number: int
    due_date: date
    principal: Decimal = ZERO
    interest: Decimal = ZERO
    fees: Decimal = ZERO
    penalty: Decimal = ZERO

    def owed(self, component: Component) -> Decimal:
        amount: Decimal = getattr(self, component.value)
        return amount

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.fees + self.penalty


@dataclass(frozen=True, slots=True)
class AllocationLine:
    number: int
    component: Component
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Allocation:
    lines: tuple[AllocationLine, ...]
    unapplied: Decimal  # left over after every due is met (an overpayment / 溢缴款)

    def total(self, component: Component | None = None) -> Decimal:
        return sum((ln.amount for ln in self.lines if component in (None, ln.component)), ZERO)


def allocate(
    amount: Decimal,
    dues: Sequence[Dues],
    order: Sequence[Component] = DEFAULT_ORDER,
    *,
    instalment_first: bool = True,
) -> Allocation:
    """Apply `amount` to `dues`, oldest instalment first.

    `instalment_first` (default, "horizontal"): settle every component of the oldest instalment
    in `order` before the next one. Otherwise ("vertical"): the first component of every
    instalment, oldest first, then the next component, and so on.
    """
    if sorted(order) != sorted(Component) or len(set(order)) != len(order):
        raise DomainError(
            "allocation_order_invalid",
            "冲抵顺序须恰好包含罚息、费用、利息、本金各一次",
            "allocation order must list penalty, fees, interest and principal once each",
            fields={"order": "allocation_order_invalid"},
        )
    if not (amount.is_finite() and amount > 0 and amount == round_fen(amount)):
        raise DomainError(
            "money_invalid", "还款金额须为正数，最多两位小数", "payment must be positive",
            fields={"amount": "money_invalid"},
        )  # fmt: skip
    oldest = sorted(dues, key=lambda d: (d.due_date, d.number))
    if instalment_first:
        steps = [(d, c) for d in oldest for c in order]
    else:
        steps = [(d, c) for c in order for d in oldest]
    left = amount
    lines = []
    for due, component in steps:
        if not left:
            break
        applied = min(left, due.owed(component))
        if applied > 0:
            lines.append(AllocationLine(due.number, component, applied))
            left -= applied
    return Allocation(tuple(lines), left)
