"""Wire types of payments 在线还款, receipts 电子收据, reconciliation 对账 and the finance desk's
payment exceptions 异常收款."""

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
    contract_id: str = ""  # "" for a floor-plan payment
    out_trade_no: str = ""
    unit_vin: str | None = None  # a floor-plan payment's unit 库存融资车辆 (payoff, curtailment)


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
    # missing_ours | missing_theirs | amount_differs; refund_missing_ours |
    # refund_missing_theirs | refund_amount_differs for the bill's refund lines
    kind: str
    out_trade_no: str
    provider_txn_id: str | None
    payment_id: str | None
    ours: Money | None
    theirs: Money | None
    detail: str
    out_refund_no: str | None = None


class ReconciliationRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    date: date


class ReconciliationView(msgspec.Struct, kw_only=True):
    date: date
    ran_at: datetime
    statement_rows: int
    statement_total: Money
    ours_total: Money
    matched: int  # trade lines and refund lines
    mismatches: list[ReconciliationMismatchView]
    statement_refunds: Money = "0.00"  # the refund lines of the provider's bill
    ours_refunds: Money = "0.00"  # the refunds we asked for that day


ExceptionAction = Literal["refund", "post", "dismiss"]
NOTE_LIMIT = 500  # payment_exceptions.resolution_note


class ResolveExceptionRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """refund: the money back to the payer through the provider; post: the amount received
    posted as a rent payment (the contract active); dismiss: closed, handled elsewhere (the
    note is required)."""

    action: Annotated[str, limits.line(16)]  # ExceptionAction; checked by the service (400)
    note: Annotated[str, limits.paragraph(NOTE_LIMIT)] = ""


class RefundView(msgspec.Struct, kw_only=True):
    out_refund_no: str
    provider_refund_id: str | None
    amount: Money
    status: str  # requested | PROCESSING | SUCCESS | CLOSED | ABNORMAL
    created_at: datetime
    success_time: datetime | None


class PaymentExceptionView(msgspec.Struct, kw_only=True):
    id: str
    kind: str  # amount_differs | currency_differs | merchant_differs | second_transaction | ...
    kind_label: str
    payment_id: str | None
    out_trade_no: str
    contract_id: str | None
    contract_number: str | None
    contract_status: str | None
    expected: Money | None  # what our payment asked
    received: Money | None  # what the provider's transaction received
    detail: str  # what differed, as the check saw it: "CNY -> USD", "active -> settled"
    provider_txn_id: str
    seen_count: int
    first_seen_at: datetime
    last_seen_at: datetime
    status: str  # open | refunding | resolved
    actions: list[str]  # what may be done now (none once resolved)
    resolution: str | None  # refund | post | dismiss
    resolution_note: str | None
    resolved_at: datetime | None
    resolved_by: str | None  # the admin's username
    refund: RefundView | None
