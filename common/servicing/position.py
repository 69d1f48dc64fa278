"""Where a contract stands on a date, by its schedule, and the terms of what remains."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from common.errors import DomainError
from common.money import ZERO, div_half_up, from_fen, round_fen, to_fen
from common.schedule import BalloonTiming, Instalment, LeaseTerms, Method, Schedule, Timing
from common.servicing.delinquency import PenaltyRule, penalty_increment, penalty_interest


@dataclass(frozen=True, slots=True)
class Arrears:
    """An instalment due on or before the quote date and not (fully) paid: its unpaid parts.

    `penalty` is penalty interest already booked and unpaid, for the days up to
    `penalty_through`; more accrues by rule for the days after it, each day counted once. Without
    `penalty_through`, the booked penalty is taken to be the same rule's from the due date, so
    the penalty to a date is the larger of the two, never their sum."""

    number: int
    due_date: date
    principal: Decimal
    interest: Decimal
    fees: Decimal = ZERO
    penalty: Decimal = ZERO
    penalty_through: date | None = None

    def penalty_to(self, as_of: date, rule: PenaltyRule | None) -> Decimal:
        if rule is None:
            return self.penalty
        base = self.principal + self.interest
        if self.penalty_through is None:
            return max(self.penalty, penalty_interest(base, self.due_date, as_of, rule))
        since = max(self.penalty_through, self.due_date)
        return self.penalty + penalty_increment(base, self.due_date, since, as_of, rule)


@dataclass(frozen=True, slots=True)
class Position:
    """Instalments due after `as_of` are still to come; those due on or before it are either
    paid or in arrears (the ledger says which)."""

    as_of: date
    period_start: date  # last due date on or before as_of, or the start date
    remaining: tuple[Instalment, ...]
    number_offset: int  # instalments already due

    @property
    def outstanding_principal(self) -> Decimal:
        return sum((i.principal for i in self.remaining), ZERO)

    @property
    def next(self) -> Instalment | None:
        return self.remaining[0] if self.remaining else None

    def accrued_fraction(
        self, part: Decimal, to: date | None = None, share: tuple[Decimal, Decimal] | None = None
    ) -> Decimal:
        """`part` (x share[0] / share[1]) prorated by the days of the current period elapsed at
        `to` (default as_of): exact, rounded once."""
        nxt = self.next
        if nxt is None:
            return ZERO
        days = (nxt.due_date - self.period_start).days
        elapsed = ((to or self.as_of) - self.period_start).days
        num, den = (1, 1) if share is None else (to_fen(share[0]), to_fen(share[1]))
        return from_fen(div_half_up(to_fen(round_fen(part)) * num * elapsed, den * days))


def position(schedule: Schedule, as_of: date) -> Position:
    if as_of < schedule.terms.start_date:
        raise DomainError(
            "as_of_invalid", "日期不能早于起租日", "date is before the start date",
            fields={"as_of": "as_of_invalid"},
        )  # fmt: skip
    due = [i for i in schedule.instalments if i.due_date <= as_of]
    start = due[-1].due_date if due else schedule.terms.start_date
    return Position(as_of, start, schedule.instalments[len(due) :], len(due))


def remainder_terms(
    schedule: Schedule,
    pos: Position,
    *,
    principal: Decimal,
    term_months: int,
    annual_rate_percent: Decimal | None = None,
    carried_forward: Decimal = ZERO,
) -> LeaseTerms:
    """Terms re-amortising `principal` from the current period's start on the contract's due
    dates: rents in arrears (an in-advance lease's later rents are arrears of their periods),
    no new fees or deposit (the deposit stays held under the original contract); arrears
    `carried_forward` are due with the first new instalment."""
    t = schedule.terms
    nxt = pos.next
    return replace(
        t,
        principal=principal,
        term_months=term_months,
        annual_rate_percent=t.annual_rate_percent if annual_rate_percent is None
        else annual_rate_percent,
        start_date=pos.period_start if nxt else pos.as_of,
        first_due_date=nxt.due_date if nxt else None,
        due_day=t.due_day or (t.first_due_date or t.start_date).day,
        timing=Timing.ARREARS,
        fees=(),
        deposit=ZERO,
        balloon=t.balloon if t.method is Method.BALLOON else ZERO,
        balloon_timing=BalloonTiming.TERM_END,
        carried_forward=carried_forward,
    )  # fmt: skip
