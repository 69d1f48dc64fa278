"""Where each instalment of a contract stands (还款状态), in integer fen: what it owed, what has
been paid of each component, what the deposit still covers, what is left.

The rows come from the servicing sub-ledger (`backend.servicing.dues`); everything here is pure
and takes `today` (the business day in Asia/Shanghai).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from common.money import from_fen, to_fen
from common.servicing.allocation import Allocation, Component, Dues


class RowStatus(StrEnum):
    PAID = "paid"  # 已还
    OVERDUE = "overdue"  # 逾期: due before today, something left
    DUE = "due"  # 待还: the first unpaid instalment due today or later
    UPCOMING = "upcoming"  # 未到期


STATUS_LABELS = {
    RowStatus.PAID: "已还",
    RowStatus.OVERDUE: "逾期",
    RowStatus.DUE: "待还",
    RowStatus.UPCOMING: "未到期",
}


@dataclass(frozen=True, slots=True)
class InstalmentState:
    number: int
    due_date: date
    kind: str
    principal: int
    interest: int
    fees: int = 0
    penalty: int = 0  # booked so far
    offset: int = 0  # 保证金抵扣 planned for this instalment
    offset_applied: int = 0  # of it, applied on the due date
    paid_principal: int = 0
    paid_interest: int = 0
    paid_fees: int = 0
    paid_penalty: int = 0

    @property
    def total(self) -> int:
        return self.principal + self.interest + self.fees + self.penalty

    @property
    def paid(self) -> int:
        return self.paid_principal + self.paid_interest + self.paid_fees + self.paid_penalty

    @property
    def outstanding(self) -> int:
        """Left to pay, whoever pays it (the lessee or the deposit)."""
        return self.total - self.paid

    @property
    def offset_remaining(self) -> int:
        return self.offset - self.offset_applied

    @property
    def lessee_owes(self) -> int:
        """Left for the lessee: the outstanding less what the deposit will still cover."""
        return max(0, self.outstanding - self.offset_remaining)

    @property
    def settled(self) -> bool:
        return self.outstanding == 0

    def left(self, component: Component) -> int:
        owed = {
            Component.PRINCIPAL: self.principal - self.paid_principal,
            Component.INTEREST: self.interest - self.paid_interest,
            Component.FEES: self.fees - self.paid_fees,
            Component.PENALTY: self.penalty - self.paid_penalty,
        }
        return owed[component]

    def status(self, today: date, first_unpaid_ahead: bool = False) -> RowStatus:
        if self.settled or (self.lessee_owes == 0 and self.due_date >= today):
            return RowStatus.PAID
        if self.due_date < today:
            return RowStatus.OVERDUE
        return RowStatus.DUE if first_unpaid_ahead else RowStatus.UPCOMING

    def paying(self, component: Component, fen: int) -> InstalmentState:
        field = f"paid_{component.value}"
        return replace(self, **{field: getattr(self, field) + fen})


def statuses(rows: Sequence[InstalmentState], today: date) -> list[RowStatus]:
    """Each row's status; the first unpaid row due today or later is the one 待还."""
    out: list[RowStatus] = []
    seen_due = False
    for r in sorted(rows, key=lambda r: r.number):
        s = r.status(today, first_unpaid_ahead=not seen_due)
        if s is RowStatus.DUE:
            seen_due = True
        out.append(s)
    return out


def dues_for(rows: Sequence[InstalmentState], *, for_deposit: bool = False) -> list[Dues]:
    """What `allocate` may apply a payment to, oldest first. For the lessee's money the part the
    deposit will cover is held back (from principal, then interest); for the deposit's offset,
    only that part."""
    out = []
    for r in sorted(rows, key=lambda r: (r.due_date, r.number)):
        left = {c: r.left(c) for c in Component}
        hold = r.offset_remaining
        if for_deposit:
            take = {c: 0 for c in Component}
            for c in (Component.PRINCIPAL, Component.INTEREST, Component.FEES):
                take[c] = min(left[c], hold)
                hold -= take[c]
            left = take
        else:
            for c in (Component.PRINCIPAL, Component.INTEREST, Component.FEES):
                held = min(left[c], hold)
                left[c] -= held
                hold -= held
        if any(left.values()):
            parts = {c.value: from_fen(v) for c, v in left.items()}
            out.append(Dues(r.number, r.due_date, **parts))
    return out


@dataclass(frozen=True, slots=True)
class Applied:
    """An allocation in fen, by component and by instalment."""

    principal: int
    interest: int
    fees: int
    penalty: int
    unapplied: int
    lines: tuple[tuple[int, Component, int], ...]  # (instalment number, component, fen)


def applied_of(lines: Sequence[tuple[int, Component, int]], unapplied: int = 0) -> Applied:
    """The allocation of these (instalment, component, fen) lines, summed by component."""

    def part(c: Component) -> int:
        return sum(f for _, comp, f in lines if comp is c)

    return Applied(
        part(Component.PRINCIPAL), part(Component.INTEREST), part(Component.FEES),
        part(Component.PENALTY), unapplied, tuple(lines),
    )  # fmt: skip


def in_fen(allocation: Allocation) -> Applied:
    lines = [(x.number, x.component, to_fen(x.amount)) for x in allocation.lines]
    return applied_of(lines, to_fen(allocation.unapplied))


@dataclass(frozen=True, slots=True)
class Summary:
    """The hall's headline: what is owed now, the next due, the oldest arrears."""

    overdue_fen: int  # due before today, left for the lessee (penalty included)
    due_now_fen: int  # overdue + what falls due today
    next_due_date: date | None
    next_due_fen: int  # the next unpaid instalment due today or later (0 when none)
    outstanding_fen: int  # everything left for the lessee on the schedule
    oldest_overdue: date | None
    days_past_due: int


def summary(rows: Sequence[InstalmentState], today: date) -> Summary:
    ordered = sorted(rows, key=lambda r: (r.due_date, r.number))
    overdue = [r for r in ordered if r.due_date < today and r.lessee_owes > 0]
    ahead = [r for r in ordered if r.due_date >= today and r.lessee_owes > 0]
    nxt = ahead[0] if ahead else None
    oldest = overdue[0].due_date if overdue else None
    return Summary(
        overdue_fen=sum(r.lessee_owes for r in overdue),
        due_now_fen=sum(r.lessee_owes for r in ordered if r.due_date <= today),
        next_due_date=nxt.due_date if nxt else None,
        next_due_fen=nxt.lessee_owes if nxt else 0,
        outstanding_fen=sum(r.lessee_owes for r in ordered),
        oldest_overdue=oldest,
        days_past_due=(today - oldest).days if oldest else 0,
    )
