"""Lease products 金融产品: create, new versions, activate an earlier one, retire; read for quotes.

Versions are immutable; a product names the version quotes use. Every change is written with
its audit event in the caller's transaction (the request commits both or neither): the version
bodies are the full history, the audit chain holds their digests.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import msgspec
from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.base import new_id
from backend.db.models import Product as ProductRow
from backend.db.models import ProductVersion
from common.api import limits
from common.api.products import (
    ProductDefinition,
    ProductView,
    product_of,
    terms_offered,
)
from common.errors import Conflict, NotFound
from common.products import Product

PRODUCT_NOT_FOUND = NotFound("product_not_found", "找不到该金融产品", "Product not found")
VERSION_CONFLICT = Conflict(
    "version_conflict",
    "该产品已被他人修改，请刷新后再试",
    "The product was changed by someone else; reload and retry",
)
RETIRED = Conflict("product_retired", "该产品已下架", "This product is retired")


def definition_of(row: ProductVersion) -> ProductDefinition:
    return msgspec.convert(row.body, ProductDefinition)


# A version is frozen once written (and its id is random): its checked product is built once
# per process, not on every quote and submit.
_CHECKED: dict[str, Product] = {}
_CHECKED_MAX = 2048


def product_from(row: ProductVersion) -> Product:
    """The checked product of a stored version (stored bodies were checked when written)."""
    product = _CHECKED.get(row.id) if row.id is not None else None  # None: not flushed yet
    if product is None:
        product = product_of(definition_of(row), row.product_id, row.number)
        if row.id is not None:
            if len(_CHECKED) >= _CHECKED_MAX:
                _CHECKED.clear()
            _CHECKED[row.id] = product
    return product


def view(product: ProductRow, row: ProductVersion, today: date) -> ProductView:
    return ProductView(
        id=product.id,
        version=row.number,
        active_version=product.active_number,
        retired=product.retired,
        definition=definition_of(row),
        terms=terms_offered(product_from(row), today),
        created_at=row.created_at,
        created_by=row.created_by_id,
        reason=row.reason,
    )


def _active_join() -> Any:
    return and_(
        ProductVersion.product_id == ProductRow.id,
        ProductVersion.number == ProductRow.active_number,
    )


async def active(
    db: AsyncSession, include_retired: bool = False
) -> list[tuple[ProductRow, ProductVersion]]:
    query = select(ProductRow, ProductVersion).join(ProductVersion, _active_join())
    if not include_retired:
        query = query.where(ProductRow.retired.is_(False))
    rows = (await db.execute(query.order_by(ProductRow.created_at, ProductRow.id))).all()
    return [(p, v) for p, v in rows]


async def _product(db: AsyncSession, product_id: str) -> ProductRow:
    row = await db.get(ProductRow, product_id) if len(product_id) <= limits.PRODUCT_ID else None
    if row is None:
        raise PRODUCT_NOT_FOUND
    return row


async def version_row(db: AsyncSession, product_id: str, number: int) -> ProductVersion:
    row = await db.scalar(
        select(ProductVersion).where(
            ProductVersion.product_id == product_id, ProductVersion.number == number
        )
    )
    if row is None:
        raise PRODUCT_NOT_FOUND
    return row


async def detail(
    db: AsyncSession, product_id: str, number: int | None, today: date, *, managers: bool
) -> ProductView:
    """A product's active version (or version ``number``); others than the lessor's managers
    see only products on sale, and only their active version."""
    product = await _product(db, product_id)
    if not managers and (product.retired or number not in (None, product.active_number)):
        raise PRODUCT_NOT_FOUND
    return view(product, await version_row(db, product_id, number or product.active_number), today)


async def versions(db: AsyncSession, product_id: str, today: date) -> list[ProductView]:
    product = await _product(db, product_id)
    rows = await db.scalars(
        select(ProductVersion)
        .where(ProductVersion.product_id == product_id)
        .order_by(ProductVersion.number.desc())
    )
    return [view(product, r, today) for r in rows]


async def for_quote(db: AsyncSession, product_id: str) -> tuple[ProductVersion, Product]:
    """The version a new quote uses: the active one of a product on sale."""
    product = await _product(db, product_id)
    if product.retired:
        raise RETIRED
    row = await version_row(db, product_id, product.active_number)
    return row, product_from(row)


def on_sale(row: ProductVersion | None) -> Product:
    """The version a draft was quoted on (loaded with its product), while the product is on
    sale: a newer version does not change a quote the customer was given, retiring the product
    withdraws it."""
    if row is None:
        raise PRODUCT_NOT_FOUND
    if row.product.retired:
        raise RETIRED
    return product_from(row)


async def _record(
    db: AsyncSession,
    actor: Principal | None,
    action: str,
    product: ProductRow,
    before: Any,
    after: Any,
    reason: str,
    now: datetime,
) -> None:
    await audit.record(
        db,
        actor=actor,
        action=f"product.{action}",
        entity_type="product",
        entity_id=product.id,
        before=before,
        after=after,
        detail={"version": product.active_number, "retired": product.retired, "reason": reason},
        at=now,
    )


def _body(definition: ProductDefinition) -> dict[str, Any]:
    body: dict[str, Any] = msgspec.to_builtins(definition)
    return body


async def create(
    db: AsyncSession,
    actor: Principal | None,
    definition: ProductDefinition,
    reason: str,
    today: date,
    product_id: str | None = None,
) -> ProductView:
    """A new product, its version 1 active at once (``product_id`` is given only by the seed)."""
    now = datetime.now(UTC)
    product = ProductRow(id=product_id or new_id(), active_number=1, retired=False)
    row = ProductVersion(
        product_id=product.id,
        number=1,
        body=_body(definition),
        reason=reason,
        created_by_id=actor.user_id if actor else None,
    )
    db.add(product)
    await db.flush()
    db.add(row)
    await db.flush()
    await _record(db, actor, "created", product, None, row.body, reason, now)
    return view(product, row, today)


async def add_version(
    db: AsyncSession,
    actor: Principal,
    product_id: str,
    definition: ProductDefinition,
    based_on: int,
    reason: str,
    today: date,
) -> ProductView:
    """A new version, active at once; refused (409) unless it follows the newest version."""
    now = datetime.now(UTC)
    product = await _product(db, product_id)
    newest = await db.scalar(
        select(ProductVersion)
        .where(ProductVersion.product_id == product_id)
        .order_by(ProductVersion.number.desc())
        .limit(1)
    )
    if newest is None or newest.number != based_on:
        raise VERSION_CONFLICT
    row = ProductVersion(
        product_id=product_id,
        number=based_on + 1,
        body=_body(definition),
        reason=reason,
        created_by_id=actor.user_id,
    )
    db.add(row)
    before = newest.body
    product.active_number, product.retired, product.updated_at = row.number, False, now
    try:
        await db.flush()  # the unique (product, number) and the product's lock version
    except (IntegrityError, StaleDataError) as exc:
        raise VERSION_CONFLICT from exc
    await _record(db, actor, "versioned", product, before, row.body, reason, now)
    return view(product, row, today)


async def activate(
    db: AsyncSession, actor: Principal, product_id: str, number: int, reason: str, today: date
) -> ProductView:
    """Put version ``number`` back on sale (a rollback, or a retired product back on sale)."""
    now = datetime.now(UTC)
    product = await _product(db, product_id)
    row = await version_row(db, product_id, number)
    before = {"active_version": product.active_number, "retired": product.retired}
    product.active_number, product.retired, product.updated_at = number, False, now
    try:
        await db.flush()
    except StaleDataError as exc:
        raise VERSION_CONFLICT from exc
    after = {"active_version": number, "retired": False}
    await _record(db, actor, "activated", product, before, after, reason, now)
    return view(product, row, today)


async def retire(
    db: AsyncSession, actor: Principal, product_id: str, reason: str, today: date
) -> ProductView:
    """Take a product off sale 下架: no new quotes; drafts quoted on it cannot be submitted."""
    now = datetime.now(UTC)
    product = await _product(db, product_id)
    if product.retired:
        raise RETIRED
    product.retired, product.updated_at = True, now
    try:
        await db.flush()
    except StaleDataError as exc:
        raise VERSION_CONFLICT from exc
    before, after = {"retired": False}, {"retired": True}
    await _record(db, actor, "retired", product, before, after, reason, now)
    return view(product, await version_row(db, product_id, product.active_number), today)
