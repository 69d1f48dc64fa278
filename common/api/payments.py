"""Wire types of payments 在线还款, receipts 电子收据 and reconciliation 对账."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from common.api import limits

Money = Annotated[str, limits.line(40)]  # yuan, e.g. "3042.19"
Option = Literal["next", "overdue", "custom", "quote"]


class PaymentRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """next: the next instalment plus anything overdue; overdue: everything overdue; custom:
    ``amount`` (at least the policy's minimum, at most everything outstanding); quote: the
    amount of a payoff/prepayment quote (``purpose`` + ``quote_id``)."""

    option: Option
    amount: Money | None = None
    purpose: Annotated[str, limits.line(16)] = "rent"
    quote_id: Annotated[str, limits.line(32)] | None = None


class PaymentView(msgspec.Struct, kw_only=True):
    id: str
    status: str  # common.payments.PaymentStatus
    status_label: str
    amount: Money
    purpose: str
    created_at: datetime
    paid_at: datetime | None
    pay_url: str | None  # the provider's hosted pay page while the payment is open
    receipt_number: str | None
    contract_id: str = ""
    out_trade_no: str = ""


class ReceiptLine(msgspec.Struct, kw_only=True):
    number: int  # the instalment 期数
    due_date: date | None
    component: str  # principal | interest | fees | penalty
    component_label: str
    amount: Money


class ReceiptView(msgspec.Struct, kw_only=True):
    receipt_number: str
    payment_id: str
    contract_number: str
    lessee_name: str  # masked
    amount: Money
    currency: str
    paid_at: datetime  # Asia/Shanghai
    out_trade_no: str
    provider_txn_id: str
    lines: list[ReceiptLine]
    unapplied: Money  # 溢缴款: what no instalment took


class ReconciliationMismatchView(msgspec.Struct, kw_only=True):
    kind: str  # missing_ours | missing_theirs | amount_differs
    out_trade_no: str
    provider_txn_id: str | None
    payment_id: str | None
    ours: Money | None
    theirs: Money | None
    detail: str


class ReconciliationRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    date: date


class ReconciliationView(msgspec.Struct, kw_only=True):
    date: date
    ran_at: datetime
    statement_rows: int
    statement_total: Money
    ours_total: Money
    matched: int
    mismatches: list[ReconciliationMismatchView]
