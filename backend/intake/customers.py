"""Customers: PII encrypted at rest, found by keyed hash within the shop, shown only masked."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.base import new_id
from backend.db.models import Customer
from backend.db.upsert import upsert_ignore
from backend.security.pii import PiiCipher
from common.api.intake import CustomerInput, CustomerKind, CustomerView
from common.errors import DomainError
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
    if data.region_code is not None and not (
        len(data.region_code) == 6 and data.region_code.isdigit()
    ):
        errors["customer.region_code"] = "地区代码应为6位数字"
    if errors:
        raise DomainError(
            "customer_invalid", "客户信息格式不正确", "Customer data is malformed", fields=errors
        )


async def upsert(
    db: AsyncSession, pii: PiiCipher, organisation_id: str, data: CustomerInput
) -> Customer:
    _check_shape(data)
    id_number, mobile, name = (
        _normalise_id(data.id_number),
        normalise_mobile(data.mobile),
        data.name.strip(),
    )
    id_hash = pii.lookup_hash(id_number, context="customer.id_number")
    fields = {
        "kind": data.kind.value,
        "id_enc": pii.encrypt(id_number, context="customer.id_number"),
        "id_masked": mask_id(id_number),
        "name_enc": pii.encrypt(name, context="customer.name"),
        "name_masked": mask_name(name),
        "mobile_enc": pii.encrypt(mobile, context="customer.mobile"),
        "mobile_hash": pii.lookup_hash(mobile, context="customer.mobile"),
        "mobile_masked": mask_mobile(mobile),
        "region_code": data.region_code,
    }
    # Two clerks may file the same customer at once: the row is created once, both update it.
    now = datetime.now(UTC)
    await db.execute(
        upsert_ignore(
            db, Customer, ["organisation_id", "id_hash"], id=new_id(),
            organisation_id=organisation_id, id_hash=id_hash, created_at=now, updated_at=now,
            **fields,
        )
    )  # fmt: skip
    customer = await db.scalar(
        select(Customer)
        .where(Customer.organisation_id == organisation_id, Customer.id_hash == id_hash)
        .execution_options(populate_existing=True)
    )
    assert customer is not None
    for key, value in fields.items():
        setattr(customer, key, value)
    await db.flush()
    return customer


def view(c: Customer) -> CustomerView:
    return CustomerView(
        id=c.id,
        kind=CustomerKind(c.kind),
        name=c.name_masked,
        id_number=c.id_masked,
        mobile=c.mobile_masked,
        region_code=c.region_code,
    )


def reveal(pii: PiiCipher, c: Customer) -> tuple[str, str, str]:
    """(name, id number, mobile) in clear, for validation and decisions; never for a response."""
    return (
        pii.decrypt(c.name_enc, context="customer.name"),
        pii.decrypt(c.id_enc, context="customer.id_number"),
        pii.decrypt(c.mobile_enc, context="customer.mobile"),
    )
