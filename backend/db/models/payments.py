"""Tables of payments 在线还款: our payments and what the provider told us about them, the
sandbox provider's own orders, and the daily reconciliation 对账 with its mismatches.

A refund 退款 of money we could not post is ours too (`PaymentRefund`, beside the sandbox
provider's `SandboxProviderRefund`).

A payment row is ours (the out_trade_no we gave the provider); the provider's transaction id is
written when it is confirmed, under a UNIQUE constraint, in the same transaction as the ledger
posting it causes (backend/payments/notify.py).

A payment is a lessee's, of a contract (rent, a payoff or a prepayment quote), or a dealer's, of
a floor-plan unit (its payoff or a curtailment, backend/floorplan/payments.py): exactly one of
`contract_id` and `floorplan_unit_id` is set.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, UTCDateTime, utcnow


class Payment(IdMixin, Base):
    __tablename__ = "payments"
    contract_id: Mapped[str | None] = mapped_column(ForeignKey("contracts.id"), index=True)
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"), index=True)
    floorplan_unit_id: Mapped[str | None] = mapped_column(
        ForeignKey("floorplan_units.id"), index=True
    )
    # backend.servicing.settlement.Purpose, or backend.floorplan.payments.Purpose
    purpose: Mapped[str] = mapped_column(String(24))
    option: Mapped[str] = mapped_column(String(16))  # next | overdue | custom | quote
    quote_id: Mapped[str | None] = mapped_column(String(32))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    status: Mapped[str] = mapped_column(String(12), index=True)  # common.payments.PaymentStatus
    provider: Mapped[str] = mapped_column(String(32))
    out_trade_no: Mapped[str] = mapped_column(String(32), unique=True)
    provider_txn_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    notified_count: Mapped[int] = mapped_column(Integer, default=0)
    receipt_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    created_by_id: Mapped[str] = mapped_column(String(32))
    __table_args__ = (
        CheckConstraint("(contract_id IS NULL) <> (floorplan_unit_id IS NULL)", name="one_payer"),
    )


class PaymentException(IdMixin, Base):
    """A confirmation we did not post: the amount, currency or merchant differ from our payment,
    or the contract could not take it. One row per (provider transaction, kind)."""

    __tablename__ = "payment_exceptions"
    payment_id: Mapped[str | None] = mapped_column(ForeignKey("payments.id"), index=True)
    out_trade_no: Mapped[str] = mapped_column(String(32))
    provider_txn_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    expected: Mapped[str] = mapped_column(String(64))
    received: Mapped[str] = mapped_column(String(64))
    seen_count: Mapped[int] = mapped_column(Integer, default=1)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # What the provider's transaction received (its amount.total), in fen; None on rows kept
    # before 0013 whose provider order was not found.
    received_fen: Mapped[int | None] = mapped_column(BigInteger)
    # The finance desk's side (backend/payments/exceptions.py): open -> refunding -> resolved,
    # or open -> resolved; common.payments.ExceptionStatus / Resolution.
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    resolution: Mapped[str | None] = mapped_column(String(12))
    resolution_note: Mapped[str | None] = mapped_column(String(500))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[str | None] = mapped_column(String(32))
    __table_args__ = (UniqueConstraint("provider_txn_id", "kind"),)


class PaymentRefund(IdMixin, Base):
    """A refund we asked the provider for 退款 (WeChat Pay v3 domestic refunds), one per
    exception: ``out_refund_no`` is ours and derived from the exception, so a retry asks the
    provider for the same refund (the provider is idempotent by it) and never refunds twice."""

    __tablename__ = "payment_refunds"
    exception_id: Mapped[str] = mapped_column(ForeignKey("payment_exceptions.id"), unique=True)
    payment_id: Mapped[str | None] = mapped_column(ForeignKey("payments.id"), index=True)
    out_trade_no: Mapped[str] = mapped_column(String(32))
    provider_txn_id: Mapped[str] = mapped_column(String(64), index=True)
    out_refund_no: Mapped[str] = mapped_column(String(64), unique=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    # requested (asked, no answer yet) | PROCESSING | SUCCESS | CLOSED | ABNORMAL (the provider's)
    status: Mapped[str] = mapped_column(String(12), index=True)
    provider_refund_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    success_time: Mapped[datetime | None] = mapped_column(UTCDateTime())
    requested_by_id: Mapped[str] = mapped_column(String(32))


class SandboxProviderOrder(IdMixin, Base):
    """The sandbox provider's side: its order for our out_trade_no, and its notifier's state."""

    __tablename__ = "sandbox_provider_orders"
    mch_id: Mapped[str] = mapped_column(String(32))
    out_trade_no: Mapped[str] = mapped_column(String(32), unique=True)
    description: Mapped[str] = mapped_column(String(128))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    notify_url: Mapped[str] = mapped_column(String(256))
    trade_state: Mapped[str] = mapped_column(String(12))  # NOTPAY SUCCESS CLOSED PAYERROR
    transaction_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    success_time: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    notify_attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_notify_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SandboxProviderRefund(IdMixin, Base):
    """The sandbox provider's refunds (its side of 申请退款), unique by the merchant's
    out_refund_no."""

    __tablename__ = "sandbox_provider_refunds"
    mch_id: Mapped[str] = mapped_column(String(32))
    out_trade_no: Mapped[str] = mapped_column(String(32))
    transaction_id: Mapped[str] = mapped_column(String(64), index=True)
    out_refund_no: Mapped[str] = mapped_column(String(64), unique=True)
    refund_id: Mapped[str] = mapped_column(String(64), unique=True)
    refund_fen: Mapped[int] = mapped_column(BigInteger)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(12))  # PROCESSING SUCCESS CLOSED ABNORMAL
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    success_time: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReconciliationRun(IdMixin, Base):
    """One business day matched against the provider's statement (one run per day, re-run in
    place)."""

    __tablename__ = "reconciliation_runs"
    business_day: Mapped[date] = mapped_column(Date, unique=True)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime())
    statement_rows: Mapped[int] = mapped_column(Integer)
    statement_total_fen: Mapped[int] = mapped_column(BigInteger)
    ours_total_fen: Mapped[int] = mapped_column(BigInteger)
    matched: Mapped[int] = mapped_column(Integer)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    statement_refunds_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    ours_refunds_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class ReconciliationMismatch(IdMixin, Base):
    __tablename__ = "reconciliation_mismatches"
    run_id: Mapped[str] = mapped_column(ForeignKey("reconciliation_runs.id"), index=True)
    # missing_ours | missing_theirs | amount_differs, and refund_ the same for refund lines
    kind: Mapped[str] = mapped_column(String(24))
    out_trade_no: Mapped[str] = mapped_column(String(32))
    out_refund_no: Mapped[str | None] = mapped_column(String(64))
    provider_txn_id: Mapped[str | None] = mapped_column(String(64))
    payment_id: Mapped[str | None] = mapped_column(String(32))
    ours_fen: Mapped[int | None] = mapped_column(BigInteger)
    theirs_fen: Mapped[int | None] = mapped_column(BigInteger)
    detail: Mapped[str] = mapped_column(String(200))
