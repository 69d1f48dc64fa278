"""The repayment history source 还款记录 (fast lane F11) for applicants NOT on our books.

A customer with a contract with us is answered by our own books: `backend.risk.facts` reads
their instalments (on time, late, overdue now) in the decision's snapshot query and that record
replaces this source's answer (`common.decision_facts.OwnRecords.books`). For everyone else the
sandbox answers deterministically per ID number (a demo applicant can have a 40-month on-time
streak elsewhere), as a shared-industry history service would.
"""

from __future__ import annotations

from typing import Protocol

from backend.providers.base import SandboxBehaviour
from common.provider_answers import NO_HISTORY, RepaymentRecord


class RepaymentHistorySource(Protocol):
    async def history(self, id_number: str) -> RepaymentRecord: ...


class SandboxHistory:
    def __init__(self, behaviour: SandboxBehaviour) -> None:
        self.behaviour = behaviour

    async def history(self, id_number: str) -> RepaymentRecord:
        persona, dice = await self.behaviour.call_about("history", id_number)
        if persona is not None:
            return RepaymentRecord(
                persona.contracts,
                persona.on_time_streak,
                persona.current_overdue_days,
                persona.overdue_count_ever,
            )
        if not dice.chance(0, 0.15):  # most applicants are new to us
            return NO_HISTORY
        slipped = dice.chance(2, 0.2)
        return RepaymentRecord(
            contracts_count=dice.between(1, 1, 3),
            on_time_streak=dice.between(3, 1, 60),
            current_overdue_days=dice.between(4, 1, 60) if dice.chance(5, 0.05) else 0,
            overdue_count_ever=dice.between(6, 1, 3) if slipped else 0,
        )
