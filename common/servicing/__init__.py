"""The pure parts of servicing (租后): allocation, penalty interest, delinquency, payoff,
prepayment and extension. Every function takes `as_of`; none reads the clock."""

from common.servicing.allocation import (
    DEFAULT_ORDER,
    Allocation,
    AllocationLine,
    Component,
    Dues,
    allocate,
)
from common.servicing.delinquency import (
    Bucket,
    PenaltyRule,
    bucket_for,
    days_past_due,
    delinquency_bucket,
    penalty_interest,
)
from common.servicing.extension import Extension, OverdueTreatment, extend
from common.servicing.payoff import (
    FixedFee,
    InterestTo,
    MonthsOfInterest,
    PayoffPolicy,
    PayoffQuote,
    PercentOfPrincipal,
    PrepaymentPenalty,
    QuoteLine,
    payoff_quote,
    prepayment_penalty,
)
from common.servicing.position import Arrears, Position, position, remainder_terms
from common.servicing.prepayment import Prepayment, PrepaymentMode, partial_prepayment

__all__ = [
    "DEFAULT_ORDER",
    "Allocation",
    "AllocationLine",
    "Arrears",
    "Bucket",
    "Component",
    "Dues",
    "Extension",
    "FixedFee",
    "InterestTo",
    "MonthsOfInterest",
    "OverdueTreatment",
    "PayoffPolicy",
    "PayoffQuote",
    "PenaltyRule",
    "PercentOfPrincipal",
    "Position",
    "Prepayment",
    "PrepaymentMode",
    "PrepaymentPenalty",
    "QuoteLine",
    "allocate",
    "bucket_for",
    "days_past_due",
    "delinquency_bucket",
    "extend",
    "partial_prepayment",
    "payoff_quote",
    "penalty_interest",
    "position",
    "prepayment_penalty",
    "remainder_terms",
]
