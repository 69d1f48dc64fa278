"""Rule-set versions 规则集版本管理: drafts, edits, publish, rollback, the change history.

A rule set that does not compile is refused when it is saved (``ruleset_invalid`` with the path
of every problem), so a published version always compiles. Published versions are frozen; the
active one is named by a single row. Every change is written twice in one transaction: in full to
``risk_ruleset_changes`` (who, when, before, after, why) and as digests to the audit chain.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import ActiveRuleSet, RuleSetChange, RuleSetVersion
from backend.risk.cache import ACTIVE_ROW, VEHICLE, active_id
from backend.risk.family_rulesets import FAMILY_DEFAULTS
from common.api.risk import RuleSetDetail, RuleSetStatus, RuleSetSummary
from common.errors import Conflict, DomainError, NotFound
from common.products import ProductFamily
from common.rules import RuleSet, compile_ruleset, default_ruleset, load_ruleset

RULESET_NOT_FOUND = NotFound("ruleset_not_found", "找不到该规则集版本", "Rule set not found")
VERSION_CONFLICT = Conflict(
    "version_conflict",
    "规则集已被他人修改，请刷新后再试",
    "The draft was changed by someone else; reload and retry",
)
FAMILY_DIFFERS = DomainError(
    "ruleset_family_differs",
    "复制的规则集属于另一产品类别",
    "The rule set copied belongs to another product family",
    fields={"family": "ruleset_family_differs"},
)
PUBLISHED = Conflict(
    "ruleset_published", "已发布的版本不能修改", "A published version cannot be changed"
)


def checked(data: dict[str, Any], number: int) -> RuleSet:
    """Decode and compile (raising ``ruleset_invalid``); the stored version is the row's."""
    ruleset = load_ruleset(msgspec.json.encode(data))
    ruleset = msgspec.structs.replace(ruleset, version=number)
    compile_ruleset(ruleset)
    return ruleset


def body_of(ruleset: RuleSet) -> dict[str, Any]:
    body: dict[str, Any] = msgspec.to_builtins(ruleset)
    return body


def summary(row: RuleSetVersion, active: str | None) -> RuleSetSummary:
    return RuleSetSummary(
        id=row.id,
        family=ProductFamily(row.family),
        version=row.number,
        name=row.name,
        status=RuleSetStatus(row.status),
        active=row.id == active,
        lock_version=row.lock_version,
        based_on=row.based_on_id,
        created_by=row.created_by_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        published_at=row.published_at,
        published_by=row.published_by_id,
        publish_reason=row.publish_reason,
    )


async def load_version(db: AsyncSession, ruleset_id: str) -> RuleSetVersion:
    row = await db.get(RuleSetVersion, ruleset_id) if len(ruleset_id) <= 32 else None
    if row is None:
        raise RULESET_NOT_FOUND
    return row


async def _record(
    db: AsyncSession,
    actor: Principal | None,
    action: str,
    row: RuleSetVersion,
    before: Any,
    after: Any,
    reason: str | None,
    now: datetime,
) -> None:
    """Every rule change (the seeded first version too, by no one) is on the audit chain."""
    seq = await audit.record_now(
        db,
        actor=actor,
        action=f"ruleset.{action}",
        entity_type="ruleset",
        entity_id=row.id,
        before=before,
        after=after,
        detail={"version": row.number, "reason": reason},
        at=now,
    )
    db.add(
        RuleSetChange(
            at=now,
            actor_id=actor.user_id if actor else None,
            action=action,
            ruleset_id=row.id,
            number=row.number,
            reason=reason,
            before=before,
            after=after,
            audit_seq=seq,
        )
    )


async def _next_number(db: AsyncSession, family: str) -> int:
    """Versions count per family: each family's seeded set is its v1."""
    top = select(func.max(RuleSetVersion.number)).where(RuleSetVersion.family == family)
    return int(await db.scalar(top) or 0) + 1


async def _insert_draft(
    db: AsyncSession,
    actor: Principal | None,
    body: dict[str, Any],
    based_on: str | None,
    family: str = VEHICLE,
) -> RuleSetVersion:
    number = await _next_number(db, family)
    ruleset = checked(body, number)
    row = RuleSetVersion(
        number=number,
        family=family,
        name=ruleset.name[:200],
        status="draft",
        body=body_of(ruleset),
        based_on_id=based_on,
        created_by_id=actor.user_id if actor else None,
    )
    db.add(row)
    try:
        await db.flush()
    except IntegrityError as exc:  # another officer took the same number a moment ago
        raise VERSION_CONFLICT from exc
    return row


def _default_of(family: str) -> RuleSet:
    make = FAMILY_DEFAULTS.get(ProductFamily(family))
    return make() if make is not None else default_ruleset()


async def ensure_default(db: AsyncSession, family: str = VEHICLE) -> None:
    """Seed ``family``'s default rule set, published, when the family has no active version
    (the vehicle family's pointer is row 1, as before families)."""
    if await active_id(db, family) is not None:
        return
    now = datetime.now(UTC)
    row = await _insert_draft(db, None, body_of(_default_of(family)), None, family)
    row.status, row.published_at = "published", now
    row.publish_reason = "初始默认规则集 seeded default rule set"
    pointer_id = ACTIVE_ROW if family == VEHICLE else None  # the others: the next free id
    if pointer_id is None:
        pointer_id = int(await db.scalar(select(func.max(ActiveRuleSet.id))) or ACTIVE_ROW) + 1
    db.add(ActiveRuleSet(id=pointer_id, family=family, ruleset_id=row.id, changed_at=now))
    await db.flush()
    await _record(
        db,
        None,
        "published",
        row,
        None,
        {"active_version": row.number, "family": family},
        row.publish_reason,
        now,
    )


async def list_versions(db: AsyncSession, family: str = VEHICLE) -> list[RuleSetSummary]:
    """``family``'s versions, newest first."""
    active = await active_id(db, family)
    rows = await db.scalars(
        select(RuleSetVersion)
        .where(RuleSetVersion.family == family)
        .order_by(RuleSetVersion.number.desc())
    )
    return [summary(r, active) for r in rows]


async def detail(db: AsyncSession, ruleset_id: str) -> RuleSetDetail:
    row = await load_version(db, ruleset_id)
    return RuleSetDetail(summary=summary(row, await active_id(db, row.family)), ruleset=row.body)


async def create_draft(
    db: AsyncSession,
    actor: Principal,
    from_id: str | None,
    body: dict[str, Any] | None,
    family: str | None = None,
) -> RuleSetDetail:
    """A draft of ``family`` (default: the base's, else vehicle): a copy of ``from_id`` or of the
    family's active set, or ``body``. A copy keeps its base's family (422 for another)."""
    now = datetime.now(UTC)
    base = await load_version(db, from_id) if from_id else None
    if base is not None and family is not None and base.family != family:
        raise FAMILY_DIFFERS
    family = base.family if base is not None else family or VEHICLE
    base_id = base.id if base is not None else await active_id(db, family)
    if body is None:
        if base_id is None:
            raise RULESET_NOT_FOUND
        body = (await load_version(db, base_id)).body
    row = await _insert_draft(db, actor, body, base_id, family)
    await _record(db, actor, "created", row, None, row.body, None, now)
    return await detail(db, row.id)  # the request commits


async def edit_draft(
    db: AsyncSession, actor: Principal, ruleset_id: str, lock_version: int, body: dict[str, Any]
) -> RuleSetDetail:
    row = await load_version(db, ruleset_id)
    if row.status != "draft":
        raise PUBLISHED
    if row.lock_version != lock_version:
        raise VERSION_CONFLICT
    ruleset = checked(body, row.number)  # refused here, never at decision time
    before = row.body
    row.body, row.name = body_of(ruleset), ruleset.name[:200]
    row.updated_at = datetime.now(UTC)
    try:
        await db.flush()  # UPDATE ... WHERE lock_version = the one we read
    except StaleDataError as exc:
        raise VERSION_CONFLICT from exc
    await _record(db, actor, "edited", row, before, row.body, None, row.updated_at)
    return await detail(db, row.id)  # the request commits


async def _locked_active(db: AsyncSession, family: str) -> ActiveRuleSet:
    pointer = await db.scalar(
        select(ActiveRuleSet).where(ActiveRuleSet.family == family).with_for_update()
    )
    if pointer is None:  # the family's first rule set: its seeded default comes first
        await ensure_default(db, family)
        pointer = await db.scalar(select(ActiveRuleSet).where(ActiveRuleSet.family == family))
    if pointer is None:
        raise RULESET_NOT_FOUND
    return pointer


async def _activate(
    db: AsyncSession, actor: Principal, row: RuleSetVersion, action: str, reason: str
) -> RuleSetDetail:
    now = datetime.now(UTC)
    pointer = await _locked_active(db, row.family)  # publishing activates it for its family
    old = await db.get(RuleSetVersion, pointer.ruleset_id)
    pointer.ruleset_id, pointer.changed_at = row.id, now
    await db.flush()
    before = {"active_version": old.number if old else None}
    await _record(db, actor, action, row, before, {"active_version": row.number}, reason, now)
    return await detail(db, row.id)  # the request commits


async def publish(
    db: AsyncSession, actor: Principal, ruleset_id: str, reason: str
) -> RuleSetDetail:
    row = await load_version(db, ruleset_id)
    if row.status != "draft":
        raise PUBLISHED
    checked(row.body, row.number)
    row.status, row.published_at = "published", datetime.now(UTC)
    row.published_by_id, row.publish_reason = actor.user_id, reason
    try:
        await db.flush()
    except StaleDataError as exc:
        raise VERSION_CONFLICT from exc
    return await _activate(db, actor, row, "published", reason)


async def rollback(
    db: AsyncSession, actor: Principal, ruleset_id: str, reason: str
) -> RuleSetDetail:
    """Make an earlier published version active again 回滚."""
    row = await load_version(db, ruleset_id)
    if row.status != "published":
        raise Conflict(
            "ruleset_not_published",
            "只能回滚到已发布的版本",
            "Only a published version can be made active again",
        )
    if row.id == await active_id(db, row.family):
        raise Conflict(
            "ruleset_already_active", "该版本已是当前生效版本", "This version is already active"
        )
    return await _activate(db, actor, row, "rolled_back", reason)
