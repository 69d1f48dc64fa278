"""What the outside data sources answer 外部数据 — the bureau, the identity and carrier checks,
the applicant's profile, the repayment history — as plain values the decision is built from.
The adapters that ask them live in backend/providers; the decision (common.decision_facts)
needs only these."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class BureauReport:
    score: int
    open_loans: int
    overdue_count_24m: int
    max_overdue_days_24m: int
    inquiries_6m: int


@dataclass(frozen=True)
class FaceMatch:
    score: Decimal  # 0..100 similarity of the live face to the ID photo
    liveness_passed: bool


@dataclass(frozen=True)
class CarrierCheck:
    match: bool
    months_in_service: int


@dataclass(frozen=True)
class ApplicantProfile:
    monthly_income: Decimal  # yuan, verified (bank flow / tax records)
    monthly_debt: Decimal  # existing debt service per month, yuan
    blacklist_hits: int  # internal and industry lists 黑名单
    court_dishonest: bool  # 失信被执行人


@dataclass(frozen=True)
class RepaymentRecord:
    contracts_count: int
    on_time_streak: int  # consecutive instalments paid on time, most recent first
    current_overdue_days: int
    overdue_count_ever: int


NO_HISTORY = RepaymentRecord(0, 0, 0, 0)  # also the stand-in when the source did not answer


@dataclass(frozen=True)
class Answers:
    bureau: BureauReport | None
    face: FaceMatch | None  # None: no face photo to check, or the provider did not answer
    carrier: CarrierCheck
    profile: ApplicantProfile
    history: RepaymentRecord
    pledged: bool


# Neutral stand-ins for a provider that did not answer (the case is referred anyway).
NEUTRAL_CARRIER = CarrierCheck(True, 120)
NEUTRAL_PROFILE = ApplicantProfile(Decimal(1), Decimal(0), 0, False)
