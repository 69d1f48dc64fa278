"""Contracts 电子合同: an approved application becomes a contract; who may see which.

A contract is generated once per application (a second request returns the first), numbered
from a yearly sequence, rendered to PDF from the template in use, and kept encrypted at rest.
The lessee is invited by SMS to sign it in the app.
"""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from backend.audit import service as audit
from backend.auth import lessees
from backend.auth.principal import Principal
from backend.contracts import templates
from backend.contracts.documents import build_document
from backend.contracts.pdf import render_pdf
from backend.db.models import Application, Contract, NumberSequence, Organisation
from backend.db.models.products import ProductVersion
from backend.db.upsert import upsert_ignore
from backend.intake import assets, customers
from backend.intake.catalogue import Catalogue
from backend.providers.sms import SmsSender
from backend.security.pii import PiiCipher
from common.api.auth import OrganisationKind, Role
from common.api.intake import ApplicationStatus
from common.business_day import business_date
from common.contract_document import ContractDocument
from common.contract_templates import FAMILY_TEMPLATE_IDS
from common.contracts import ContractStatus, contract_number
from common.errors import Conflict, NotFound
from common.identity.masking import mask_name

CONTRACT_NOT_FOUND = NotFound("contract_not_found", "合同不存在", "No such contract")
APPLICATION_NOT_FOUND = NotFound("application_not_found", "申请不存在", "No such application")
NOT_APPROVED = Conflict(
    "application_not_approved", "申请尚未审批通过，不能生成合同", "Only an approved application"
    " becomes a contract",
)  # fmt: skip
SEES_ALL = frozenset({Role.ADMIN, Role.RISK_OFFICER, Role.MONITOR})
SHOP = frozenset({Role.STAFF, Role.DEALER_ADMIN})
PDF_CONTEXT = "contract.pdf"
SIGNED_CONTEXT = "contract.signed_pdf"


async def _next(db: AsyncSession, name: str) -> int:
    """The next number of a sequence, under the row's write lock (one writer wins at a time)."""
    await db.execute(upsert_ignore(db, NumberSequence, ["name"], name=name, last=0))
    moved = await db.execute(
        update(NumberSequence)
        .where(NumberSequence.name == name)
        .values(last=NumberSequence.last + 1)
        .returning(NumberSequence.last)
    )
    return int(moved.scalar_one())


async def _approved(db: AsyncSession, actor: Principal, application_id: str) -> Application:
    query = (
        select(Application)
        .where(Application.id == application_id)
        .options(
            joinedload(Application.customer),
            joinedload(Application.customer_version),
            joinedload(Application.product_version).joinedload(ProductVersion.product),
        )
    )
    if actor.role in SHOP:
        query = query.where(Application.organisation_id == actor.organisation_id)
    app = (await db.execute(query)).unique().scalar_one_or_none()
    if app is None:
        raise APPLICATION_NOT_FOUND
    if app.status != ApplicationStatus.APPROVED:
        raise NOT_APPROVED
    return app


async def generate(
    db: AsyncSession,
    pii: PiiCipher,
    catalogue: Catalogue,
    sms: SmsSender,
    actor: Principal | None,
    application_id: str,
    now: datetime,
    *,
    app_url: str,
) -> Contract:
    """The application's contract, generated now unless it already has one; ``actor`` None is
    the generation job."""
    existing = await db.scalar(select(Contract).where(Contract.application_id == application_id))
    if existing is not None:
        if (
            actor is not None
            and actor.role in SHOP
            and existing.organisation_id != (actor.organisation_id)
        ):
            raise APPLICATION_NOT_FOUND
        return existing
    system = Principal("", "system", Role.ADMIN, "", "")
    app = await _approved(db, actor or system, application_id)
    issued_on = business_date(now)
    lessor = await db.scalar(
        select(Organisation).where(Organisation.kind == OrganisationKind.LESSOR.value).limit(1)
    )
    dealer = await db.get(Organisation, app.organisation_id)
    if lessor is None or dealer is None:
        raise RuntimeError("the lessor and the dealer are seeded")
    template = await templates.current(db, FAMILY_TEMPLATE_IDS[assets.family_of(app)])
    number = contract_number(issued_on.year, await _next(db, f"contracts-{issued_on.year}"))
    # The number is taken in a transaction of its own, so no connection (SQLite has one writer)
    # is held while the PDF renders; a generation that fails afterwards leaves a gap.
    await db.commit()
    document, _ = build_document(
        app, pii, catalogue, number=number, issued_on=issued_on, lessor=lessor, dealer=dealer,
        template=(template.id, template.version),
    )  # fmt: skip
    # fpdf2 is pure Python (~0.1-0.3 s): off the event loop, so other requests go on meanwhile.
    pdf = await asyncio.to_thread(render_pdf, document, template)
    digest = hashlib.sha256(pdf).hexdigest()
    contract = Contract(
        number=number,
        application_id=app.id,
        customer_id=app.customer_id,
        organisation_id=app.organisation_id,
        status=ContractStatus.AWAITING_SIGNATURE.value,
        template_id=template.id,
        template_version=template.version,
        document=_display_copy(document),
        principal_fen=document.terms.principal_fen,
        pdf=pii.encrypt_bytes(pdf, context=PDF_CONTEXT),
        pdf_sha256=digest,
        created_at=now,
        updated_at=now,
    )
    db.add(contract)
    await db.flush()
    await audit.record(
        db,
        actor=actor,
        action="contract.generated",
        entity_type="contract",
        entity_id=contract.id,
        after={"status": contract.status, "pdf_sha256": digest},
        detail={"number": number, "application_id": app.id, "template": template.id,
                "template_version": template.version},
        at=now,
    )  # fmt: skip
    assert app.customer is not None
    assert app.customer_version is not None
    mobile = customers.reveal(pii, app.customer, app.customer_version)[2]
    await lessees.invite_lessee(
        db, sms, pii, customer=app.customer, mobile=mobile, now=now, app_url=app_url
    )
    return contract


def _display_copy(document: ContractDocument) -> dict[str, Any]:
    """The document as stored beside the PDF: the names of the people in it (a lessee who is a
    person, a guarantor) masked (the PDF, encrypted, has them in full)."""
    data: dict[str, Any] = msgspec.to_builtins(document)
    for party in data["parties"]:
        if party["role"] in ("lessee", "guarantor") and party["kind"] == "person":
            party["name"] = mask_name(party["name"])
    return data


def visible(principal: Principal) -> Select[Contract]:
    """The contracts ``principal`` may see, as a query."""
    query = select(Contract)
    if principal.role in SHOP:
        return query.where(Contract.organisation_id == principal.organisation_id)
    if principal.role == Role.LESSEE:
        return query.where(Contract.customer_id == principal.customer_id)  # None sees none
    if principal.role in SEES_ALL:
        return query
    return query.where(Contract.id.is_(None))


async def get(db: AsyncSession, principal: Principal, contract_id: str) -> Contract:
    if len(contract_id) > 32:
        raise CONTRACT_NOT_FOUND
    query = visible(principal).where(Contract.id == contract_id)
    contract: Contract | None = await db.scalar(query)
    if contract is None:  # another lessee's or shop's contract answers like a missing one
        raise CONTRACT_NOT_FOUND
    return contract


async def listing(
    db: AsyncSession, principal: Principal, status: str | None, limit: int = 100
) -> list[Contract]:
    query = visible(principal).order_by(Contract.created_at.desc()).limit(limit)
    if status:
        query = query.where(Contract.status == status)
    return list(await db.scalars(query))


async def for_application(
    db: AsyncSession, principal: Principal, application_id: str
) -> Contract | None:
    """The contract of an application ``principal`` may see (another shop's: 404)."""
    query = select(Application.id).where(Application.id == application_id)
    if principal.role in SHOP:
        query = query.where(Application.organisation_id == principal.organisation_id)
    if len(application_id) > 64 or await db.scalar(query) is None:
        raise APPLICATION_NOT_FOUND
    return await db.scalar(select(Contract).where(Contract.application_id == application_id))


def document_pdf(pii: PiiCipher, contract: Contract) -> bytes:
    """The sealed PDF once signed, else the one awaiting signature."""
    if contract.signed_pdf is not None:
        return pii.decrypt_bytes(contract.signed_pdf, context=SIGNED_CONTEXT)
    return pii.decrypt_bytes(contract.pdf, context=PDF_CONTEXT)


async def record_view(
    db: AsyncSession, principal: Principal, contract: Contract, now: datetime
) -> None:
    await audit.record(
        db, actor=principal, action="contract.viewed", entity_type="contract",
        entity_id=contract.id, at=now,
    )  # fmt: skip
