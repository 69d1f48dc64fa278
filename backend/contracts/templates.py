"""Contract templates 合同模板 as data: versions frozen once written, the highest in use.

Each product family has its own template (`FAMILY_TEMPLATE_IDS`); its shipped default
(`SHIPPED_TEMPLATES`) is its version 1, in use until an admin saves version 2. An admin's new
version is checked (it must render: known template fields, the family's sections) before it is
saved, and the change is audited.
"""

from __future__ import annotations

from datetime import datetime

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import ContractTemplateVersion
from common.contract_templates import (
    DEFAULT_TEMPLATE,
    SHIPPED_TEMPLATES,
    ContractTemplate,
    check_template,
)
from common.errors import DomainError

STANDARD = DEFAULT_TEMPLATE.id
_SHIPPED = {t.id: t for t in SHIPPED_TEMPLATES.values()}


async def current(db: AsyncSession, template_id: str = STANDARD) -> ContractTemplate:
    """The template's highest version (its shipped default when none was saved; the vehicle
    leases' for an id that has none)."""
    row = await db.scalar(
        select(ContractTemplateVersion)
        .where(ContractTemplateVersion.template_id == template_id)
        .order_by(ContractTemplateVersion.number.desc())
        .limit(1)
    )
    if row is None:
        return _SHIPPED.get(template_id, DEFAULT_TEMPLATE)
    return msgspec.convert(row.body, ContractTemplate)


async def history(db: AsyncSession, template_id: str = STANDARD) -> list[ContractTemplateVersion]:
    rows = await db.scalars(
        select(ContractTemplateVersion)
        .where(ContractTemplateVersion.template_id == template_id)
        .order_by(ContractTemplateVersion.number.desc())
    )
    return list(rows)


async def save(
    db: AsyncSession, actor: Principal, template: ContractTemplate, reason: str, now: datetime
) -> ContractTemplate:
    """A new version of ``template.id`` (its number is the next one, whatever was sent)."""
    last = await db.scalar(
        select(func.max(ContractTemplateVersion.number)).where(
            ContractTemplateVersion.template_id == template.id
        )
    )
    shipped = _SHIPPED.get(template.id)
    number = (last or (shipped.version if shipped else 0)) + 1
    saved = msgspec.structs.replace(template, version=number)
    problems = check_template(saved)
    if problems:
        raise DomainError(
            "template_invalid",
            "合同模板无法生成合同：" + "；".join(problems),
            "The template does not render: " + "; ".join(problems),
        )
    db.add(
        ContractTemplateVersion(
            template_id=saved.id,
            number=number,
            body=msgspec.to_builtins(saved),
            reason=reason,
            created_by_id=actor.user_id,
            created_at=now,
        )
    )
    await audit.record(
        db,
        actor=actor,
        action="contract_template.saved",
        entity_type="contract_template",
        entity_id=saved.id,
        after={"version": number},
        detail={"reason": reason},
        at=now,
    )
    return saved
