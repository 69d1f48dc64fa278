"""Tables of co-lending 联合贷款 (`common.colending`): the versions of each funder's agreement,
the agreement frozen on a contract when it is funded, each repayment's allocation to the funder
(one per repayment), and the remittances that pay the funder what it is owed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, UTCDateTime
from common.ledger import REFERENCE_LENGTH

BANK_REFERENCE_LENGTH = 64
REASON_LENGTH = 200


class FunderAgreement(IdMixin, Base):
    """One version of a funder's agreement: its share and yield (percent x 10,000)."""

    __tablename__ = "funder_agreements"
    funder_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    version: Mapped[int] = mapped_column(Integer)
    share_e4: Mapped[int] = mapped_column(Integer)
    yield_e4: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[str | None] = mapped_column(String(32))  # None: seeded
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    __table_args__ = (UniqueConstraint("funder_id", "version"),)


class ContractFunding(Base):
    """A contract funded under an agreement: the agreement's figures as they were that day."""

    __tablename__ = "contract_fundings"
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), primary_key=True)
    funder_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    agreement_version: Mapped[int] = mapped_column(Integer)
    share_e4: Mapped[int] = mapped_column(Integer)
    yield_e4: Mapped[int] = mapped_column(Integer)
    financed_fen: Mapped[int] = mapped_column(BigInteger)  # the contract's
    funded_fen: Mapped[int] = mapped_column(BigInteger)  # the funder's part of it
    funded_on: Mapped[date] = mapped_column(Date)  # the value date: the first period's start
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class FunderAllocation(IdMixin, Base):
    """A repayment's part for the funder, exactly once per repayment (its ledger reference)."""

    __tablename__ = "funder_allocations"
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"))
    reference: Mapped[str] = mapped_column(String(REFERENCE_LENGTH))
    funder_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    paid_fen: Mapped[int] = mapped_column(BigInteger)  # the whole repayment
    principal_repaid_fen: Mapped[int] = mapped_column(BigInteger)  # of the contract, by it
    principal_fen: Mapped[int] = mapped_column(BigInteger)  # the funder's
    yield_fen: Mapped[int] = mapped_column(BigInteger)  # the funder's
    paid_on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    __table_args__ = (UniqueConstraint("contract_id", "reference"),)


class FunderRemittance(IdMixin, Base):
    """A payment to a funder of everything the lessor owed it then (one ledger entry per
    contract, referenced by this row's id)."""

    __tablename__ = "funder_remittances"
    funder_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    contracts: Mapped[int] = mapped_column(Integer)
    bank_reference: Mapped[str | None] = mapped_column(String(BANK_REFERENCE_LENGTH))
    created_by_id: Mapped[str | None] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
