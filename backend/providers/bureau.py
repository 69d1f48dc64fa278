"""Credit bureau 征信: the applicant's report, or None when there is no file (白户)."""

from __future__ import annotations

from typing import Protocol

from backend.providers.base import SandboxBehaviour
from common.provider_answers import BureauReport


class CreditBureau(Protocol):
    async def report(self, id_number: str, name: str) -> BureauReport | None:
        """Raises ProviderUnavailable when the bureau does not answer."""
        ...


class SandboxBureau:
    def __init__(self, behaviour: SandboxBehaviour) -> None:
        self.behaviour = behaviour

    async def report(self, id_number: str, name: str) -> BureauReport | None:
        persona, dice = await self.behaviour.call_about("bureau", id_number)
        if persona is not None:
            if persona.bureau_score is None:
                return None
            return BureauReport(
                persona.bureau_score,
                persona.open_loans,
                persona.overdue_count_24m,
                persona.max_overdue_days_24m,
                persona.inquiries_6m,
            )
        if dice.chance(0, 0.08):  # about one in twelve has no file
            return None
        overdue = dice.chance(2, 0.12)
        return BureauReport(
            score=520 + int(280 * dice.unit(1) ** 0.6),
            open_loans=dice.between(3, 0, 6),
            overdue_count_24m=dice.between(4, 1, 5) if overdue else 0,
            max_overdue_days_24m=dice.between(5, 15, 150) if overdue else 0,
            inquiries_6m=int(9 * dice.unit(6) ** 2),
        )
