"""Tables of lease products 金融产品: a product and its immutable versions.

A version's body is the `ProductDefinition` as builtins and never changes; the product row names
the version quotes use (``active_number``) and whether the product is retired. Its lock version
makes two concurrent edits of one product conflict instead of both winning.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.db.base import Base, IdMixin, TimestampMixin, UTCDateTime, utcnow
from common.api import limits


class Product(TimestampMixin, Base):
    __tablename__ = "products"
    id: Mapped[str] = mapped_column(String(limits.PRODUCT_ID), primary_key=True)
    active_number: Mapped[int] = mapped_column(Integer)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": lock_version}  # noqa: RUF012 - SQLAlchemy's protocol


class ProductVersion(IdMixin, Base):
    """One version of a product 产品版本, frozen once written."""

    __tablename__ = "product_versions"
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)  # common.api.products.ProductDefinition
    reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[str | None] = mapped_column(String(32))  # None: seeded
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    product: Mapped[Product] = relationship(lazy="raise")
    __table_args__ = (UniqueConstraint("product_id", "number"),)
