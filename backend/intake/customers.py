"""Customers: PII encrypted at rest, found by keyed hash within the shop, shown only masked;
their details versioned, so an application keeps what it was filed and decided with."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.audit.chain import canonical
from backend.auth.principal import Principal
from backend.db.base import new_id
from backend.db.models import Customer, CustomerVersion
from backend.db.upsert import upsert_ignore
from backend.security.pii import PiiCipher
from common.api.intake import CustomerInput, CustomerKind, CustomerView
from common.errors import Conflict, DomainError
from common.identity import mask_id, mask_mobile, mask_name, normalise_mobile


def _normalise_id(raw: str) -> str:
    return "".join(raw.split()).upper()


def _check_shape(data: CustomerInput) -> None:
    """Only the shape is refused here; checksum problems are listed as missing items, so a
    clerk can save a half-typed draft and see what to fix."""
    errors = {}
    if not 1 <= len(data.name.strip()) <= 100:
        errors["customer.name"] = "姓名或企业名称应为1-100个字符"
    if len(data.id_number) > 40:
        errors["customer.id_number"] = "证件号码过长"
    if len(data.mobile) > 20:
        errors["customer.mobile"] = "手机号码过长"
    if len(data.representative_id_number or "") > 40:
        errors["customer.representative_id_number"] = "证件号码过长"
    if data.region_code is not None and not (
        len(data.region_code) == 6 and data.region_code.isdigit()
    ):
        errors["customer.region_code"] = "地区代码应为6位数字"
    if errors:
        raise DomainError(
            "customer_invalid", "客户信息格式不正确", "Customer data is malformed", fields=errors
        )


CUSTOMER_CHANGED = Conflict(
    "customer_changed_concurrently",
    "客户信息正在别处修改，请稍后重试",
    "The customer's details are being changed elsewhere; retry",
)


@dataclass(frozen=True, slots=True)
class Details:
    """What a version holds, in clear: compared to tell whether a filing changes anything."""

    kind: str
    name: str
    mobile: str
    region_code: str | None
    representative_name: str | None = None  # a company's authorised person
    representative_id: str | None = None


def _details(pii: PiiCipher, v: CustomerVersion) -> Details:
    rep_name, rep_id = representative(pii, v)
    return Details(
        v.kind,
        pii.decrypt(v.name_enc, context="customer.name"),
        pii.decrypt(v.mobile_enc, context="customer.mobile"),
        v.region_code,
        rep_name,
        rep_id,
    )


def representative(pii: PiiCipher, v: CustomerVersion) -> tuple[str | None, str | None]:
    """A company's authorised person as filed with this version: (name, resident ID) in clear,
    for validation and the contract; never for a response."""
    name = v.representative_name_enc and pii.decrypt(
        v.representative_name_enc, context="customer.representative_name"
    )
    id_number = v.representative_id_enc and pii.decrypt(
        v.representative_id_enc, context="customer.representative_id"
    )
    return name or None, id_number or None  # fmt: skip


def _sealed(pii: PiiCipher, d: Details) -> dict[str, Any]:
    return {
        "kind": d.kind,
        "name_enc": pii.encrypt(d.name, context="customer.name"),
        "name_masked": mask_name(d.name),
        "mobile_enc": pii.encrypt(d.mobile, context="customer.mobile"),
        "mobile_hash": pii.lookup_hash(d.mobile, context="customer.mobile"),
        "mobile_masked": mask_mobile(d.mobile),
        "region_code": d.region_code,
        "representative_name_enc": d.representative_name
        and pii.encrypt(d.representative_name, context="customer.representative_name"),
        "representative_name_masked": d.representative_name and mask_name(d.representative_name),
        "representative_id_enc": d.representative_id
        and pii.encrypt(d.representative_id, context="customer.representative_id"),
        "representative_id_masked": d.representative_id and mask_id(d.representative_id),
    }


def _audited(pii: PiiCipher, version: int, d: Details) -> dict[str, Any]:
    """A version as the audit log sees it: a keyed digest of the details (not reversible
    without the lookup key, unlike a plain hash of a mobile number), never the details."""
    keyed = pii.lookup_hash(canonical(dataclasses.astuple(d)), context="customer.details")
    return {"version": version, "details": keyed}


async def file(
    db: AsyncSession,
    pii: PiiCipher,
    actor: Principal,
    organisation_id: str,
    data: CustomerInput,
    current: CustomerVersion | None = None,
) -> tuple[Customer, CustomerVersion]:
    """The customer with this ID number in the shop (created on first filing) and the version of
    their details that `data` states: the newest one when nothing changed, else a new version
    (audited as ``customer.version_created``, with before/after digests and the names of the
    changed fields only).

    Versions are immutable, so an application that points at one keeps showing, and being
    decided on, what was filed with it. A draft keeps the version it was last saved with; it
    does not follow versions other drafts add, so what a clerk sees on a draft is what gets
    submitted. `current` is the draft's version: saving the draft with those same details
    again (the app sends the customer with every save) keeps it, even when another draft has
    added a newer version since.
    """
    _check_shape(data)
    id_number = _normalise_id(data.id_number)
    company = data.kind is CustomerKind.COMPANY
    wanted = Details(
        data.kind.value, data.name.strip(), normalise_mobile(data.mobile), data.region_code,
        ((data.representative_name or "").strip() or None) if company else None,
        (_normalise_id(data.representative_id_number or "") or None) if company else None,
    )  # fmt: skip
    id_hash = pii.lookup_hash(id_number, context="customer.id_number")
    # Two clerks may file the same customer at once: the row is created once, both use it.
    now = datetime.now(UTC)
    await db.execute(
        upsert_ignore(
            db, Customer, ["organisation_id", "id_hash"], id=new_id(),
            organisation_id=organisation_id, id_hash=id_hash, created_at=now, updated_at=now,
            id_enc=pii.encrypt(id_number, context="customer.id_number"),
            id_masked=mask_id(id_number), **_sealed(pii, wanted),
        )
    )  # fmt: skip
    customer = await db.scalar(
        select(Customer)
        .where(Customer.organisation_id == organisation_id, Customer.id_hash == id_hash)
        .execution_options(populate_existing=True)
    )
    assert customer is not None
    if (
        current is not None
        and current.customer_id == customer.id
        and _details(pii, current) == wanted
    ):
        return customer, current
    versions = select(CustomerVersion).where(CustomerVersion.customer_id == customer.id)
    for _ in range(10):  # concurrent filings with other details may take the next numbers first
        latest = await db.scalar(
            versions.order_by(CustomerVersion.version.desc())
            .limit(1)
            .execution_options(populate_existing=True)
        )
        if latest is not None and _details(pii, latest) == wanted:
            return customer, latest
        number = latest.version + 1 if latest is not None else 1
        mine = new_id()
        await db.execute(
            upsert_ignore(
                db, CustomerVersion, ["customer_id", "version"], id=mine, customer_id=customer.id,
                version=number, created_at=now, created_by_id=actor.user_id,
                **_sealed(pii, wanted),
            )
        )  # fmt: skip
        won = await db.scalar(
            versions.where(CustomerVersion.version == number).execution_options(
                populate_existing=True
            )
        )
        assert won is not None
        if won.id == mine:
            await _record_version(db, pii, actor, customer, latest, won, wanted)
            return customer, won
        if _details(pii, won) == wanted:  # a concurrent filing of the same details
            return customer, won
    raise CUSTOMER_CHANGED


async def _record_version(
    db: AsyncSession,
    pii: PiiCipher,
    actor: Principal,
    customer: Customer,
    previous: CustomerVersion | None,
    created: CustomerVersion,
    details: Details,
) -> None:
    """The customer row shows the newest details; the new version goes to the audit chain (the
    customer's writes come first: the chain's tip stays locked to commit)."""
    before = _details(pii, previous) if previous is not None else None
    for key, value in _sealed(pii, details).items():
        setattr(customer, key, value)
    customer.updated_at = created.created_at
    await db.flush()
    changed = sorted(
        f.name
        for f in dataclasses.fields(Details)
        if before is None or getattr(before, f.name) != getattr(details, f.name)
    )
    await audit.record(
        db,
        actor=actor,
        action="customer.version_created",
        entity_type="customer",
        entity_id=customer.id,
        before=None
        if previous is None or before is None
        else _audited(pii, previous.version, before),
        after=_audited(pii, created.version, details),
        detail={"version": created.version, "version_id": created.id, "changed": changed},
        at=created.created_at,
    )


def view(c: Customer, v: CustomerVersion) -> CustomerView:
    return CustomerView(
        id=c.id,
        kind=CustomerKind(v.kind),
        name=v.name_masked,
        id_number=c.id_masked,
        mobile=v.mobile_masked,
        region_code=v.region_code,
        representative=v.representative_name_masked,
        representative_id_number=v.representative_id_masked,
    )


def reveal(pii: PiiCipher, c: Customer, v: CustomerVersion) -> tuple[str, str, str]:
    """(name, id number, mobile) of one version in clear, for validation and decisions; never
    for a response."""
    return (
        pii.decrypt(v.name_enc, context="customer.name"),
        pii.decrypt(c.id_enc, context="customer.id_number"),
        pii.decrypt(v.mobile_enc, context="customer.mobile"),
    )
