"""The risk officer's side of extensions 展期审核: the review queue with what a reviewer needs
(contract number, the lessee's masked name, the facts the rules judged, their reasons, current
vs proposed terms), and simulation 规则模拟 of a candidate extension rule set.

Simulation mirrors the approval engine's (`backend.risk.simulation`): the stored facts of the
most recent requests (`ExtensionRequest.decision["facts"]`, as they were when filed) are decided
again under the rules in force and under the candidate, and the requests whose outcome differs
are listed. Nothing is written. The candidate is checked exactly as publishing checks it
(`eligibility.parse`: 422 ruleset_invalid with the places at fault).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Contract, Customer, ExtensionRequest
from backend.servicing import eligibility, extensions
from common.api.servicing import (
    ChangedExtensionView,
    ExtensionFactView,
    ExtensionFieldView,
    ExtensionSimulationView,
    ReasonView,
)
from common.rules.decision import Decision
from common.rules.model import RuleSet

OUTCOMES = ("approved", "referred", "declined")
_RATE_PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class Case:
    """A stored request as a reviewer or a simulation sees it."""

    request: ExtensionRequest
    contract_number: str
    lessee_name: str | None  # masked


def field_views() -> list[ExtensionFieldView]:
    """The fields extension rules may read, with their names (for the app's rule editor)."""
    return [
        ExtensionFieldView(
            path=path, kind=kind, choices=list(choices),
            label_zh=eligibility.FIELD_LABELS[path][0], label_en=eligibility.FIELD_LABELS[path][1],
        )
        for path, (kind, choices) in eligibility.EXTENSION_FIELDS.items()
    ]  # fmt: skip


def fact_views(stored: dict[str, Any]) -> list[ExtensionFactView]:
    """The stored facts of a request, in the order of `EXTENSION_FIELDS`, named."""
    facts = stored.get("facts") or {}
    out = []
    for path in eligibility.EXTENSION_FIELDS:
        name = path.split(".", 1)[1]
        if name in facts:
            zh, en = eligibility.FIELD_LABELS[path]
            out.append(ExtensionFactView(field=path, label_zh=zh, label_en=en, value=facts[name]))
    return out


async def cases(db: AsyncSession, status: str | None, limit: int, newest_first: bool) -> list[Case]:
    """Requests with their contract number and the lessee's masked name, in one query."""
    order = (
        (ExtensionRequest.created_at.desc(), ExtensionRequest.id.desc())
        if newest_first
        else (ExtensionRequest.created_at, ExtensionRequest.id)
    )
    query = (
        select(ExtensionRequest, Contract.number, Customer.name_masked)
        .join(Contract, Contract.id == ExtensionRequest.contract_id)
        .join(Customer, Customer.id == Contract.customer_id)
        .order_by(*order)
        .limit(limit)
    )
    if status:
        query = query.where(ExtensionRequest.status == status)
    rows = await db.execute(query)
    return [Case(ext, number, name) for ext, number, name in rows.all()]


def _reasons(d: Decision) -> list[ReasonView]:
    return [ReasonView(code=r.code, kind=r.kind, text=r.zh, rule=r.source) for r in d.reasons]


def _rate(count: int, total: int) -> str:
    if total == 0:
        return str(Decimal(0).quantize(_RATE_PLACES))
    return str((Decimal(count) / Decimal(total)).quantize(_RATE_PLACES, ROUND_HALF_EVEN))


def replay(
    current: RuleSet,
    candidate: RuleSet,
    replayed: Sequence[tuple[Case, eligibility.ExtensionFacts]],
) -> tuple[dict[str, int], dict[str, int], list[ChangedExtensionView]]:
    """Decide every case under both rule sets: outcome counts before and after, and the cases
    whose outcome differs (in the order given)."""
    before, after = dict.fromkeys(OUTCOMES, 0), dict.fromkeys(OUTCOMES, 0)
    changed: list[ChangedExtensionView] = []
    for case, facts in replayed:
        a, b = eligibility.evaluate(current, facts), eligibility.evaluate(candidate, facts)
        before[a.outcome] += 1
        after[b.outcome] += 1
        if a.outcome != b.outcome:
            ext = case.request
            changed.append(ChangedExtensionView(
                extension_id=ext.id, contract_id=ext.contract_id,
                contract_number=case.contract_number, lessee_name=case.lessee_name,
                months_to_add=ext.months_to_add, status=ext.status, created_at=ext.created_at,
                before=a.outcome, after=b.outcome,
                reasons_before=_reasons(a), reasons_after=_reasons(b),
            ))  # fmt: skip
    return before, after, changed


async def simulate(db: AsyncSession, body: dict[str, Any], last_n: int) -> ExtensionSimulationView:
    """Replay the last `last_n` requests' stored facts under the rules in force and `body`."""
    candidate = eligibility.parse(body)
    current, _ = await extensions.ruleset(db)
    draft = msgspec.structs.replace(candidate, version=current.version + 1)
    replayed: list[tuple[Case, eligibility.ExtensionFacts]] = []
    skipped = 0
    for case in await cases(db, None, last_n, newest_first=True):
        try:
            facts = msgspec.convert(case.request.decision["facts"], eligibility.ExtensionFacts)
        except (KeyError, TypeError, msgspec.ValidationError):
            skipped += 1  # stored before the facts had this shape: not comparable
            continue
        replayed.append((case, facts))
    before, after, changed = replay(current, draft, replayed)
    total = len(replayed)
    return ExtensionSimulationView(
        active_version=current.version, draft_version=draft.version, total=total,
        skipped=skipped, changed_count=len(changed),
        approval_rate_before=_rate(before["approved"], total),
        approval_rate_after=_rate(after["approved"], total),
        outcomes_before=before, outcomes_after=after, changed=changed,
    )  # fmt: skip


def reviewer_note(ext: ExtensionRequest) -> str:
    return str(ext.decision.get("reviewer_note") or "")
