"""Extension (展期): re-amortise the outstanding principal over a longer term."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from common.errors import DomainError
from common.lease_terms import MAX_TERM_MONTHS
from common.money import ZERO
from common.schedule import Method, Schedule, build_schedule
from common.servicing.delinquency import PenaltyRule
from common.servicing.position import Arrears, position, remainder_terms


class OverdueTreatment(StrEnum):
    CAPITALISE = "capitalise"  # 逾期款项计入展期本金
    CARRY_FORWARD = "carry_forward"  # 逾期款项单独挂账，随展期后首期收取


@dataclass(frozen=True, slots=True)
class Extension:
    as_of: date
    schedule: Schedule  # the new remaining instalments, numbered from 1
    number_offset: int
    capitalised: Decimal  # overdue amounts added to the principal
    carried_forward: Decimal  # overdue amounts due with the first new instalment (its amount
    # due includes them, and the new IRR counts them as owed from the start)
    previous_annualised_rate_percent: Decimal
    annualised_rate_percent: Decimal  # of the new schedule (IRR x 12)


def extend(
    schedule: Schedule,
    as_of: date,
    extra_months: int,
    *,
    new_annual_rate_percent: Decimal | None = None,
    arrears: Sequence[Arrears] = (),
    overdue: OverdueTreatment = OverdueTreatment.CAPITALISE,
    penalty_rule: PenaltyRule | None = None,
    refinance_balloon: bool = False,
) -> Extension:
    """The contract from `as_of`, its remaining principal spread over the remaining instalments
    plus `extra_months`, optionally at a new rate, with arrears capitalised or carried forward.
    With `refinance_balloon` (续租 at the end of term) the balloon is no longer left to the end:
    it is amortised with the rest, in level rents."""
    pos = position(schedule, as_of)
    term = len(pos.remaining) + extra_months
    if not (extra_months >= 1 and term <= MAX_TERM_MONTHS):
        raise DomainError(
            "extension_invalid", f"展期须至少1个月，且剩余期限不超过{MAX_TERM_MONTHS}个月",
            f"an extension adds at least one month and leaves at most {MAX_TERM_MONTHS}",
            fields={"extra_months": "extension_invalid"},
        )  # fmt: skip
    owed = sum(
        (a.principal + a.interest + a.fees + a.penalty_to(as_of, penalty_rule) for a in arrears),
        ZERO,
    )
    capitalised = owed if overdue is OverdueTreatment.CAPITALISE else ZERO
    carried = owed - capitalised
    principal = pos.outstanding_principal + capitalised
    if principal <= (ZERO if refinance_balloon else schedule.terms.balloon):
        raise DomainError(
            "extension_invalid", "没有可展期的剩余本金", "there is no principal left to extend",
            fields={"extra_months": "extension_invalid"},
        )  # fmt: skip
    terms = remainder_terms(
        schedule,
        pos,
        principal=principal,
        term_months=term,
        annual_rate_percent=new_annual_rate_percent,
        carried_forward=carried,
    )
    if refinance_balloon and terms.method is Method.BALLOON:
        terms = replace(terms, method=Method.ANNUITY, balloon=ZERO)
    new = build_schedule(terms)
    return Extension(
        as_of=as_of,
        schedule=new,
        number_offset=pos.number_offset,
        capitalised=capitalised,
        carried_forward=carried,
        previous_annualised_rate_percent=schedule.annualised_rate_percent,
        annualised_rate_percent=new.annualised_rate_percent,
    )
