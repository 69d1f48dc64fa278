"""Repayment schedules (还款计划), fen-exact, for every method the Chinese leasing market uses.

Methods: 等额本息 annuity, 等额本金 equal principal, 先息后本 interest-only, 弹性尾款 balloon
(an annuity that leaves `balloon` to be paid at the end) and 平息 flat (a fixed monthly fee rate
on the original principal). Rents are paid in arrears (后付, default) or in advance (先付: the
first rent at signing, interest accrued over the month before each later rent).

Conventions, stated once:
- Regular periods accrue interest at annual / 12 per month; a broken first period (破期, from
  `start_date` to an irregular first due date) accrues annual / `days_in_year` per actual day.
  The broken period changes only that instalment's interest: the principal path is the regular
  one, so every later rent stays level.
- Amounts are integer fen (`common.amortisation`); interest is computed exactly and rounded once
  by `common.money.div_half_up`. Rounding residues: see `common.amortisation`.
- Balloon (尾款) in advance: by default it is paid at the END of the term, its own line dated
  the term end, one period after the last rent (Excel PMT(r, n, -P, B, 1); Chinese lease
  calculators). `BalloonTiming.WITH_LAST_RENT` pays it with the last rent instead. In arrears,
  the balloon is part of the last instalment, on the term end.
- The deposit (保证金) refunded at the end is refunded on the term end date.
- The annualised rate: `common.irr` (time axis in whole periods, root selection).

Invariants (tested with hypothesis): principal parts sum exactly to `principal`; balances never go
negative and end at zero; no row repays negative principal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple

from common.amortisation import Rows, annuity_rows, interest_only_rows, level_part_rows
from common.daycount import add_months, month_length, regular_due_dates
from common.errors import DomainError
from common.irr import period_irr, sign_changes
from common.lease_terms import BalloonTiming, DepositTreatment, Fee, LeaseTerms, Method, Timing
from common.money import ZERO, div_half_up, from_fen, to_fen

__all__ = [
    "BalloonTiming",
    "CashFlow",
    "DepositTreatment",
    "Fee",
    "Instalment",
    "InstalmentKind",
    "LeaseTerms",
    "Method",
    "Schedule",
    "Timing",
    "build_schedule",
]


_FEN = Decimal("0.01")


class InstalmentKind(StrEnum):
    RENT = "rent"  # 租金
    BALLOON = "balloon"  # 尾款 at the term end (先付), its own line


class Instalment(NamedTuple):
    """One line of the schedule (a rent 租金, or the balloon at the term end), immutable.

    `payment` = principal + interest; `amount_due` adds fees due with it and arrears carried
    forward, and subtracts any deposit offset (保证金抵扣). `balance` is the principal
    outstanding after it."""

    number: int
    due_date: date
    principal: Decimal
    interest: Decimal
    payment: Decimal
    balance: Decimal
    fees: Decimal = ZERO
    deposit_offset: Decimal = ZERO
    amount_due: Decimal = ZERO
    carried_forward: Decimal = ZERO
    kind: InstalmentKind = InstalmentKind.RENT


class CashFlow(NamedTuple):
    """A dated flow from the lessee's side: positive received, negative paid."""

    on: date
    amount: Decimal


@dataclass(frozen=True)
class _Calendar:
    first_regular: date  # the first due date after signing
    anchor: int  # day of month of the due dates
    broken_index: int | None  # the instalment whose period is broken, if any
    broken_days: int
    stub: float  # length of the first period after signing on the IRR axis (1 = regular)


def _calendar(terms: LeaseTerms) -> _Calendar:
    anchor = terms.due_day or (terms.first_due_date or terms.start_date).day
    start = terms.start_date
    a_month_on = add_months(start, 1, anchor)
    first_regular = terms.first_due_date or a_month_on
    # Regular when the start sits on the due day (clamped) and the first due is a month later;
    # so a remainder schedule starting on Feb 28 of a 31st-day contract is regular to Mar 31.
    on_due_day = start.day == min(anchor, month_length(start.year, start.month))
    broken = not (on_due_day and first_regular == a_month_on)
    days = (first_regular - start).days
    advance = terms.timing is Timing.ADVANCE
    index = (1 if advance else 0) if broken else None
    stub = days * 12 / terms.days_in_year if broken else 1.0
    return _Calendar(first_regular, anchor, index, days, stub)


@dataclass(frozen=True)
class Schedule:
    """A schedule. Amounts are kept in fen; `instalments` and `cash_flows` are built on first
    use (the IRR needs neither: it runs on the fen flows)."""

    terms: LeaseTerms
    rent: Decimal  # the level (typical) monthly rent; equal principal: the first regular one
    total_interest: Decimal
    total_payment: Decimal  # sum of rents and balloon (principal + interest), fees excluded
    total_fees: Decimal
    upfront_fees: Decimal  # fees at signing (month 0)
    deposit_refund: Decimal  # paid back at the end (refund_at_end), or what offsets left over
    tracked: bool  # rents follow the exact balance (see common.amortisation), not one level rent
    _rows: Rows = field(repr=False)
    _fees: list[int] = field(repr=False)  # per line, fees due with it
    _offsets: list[int] = field(repr=False)
    _calendar: _Calendar = field(repr=False)
    _opening: int = field(repr=False)  # net flow at signing, fen
    _refund: int = field(repr=False)  # deposit refunded at the term end, fen

    @cached_property
    def _later(self) -> list[int]:
        """Net flows after signing, fen, one per period from the stub on: the amounts due,
        the last with the deposit refund (in advance, a period after the last rent)."""
        rows, fees, offsets = self._rows, self._fees, self._offsets
        later = [-(p + i) for p, i in zip(rows.principal, rows.interest, strict=True)]
        if self.terms.fees or any(offsets):
            for k, (fee, off) in enumerate(zip(fees, offsets, strict=True)):
                later[k] -= fee - off
        later[0] -= _fen(self.terms.carried_forward)
        if self.terms.timing is Timing.ADVANCE:
            later = later[1:]
            if self._refund and len(later) < self.terms.term_months:
                later.append(0)  # the term end
        if self._refund:
            later[-1] += self._refund
        return later

    @property
    def balloon_line(self) -> bool:
        t = self.terms
        return (
            t.method is Method.BALLOON
            and t.timing is Timing.ADVANCE
            and t.balloon_timing is BalloonTiming.TERM_END
        )

    @cached_property
    def due_dates(self) -> list[date]:
        t, cal = self.terms, self._calendar
        advance = t.timing is Timing.ADVANCE
        count = len(self._rows.principal) - (1 if advance else 0)
        dates = regular_due_dates(cal.first_regular, count, cal.anchor)
        return [t.start_date, *dates] if advance else dates

    @cached_property
    def term_end(self) -> date:
        """The end of the term: the last due date in arrears, a period after the last rent in
        advance. The balloon line (先付) and the deposit refund fall on it."""
        t, cal = self.terms, self._calendar
        if t.timing is Timing.ARREARS:
            return self.due_dates[-1]
        return add_months(cal.first_regular, t.term_months - 1, cal.anchor)

    @cached_property
    def instalments(self) -> tuple[Instalment, ...]:
        rows, carried = self._rows, _fen(self.terms.carried_forward)
        balance = _fen(self.terms.principal)
        last = len(rows.principal) - 1
        balloon_line = self.balloon_line
        out = []
        fen = _FEN
        payments: dict[int, Decimal] = {}  # a level rent is converted once
        new = tuple.__new__
        for k, on in enumerate(self.due_dates):
            p, i, fee, off = rows.principal[k], rows.interest[k], self._fees[k], self._offsets[k]
            c = carried if k == 0 else 0
            balance -= p
            payment = payments.get(p + i)
            if payment is None:
                payment = payments[p + i] = Decimal(p + i) * fen
            extra = fee + c - off
            out.append(
                new(
                    Instalment,
                    (
                        k + 1, on, Decimal(p) * fen, Decimal(i) * fen, payment,
                        Decimal(balance) * fen,
                        Decimal(fee) * fen if fee else ZERO,
                        Decimal(off) * fen if off else ZERO,
                        Decimal(p + i + extra) * fen if extra else payment,
                        Decimal(c) * fen if c else ZERO,
                        InstalmentKind.BALLOON if balloon_line and k == last
                        else InstalmentKind.RENT,
                    ),
                )
            )  # fmt: skip
        return tuple(out)

    @cached_property
    def cash_flows(self) -> tuple[CashFlow, ...]:
        flows = [CashFlow(self.terms.start_date, from_fen(self._opening))]
        dates = self.due_dates[1:] if self.terms.timing is Timing.ADVANCE else self.due_dates
        dates = dates + [self.term_end] * (len(self._later) - len(dates))
        flows += [CashFlow(on, from_fen(x)) for on, x in zip(dates, self._later, strict=True)]
        return tuple(flows)

    @property
    def stub(self) -> float:
        """Periods from signing to the first later flow on the IRR axis (1 unless broken)."""
        return self._calendar.stub

    @cached_property
    def flow_periods(self) -> tuple[float, ...]:
        """The time of each of `cash_flows` on the IRR axis, in periods (see `common.irr`)."""
        return (0.0, *(self.stub + j for j in range(len(self._later))))

    @property
    def sign_changes(self) -> int:
        """How often the cash flows change sign: 1, or 2 with a deposit refunded at the end (then
        NPV has a second root, below zero, which is never disclosed: see `common.irr`)."""
        return sign_changes(self._opening, self._later)

    @cached_property
    def period_rate(self) -> Decimal:
        """Monthly IRR of `cash_flows` (fees and deposit included); see `common.irr`."""
        return Decimal(repr(period_irr(self._opening, self._later, self.stub)))

    @cached_property
    def annualised_rate_percent(self) -> Decimal:
        """Nominal annualised rate (年化利率, PBOC 2021): period IRR x 12, in percent, 2 dp."""
        return _round_rate(self.period_rate * 1200)

    @cached_property
    def effective_annual_rate_percent(self) -> Decimal:
        """Effective annual rate ((1 + i)^12 - 1), in percent, 2 dp."""
        i = float(self.period_rate)
        return _round_rate(Decimal(repr(((1 + i) ** 12 - 1) * 100)))


def _fen(d: Decimal) -> int:
    # Amounts of validated `LeaseTerms` are whole fen already (to_fen checks arbitrary input).
    return int(d.scaleb(2))


def _round_rate(x: Decimal) -> Decimal:
    # Rates are not money: a separate quantum (0.01 %), the same half-up rule.
    numerator, denominator = x.as_integer_ratio()
    return Decimal(div_half_up(numerator * 100, denominator)).scaleb(-2)


def build_schedule(terms: LeaseTerms, *, level: Decimal | None = None) -> Schedule:
    """The schedule of `terms`.

    `level` fixes the regular rent (annuity, balloon, flat) or principal part (equal principal)
    instead of computing it, for "keep the rent, shorten the term" prepayments. Raises
    `DomainError` when what the lessee pays at signing is not below the principal."""
    n, method = terms.term_months, terms.method
    p = _fen(terms.principal)
    num, den = terms.monthly_rate
    cal = _calendar(terms)
    advance = terms.timing is Timing.ADVANCE
    fixed = None if level is None else to_fen(level)
    if method is Method.FLAT:
        fn, fd = terms.flat_monthly_rate_percent.as_integer_ratio()
        fee = div_half_up(p * fn, fd * 100)
        rows = level_part_rows(p, n, None if fixed is None else fixed - fee, fee)
        rows = rows._replace(rent=rows.rent + fee)
    elif method is Method.INTEREST_ONLY:
        rows = interest_only_rows(p, n, num, den)
    elif method is Method.EQUAL_PRINCIPAL:
        rows = level_part_rows(p, n, fixed, (num, den), signing=advance)
    else:
        at_end = advance and terms.balloon_timing is BalloonTiming.TERM_END and terms.balloon > 0
        rows = annuity_rows(
            p, n, num, den, balloon=_fen(terms.balloon), advance=advance, at_end=at_end,
            level=fixed,
        )  # fmt: skip
    if cal.broken_index is not None and method is not Method.FLAT:
        k = cal.broken_index
        dn, dd = terms.daily_rate(cal.broken_days)
        rows.interest[k] = div_half_up((p - sum(rows.principal[:k])) * dn, dd)
    rent = rows.rent
    if method in (Method.EQUAL_PRINCIPAL, Method.INTEREST_ONLY):
        regular = [k for k in range(n) if k != cal.broken_index and not (k == 0 and advance)]
        k = regular[0] if regular else 0
        rent = rows.principal[k] + rows.interest[k]
    return _assemble(terms, rows, rent, cal)


def _assemble(terms: LeaseTerms, rows: Rows, rent: int, cal: _Calendar) -> Schedule:
    lines = len(rows.principal)
    fees = [0] * (lines + 1)  # index = month, 0 = at signing
    for fee in terms.fees:
        fees[fee.month] += _fen(fee.amount)
    upfront, fees = fees[0], fees[1:]
    offsets = [0] * lines
    refund = _fen(terms.deposit)
    if terms.deposit_treatment is DepositTreatment.OFFSET_LAST_RENTS:
        for k in range(lines - 1, -1, -1):
            if not refund:
                break
            used = min(refund, rows.principal[k] + rows.interest[k])
            offsets[k] = used
            refund -= used
    carried = _fen(terms.carried_forward)
    opening = _fen(terms.principal) - upfront - _fen(terms.deposit) + carried
    if terms.timing is Timing.ADVANCE:  # 先付: the first rent is paid at signing
        opening -= rows.principal[0] + rows.interest[0] + fees[0] + carried - offsets[0]
    if opening <= 0:
        raise DomainError(
            "deposit_invalid", "保证金、签约时的费用与首期租金之和须小于融资额",
            "deposit, fees at signing and the rent paid at signing must be below the principal",
            fields={"deposit": "deposit_invalid", "fees": "deposit_invalid"},
        )  # fmt: skip
    total_interest = sum(rows.interest)
    return Schedule(
        terms=terms,
        rent=from_fen(rent),
        total_interest=from_fen(total_interest),
        total_payment=from_fen(_fen(terms.principal) + total_interest),
        total_fees=from_fen(upfront + sum(fees)),
        upfront_fees=from_fen(upfront),
        deposit_refund=from_fen(refund),
        tracked=rows.tracked,
        _rows=rows,
        _fees=fees,
        _offsets=offsets,
        _calendar=cal,
        _opening=opening,
        _refund=refund,
    )
