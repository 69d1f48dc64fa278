"""The rule-change history 规则变更记录: who, when, what (before, after, changes), why."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import RuleSetChange, RuleSetVersion, User
from common.api.risk import FieldChange, RuleChangeView

MAX_CHANGES = 200  # per entry; a wholesale replacement is summarised by its first paths


def diff(before: Any, after: Any, path: str = "$") -> list[FieldChange]:
    """Leaf-level differences between two JSON values. List items are matched by ``id`` or
    ``name`` where they carry one, so inserting a rule does not show every later rule as changed."""
    if isinstance(before, dict) and isinstance(after, dict):
        out: list[FieldChange] = []
        for key in sorted(set(before) | set(after), key=str):
            out += diff(before.get(key), after.get(key), f"{path}.{key}")
        return out
    if isinstance(before, list) and isinstance(after, list):
        key = _key_of(before) if _key_of(before) == _key_of(after) else None
        if key is not None:
            b = {item[key]: item for item in before}
            a = {item[key]: item for item in after}
            out = []
            for k in [*b, *(k for k in a if k not in b)]:
                out += diff(b.get(k), a.get(k), f"{path}[{key}={k}]")
            return out
        if len(before) == len(after):
            out = []
            for i, (x, y) in enumerate(zip(before, after, strict=True)):
                out += diff(x, y, f"{path}[{i}]")
            return out
    return [] if before == after else [FieldChange(path, before, after)]


def _key_of(items: list[Any]) -> str | None:
    """The field that names list items (rules, rows and bins by ``id``, parameters by ``name``)."""
    for key in ("id", "name"):
        if items and all(isinstance(i, dict) and isinstance(i.get(key), str) for i in items):
            return key
    return None


async def history(
    db: AsyncSession, ruleset_id: str | None = None, limit: int = 100, family: str = "vehicle"
) -> list[RuleChangeView]:
    """The changes of one product family's rule sets (or of one version, whatever its
    family), newest first."""
    query = (
        select(RuleSetChange, User.display_name)
        .join(RuleSetVersion, RuleSetVersion.id == RuleSetChange.ruleset_id)
        .outerjoin(User, User.id == RuleSetChange.actor_id)
        .order_by(RuleSetChange.audit_seq.desc())
        .limit(limit)
    )
    if ruleset_id:
        query = query.where(RuleSetChange.ruleset_id == ruleset_id)
    else:
        query = query.where(RuleSetVersion.family == family)
    out = []
    for change, name in (await db.execute(query)).all():
        changes = diff(change.before, change.after) if change.action == "edited" else []
        out.append(
            RuleChangeView(
                id=change.id,
                at=change.at,
                actor_id=change.actor_id,
                actor_name=name,
                action=change.action,
                ruleset_id=change.ruleset_id,
                version=change.number,
                reason=change.reason,
                before=change.before,
                after=change.after,
                changes=changes[:MAX_CHANGES],
                audit_seq=change.audit_seq,
            )
        )
    return out
