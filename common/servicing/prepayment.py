"""Partial prepayment (部分提前还款): lower the rent, or keep the rent and shorten the term."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum

from common.errors import DomainError
from common.money import div_half_up, round_fen, to_fen
from common.schedule import LeaseTerms, Method, Schedule, build_schedule
from common.servicing.payoff import PrepaymentPenalty, prepayment_penalty
from common.servicing.position import Position, position, remainder_terms


class PrepaymentMode(StrEnum):
    REDUCE_PAYMENT = "reduce_payment"  # 期限不变，月供减少
    SHORTEN_TERM = "shorten_term"  # 月供不变，期限缩短 (a balloon lease: the balloon stays at
    # the term end, the rents end earlier and only its interest is due after them)


@dataclass(frozen=True, slots=True)
class Prepayment:
    as_of: date
    principal_prepaid: Decimal
    accrued_interest: Decimal  # interest on the prepaid principal from the period start
    penalty: Decimal  # 违约金
    amount_due: Decimal  # paid now: principal + accrued interest + penalty
    schedule: Schedule  # the remaining instalments, numbered from 1
    number_offset: int  # add to the new numbers to continue the contract's numbering
    previous_rent: Decimal
    previous_term_remaining: int


def _invalid(zh: str, en: str) -> DomainError:
    return DomainError("prepayment_invalid", zh, en, fields={"amount": "prepayment_invalid"})


def _term_for_rent(principal: Decimal, terms: LeaseTerms, rent: Decimal, most: int) -> int:
    """Rents of `rent` needed to repay `principal` at the contract rate, the last one smaller;
    at most `most` (the remaining term). Always terminates: the loop is bounded by `most`, and a
    rent that does not cover the month's interest keeps the remaining term."""
    num, den = terms.monthly_rate
    balance, rent_fen = to_fen(principal), to_fen(rent)
    for n in range(1, most):
        interest = div_half_up(balance * num, den)
        if balance + interest <= rent_fen:
            return n
        if rent_fen <= interest:
            return most
        balance -= rent_fen - interest
    return most


def _shortened(schedule: Schedule, pos: Position, principal: Decimal) -> tuple[int, Decimal | None]:
    t = schedule.terms
    most = len(pos.remaining)
    if t.method is Method.BALLOON:
        # The balloon stays at the term end: keep the term and the rent; once the amortising
        # part is repaid, the remaining rents are the interest on the balloon.
        return most, schedule.rent
    if t.method is Method.ANNUITY:
        term = _term_for_rent(principal, t, schedule.rent, most)
        # A rent that cannot shorten the term (it barely covers the interest) is not kept: the
        # remaining term is re-amortised, which lowers the rent instead.
        return term, (schedule.rent if term < most else None)
    if t.method is Method.EQUAL_PRINCIPAL:
        part = schedule.instalments[0].principal
        term = int((principal / part).to_integral_value(rounding=ROUND_CEILING))
        return min(term, most), part
    raise _invalid(
        "先息后本与平息合同只能选择期限不变、月供减少",
        "interest-only and flat leases can only lower the rent",
    )


def partial_prepayment(
    schedule: Schedule,
    as_of: date,
    amount: Decimal,
    mode: PrepaymentMode = PrepaymentMode.REDUCE_PAYMENT,
    penalty: PrepaymentPenalty | None = None,
) -> Prepayment:
    """Prepay `amount` of principal on `as_of` (instalments due by then are assumed settled)."""
    pos = position(schedule, as_of)
    outstanding = pos.outstanding_principal
    floor = schedule.terms.balloon
    if not (amount.is_finite() and amount > 0 and amount == round_fen(amount)):
        raise _invalid("提前还款金额须为正数，最多两位小数", "amount must be positive, in fen")
    if amount >= outstanding - floor:
        raise _invalid(
            "提前还款金额须小于剩余本金（扣除尾款）；全部结清请使用提前结清",
            "amount must be below the outstanding principal less any balloon; use a payoff",
        )
    remaining = outstanding - amount
    nxt = pos.next
    assert nxt is not None  # outstanding > 0 means an instalment is still to come
    if mode is PrepaymentMode.SHORTEN_TERM:
        term, level = _shortened(schedule, pos, remaining)
    else:
        term, level = len(pos.remaining), None
    new = build_schedule(
        remainder_terms(schedule, pos, principal=remaining, term_months=term), level=level
    )
    accrued = pos.accrued_fraction(nxt.interest, share=(amount, outstanding))
    fee = prepayment_penalty(penalty, amount, schedule, as_of)
    return Prepayment(
        as_of=as_of,
        principal_prepaid=amount,
        accrued_interest=accrued,
        penalty=fee,
        amount_due=amount + accrued + fee,
        schedule=new,
        number_offset=pos.number_offset,
        previous_rent=schedule.rent,
        previous_term_remaining=len(pos.remaining),
    )
