"""Tables of contracts 电子合同: the contract with its documents, the template versions it is
rendered from, the funders' machine keys, and the yearly number sequences.

The unsigned PDF is kept beside the sealed one: the sealed file is the original the lessee
confirmed (its SHA-256 is in the signing intent and on the audit chain) plus the seal.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, TimestampMixin, UTCDateTime, utcnow


class Contract(IdMixin, TimestampMixin, Base):
    __tablename__ = "contracts"
    number: Mapped[str] = mapped_column(String(20), unique=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), unique=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[str] = mapped_column(String(24), index=True)  # common.contracts.ContractStatus
    template_id: Mapped[str] = mapped_column(String(40))
    template_version: Mapped[int] = mapped_column(Integer)
    # common.contract_document.ContractDocument as builtins: what the PDF shows, frozen.
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    signed_pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    signed_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Who signed, when, from which device, that the code was verified, what they confirmed.
    sign_intent: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    funder_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"))
    funded_fen: Mapped[int | None] = mapped_column(BigInteger)
    value_date: Mapped[date | None] = mapped_column(Date)
    funding_reference: Mapped[str | None] = mapped_column(String(64))
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Servicing: the schedule revision in force (contract_instalments), the delinquency bucket
    # (common.servicing.Bucket) and days past due as of the last daily sweep.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    bucket: Mapped[str] = mapped_column(String(2), default="M0", index=True)
    days_past_due: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own protocol


class ContractTemplateVersion(IdMixin, Base):
    """One version of a contract template 合同模板 (common.contract_templates.ContractTemplate as
    builtins), frozen once written; the highest number of a template is the one in use."""

    __tablename__ = "contract_template_versions"
    template_id: Mapped[str] = mapped_column(String(40))
    number: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[str | None] = mapped_column(String(32))  # None: the shipped default
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    __table_args__ = (UniqueConstraint("template_id", "number"),)


class FunderKey(IdMixin, Base):
    """A funder's machine credential: only a keyed hash of the API key is kept."""

    __tablename__ = "funder_keys"
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NumberSequence(Base):
    """The last number handed out in a named sequence (e.g. contracts of 2026)."""

    __tablename__ = "number_sequences"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)
