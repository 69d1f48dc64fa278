"""Tables of servicing 租后: what each instalment of a contract's schedule still owes, and how
each payment was allocated over them.

An instalment row is the schedule line of one revision (1: as signed; an extension or a
prepayment adds a revision and the contract points at it) with what has been paid of each
component. The ledger is the books; these rows are the sub-ledger that says which rent a
payment paid. Both change in one transaction, and the ledger's unique reference decides
whether a payment is applied at all, so the two can never disagree.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, UTCDateTime
from common.ledger import REFERENCE_LENGTH


class ContractInstalment(IdMixin, Base):
    __tablename__ = "contract_instalments"
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"))
    revision: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)  # the contract's numbering, across revisions
    kind: Mapped[str] = mapped_column(String(12))  # "rent" | "balloon"
    due_date: Mapped[date] = mapped_column(Date)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    interest_fen: Mapped[int] = mapped_column(BigInteger)
    fees_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    offset_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # 保证金抵扣 on the due date
    offset_applied_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    penalty_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # 罚息 booked so far
    penalty_through: Mapped[date | None] = mapped_column(Date)  # the day it is booked up to
    paid_principal_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_interest_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_fees_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_penalty_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    settled_on: Mapped[date | None] = mapped_column(Date)  # the day nothing was left owing
    __table_args__ = (
        UniqueConstraint("contract_id", "revision", "number"),
        # The daily sweeps look for what is unsettled and due by a date.
        Index("ix_contract_instalments_unsettled_due", "settled_on", "due_date"),
    )


class PaymentAllocation(IdMixin, Base):
    """One component of one instalment paid by one payment (its ledger reference)."""

    __tablename__ = "payment_allocations"
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    reference: Mapped[str] = mapped_column(String(REFERENCE_LENGTH), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    component: Mapped[str] = mapped_column(String(12))  # common.servicing.Component
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
