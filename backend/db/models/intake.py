"""Tables of intake: customers and their versions (PII encrypted), applications, photos."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.db.base import Base, IdMixin, TimestampMixin, UTCDateTime, utcnow
from backend.db.models.products import ProductVersion
from common.api import limits


class Customer(IdMixin, TimestampMixin, Base):
    """A lessee, one per shop and ID number. Name, ID number and mobile are AES-GCM encrypted;
    *_hash finds duplicates. The details (kind, name, mobile, region) are those of the newest
    `CustomerVersion`; an application reads its own version, never these."""

    __tablename__ = "customers"
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    name_enc: Mapped[str] = mapped_column(String(limits.NAME_SEALED))
    name_masked: Mapped[str] = mapped_column(String(limits.CUSTOMER_NAME))
    id_enc: Mapped[str] = mapped_column(String(limits.ID_SEALED))
    id_hash: Mapped[str] = mapped_column(String(64), index=True)
    id_masked: Mapped[str] = mapped_column(String(limits.ID_NUMBER))
    mobile_enc: Mapped[str] = mapped_column(String(limits.MOBILE_SEALED))
    mobile_hash: Mapped[str] = mapped_column(String(64), index=True)
    mobile_masked: Mapped[str] = mapped_column(String(limits.MOBILE))
    region_code: Mapped[str | None] = mapped_column(String(limits.REGION_CODE))
    representative_name_enc: Mapped[str | None] = mapped_column(String(limits.NAME_SEALED))
    representative_name_masked: Mapped[str | None] = mapped_column(String(limits.CUSTOMER_NAME))
    representative_id_enc: Mapped[str | None] = mapped_column(String(limits.ID_SEALED))
    representative_id_masked: Mapped[str | None] = mapped_column(String(limits.ID_NUMBER))
    __table_args__ = (UniqueConstraint("organisation_id", "id_hash"),)


class CustomerVersion(IdMixin, Base):
    """The details of a customer as filed at one time 客户信息版本. An application keeps the version
    it was filed and decided with; filing the customer again with other details adds a version.
    Rows are never updated."""

    __tablename__ = "customer_versions"
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    name_enc: Mapped[str] = mapped_column(String(limits.NAME_SEALED))
    name_masked: Mapped[str] = mapped_column(String(limits.CUSTOMER_NAME))
    mobile_enc: Mapped[str] = mapped_column(String(limits.MOBILE_SEALED))
    mobile_hash: Mapped[str] = mapped_column(String(64), index=True)
    mobile_masked: Mapped[str] = mapped_column(String(limits.MOBILE))
    region_code: Mapped[str | None] = mapped_column(String(limits.REGION_CODE))
    # A company's authorised person 授权代表 (None for a person), encrypted like the rest.
    representative_name_enc: Mapped[str | None] = mapped_column(String(limits.NAME_SEALED))
    representative_name_masked: Mapped[str | None] = mapped_column(String(limits.CUSTOMER_NAME))
    representative_id_enc: Mapped[str | None] = mapped_column(String(limits.ID_SEALED))
    representative_id_masked: Mapped[str | None] = mapped_column(String(limits.ID_NUMBER))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[str | None] = mapped_column(String(32))  # None: migrated (0004)
    __table_args__ = (UniqueConstraint("customer_id", "version"),)


class Application(IdMixin, TimestampMixin, Base):
    __tablename__ = "applications"
    # A shop's applications by submission time: the decision counts a shop's day with it.
    __table_args__ = (Index("ix_applications_shop_submitted", "organisation_id", "submitted_at"),)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    created_by_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    lease_type: Mapped[str] = mapped_column(String(20), default="direct_lease")
    vin: Mapped[str | None] = mapped_column(String(limits.VIN), index=True)
    vin_valid: Mapped[bool] = mapped_column(Boolean, default=False)
    maker: Mapped[str | None] = mapped_column(String(limits.MAKER))
    model_year: Mapped[int | None] = mapped_column(Integer)
    catalogue_model_id: Mapped[str | None] = mapped_column(String(limits.CATALOGUE_ID))
    mileage_km: Mapped[int] = mapped_column(Integer, default=0)
    price_fen: Mapped[int | None] = mapped_column(BigInteger)
    is_new: Mapped[bool] = mapped_column(Boolean, default=True)
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"), index=True)
    # The customer's details this application shows and is decided on: set with the customer.
    customer_version_id: Mapped[str | None] = mapped_column(
        ForeignKey("customer_versions.id"), index=True
    )
    quote_request: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    monthly_payment_fen: Mapped[int | None] = mapped_column(BigInteger)
    quoted_principal_fen: Mapped[int | None] = mapped_column(BigInteger)  # the quote's financed
    annualised_rate: Mapped[str | None] = mapped_column(String(12))
    # The product version the quote was made on, and the clerk's choice within it (with the
    # product's name and the day it was quoted): submit checks the choice against that version.
    product_version_id: Mapped[str | None] = mapped_column(ForeignKey("product_versions.id"))
    product_version: Mapped[ProductVersion | None] = relationship(lazy="raise")
    quote_choice: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The guarantor 保证人 if any: common.api.intake.GuarantorInput as encrypted JSON, and the
    # masked copy the views show.
    guarantor_enc: Mapped[str | None] = mapped_column(Text)
    guarantor_masked: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # 产品类别 (common.products.ProductFamily), fixed at create; a partner product's asset as
    # filed (common.api.intake.AssetInput as builtins), and the USCC of the debtor or shipper
    # who pays it, normalised (how many of our applications name them).
    product_family: Mapped[str] = mapped_column(String(20), default="vehicle")
    asset: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    asset_party_uscc: Mapped[str | None] = mapped_column(String(limits.USCC), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Nothing loads lazily: each query says what it loads (backend/intake/applications.py).
    customer: Mapped[Customer | None] = relationship(lazy="raise")
    customer_version: Mapped[CustomerVersion | None] = relationship(lazy="raise")
    photos: Mapped[list[Photo]] = relationship(
        lazy="raise", order_by="Photo.created_at", cascade="all, delete-orphan"
    )
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own protocol


class Photo(IdMixin, Base):
    __tablename__ = "photos"
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    storage_name: Mapped[str] = mapped_column(String(80), unique=True)
    thumb_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
