"""Applicant profile 客户画像: income, existing monthly debt service, blacklists, court records."""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from backend.providers.base import SandboxBehaviour
from common.provider_answers import ApplicantProfile


class ProfileSource(Protocol):
    async def profile(self, id_number: str, name: str) -> ApplicantProfile: ...


class SandboxProfile:
    def __init__(self, behaviour: SandboxBehaviour) -> None:
        self.behaviour = behaviour

    async def profile(self, id_number: str, name: str) -> ApplicantProfile:
        persona, dice = await self.behaviour.call_about("profile", id_number)
        if persona is not None:
            return ApplicantProfile(
                persona.monthly_income,
                persona.monthly_debt,
                persona.blacklist_hits,
                persona.court_dishonest,
            )
        income = Decimal(dice.between(0, 50, 400) * 100)
        debt = (income * Decimal(str(round(dice.unit(1) * 0.35, 2)))).quantize(Decimal(1))
        return ApplicantProfile(
            monthly_income=income,
            monthly_debt=debt,
            blacklist_hits=1 if dice.chance(2, 0.02) else 0,
            court_dishonest=dice.chance(3, 0.01),
        )
