"""Payment exceptions 异常收款, the finance desk's side: what the provider took that we did not post
(backend/payments/notify.py keeps one row per transaction and kind), listed and resolved.

A resolution is one of (common.payments.exception_actions says which a kind allows):

- ``refund`` 原路退款: the amount the transaction received goes back to the payer through the
  provider (backend/payments/refunds.py; idempotent by our refund number);
- ``post`` 入账: the amount received is posted as a rent payment of the payment it was meant for,
  through the normal path (`settlement.settle` under the payment's id, the reference every
  posting of a payment has, so it can be posted once only), while the contract is active and the
  payment unpaid; the payment becomes paid by that transaction;
- ``dismiss`` 线下处理: closed with a required note (e.g. handled with the provider offline);
  nothing moves here.

An exception is resolved once: a second resolution is refused (409
``payment_exception_resolved``). Every resolution is audited.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import Contract, Payment, PaymentException, PaymentRefund, User
from backend.payments import notify, refunds, sandbox
from backend.servicing import dues, settlement
from backend.settings import Settings
from common.api.payments import PaymentExceptionView, RefundView, ResolveExceptionRequest
from common.business_day import business_date
from common.contracts import ContractStatus
from common.errors import Conflict, DomainError, NotFound
from common.money import yuan_text
from common.payments import (
    EXCEPTION_KIND_LABELS,
    ExceptionStatus,
    PaymentStatus,
    Resolution,
    exception_actions,
)

LIST_LIMIT = 200
NOT_FOUND = NotFound("payment_exception_not_found", "找不到该笔异常收款", "No such exception")
RESOLVED = Conflict("payment_exception_resolved", "该笔异常收款已处理", "Already resolved")
REFUNDING = Conflict("payment_exception_refunding", "该笔异常收款正在退款，只能继续退款",
                     "A refund is under way: only the refund can be completed")  # fmt: skip
AMOUNT_UNKNOWN = Conflict("payment_exception_amount_unknown",
                          "不知道该笔交易实收金额，无法退款或入账",
                          "The amount received is not known")  # fmt: skip
ALREADY_POSTED = Conflict("payment_already_posted", "该笔支付已入账", "The payment was posted")


def _action_invalid() -> DomainError:
    return DomainError("payment_exception_action_invalid", "处理方式无效（退款、入账或线下处理）",
                       "action must be refund, post or dismiss", status=400,
                       fields={"action": "payment_exception_action_invalid"})  # fmt: skip


def not_allowed(kind: str, action: Resolution) -> DomainError:
    return DomainError(
        "payment_exception_action_not_allowed", "该类异常收款不能这样处理",
        f"{action.value} is not possible for a {kind} exception", status=422,
    )  # fmt: skip


def postable(payment: Payment | None, contract: Contract | None) -> bool:
    """Can the money be posted to its payment: unpaid, and its contract active?"""
    return (
        payment is not None
        and contract is not None
        and payment.status in (PaymentStatus.CREATED.value, PaymentStatus.FAILED.value,
                               PaymentStatus.CANCELLED.value)
        and contract.status == ContractStatus.ACTIVE.value
    )  # fmt: skip


async def locked(db: AsyncSession, exception_id: str) -> PaymentException:
    """The exception row under its lock (re-read: what a racer wrote is seen)."""
    if len(exception_id) > 32:
        raise NOT_FOUND
    found = await db.scalar(
        select(PaymentException).where(PaymentException.id == exception_id).with_for_update()
        .execution_options(populate_existing=True)
    )  # fmt: skip
    if found is None:
        raise NOT_FOUND
    return found


def mark_resolved(exc: PaymentException, action: Resolution, note: str, caller: Principal,
                  now: datetime) -> None:  # fmt: skip
    exc.status = ExceptionStatus.RESOLVED.value
    exc.resolution = action.value
    exc.resolution_note = note or None
    exc.resolved_at = now
    exc.resolved_by_id = caller.user_id


async def record(db: AsyncSession, exc: PaymentException, caller: Principal, action: str,
                 now: datetime, **detail: object) -> None:  # fmt: skip
    await audit.record(
        db, actor=caller, action=f"payment_exception.{action}", entity_type="payment_exception",
        entity_id=exc.id, before={"status": "open"},
        after={"status": exc.status, "resolution": exc.resolution},
        detail={"kind": exc.kind, "out_trade_no": exc.out_trade_no,
                "provider_txn_id": exc.provider_txn_id, "received_fen": exc.received_fen,
                "note": exc.resolution_note, **detail},
        at=now,
    )  # fmt: skip


def _action(raw: str) -> Resolution:
    try:
        return Resolution(raw)
    except ValueError:
        raise _action_invalid() from None


async def resolve(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, caller: Principal,
    exception_id: str, request: ResolveExceptionRequest, now: datetime,
) -> PaymentExceptionView:  # fmt: skip
    action, note = _action(request.action), request.note.strip()
    if action is Resolution.DISMISS and not note:
        raise DomainError("payment_exception_note_required", "线下处理须写明处理说明",
                          "dismiss needs a note", status=400,
                          fields={"note": "payment_exception_note_required"})  # fmt: skip
    if action is Resolution.REFUND:
        await refunds.refund_exception(sessions, settings, caller, exception_id, note, now)
    else:
        async with sessions() as db:
            if action is Resolution.POST:
                await _post(db, caller, exception_id, note, now)
            else:
                await _dismiss(db, caller, exception_id, note, now)
            await db.commit()
    async with sessions() as db:
        return await view_one(db, exception_id)


async def _dismiss(db: AsyncSession, caller: Principal, exception_id: str, note: str,
                   now: datetime) -> None:  # fmt: skip
    exc = await locked(db, exception_id)
    _must_be_open(exc)
    mark_resolved(exc, Resolution.DISMISS, note, caller, now)
    await record(db, exc, caller, "dismissed", now)


def _must_be_open(exc: PaymentException) -> None:
    if exc.status == ExceptionStatus.RESOLVED.value:
        raise RESOLVED
    if exc.status == ExceptionStatus.REFUNDING.value:
        raise REFUNDING


async def _post(db: AsyncSession, caller: Principal, exception_id: str, note: str,
                now: datetime) -> None:  # fmt: skip
    """Post the amount received to its payment, in the lock order of a confirmation (the
    payment, its contract, then the exception row), so a notification racing it queues."""
    first = await db.get(PaymentException, exception_id) if len(exception_id) <= 32 else None
    if first is None:
        raise NOT_FOUND
    if Resolution.POST not in exception_actions(first.kind, postable=True):
        raise not_allowed(first.kind, Resolution.POST)
    payment = None
    if first.payment_id is not None:
        payment = await db.scalar(
            select(Payment).where(Payment.id == first.payment_id).with_for_update()
            .execution_options(populate_existing=True)
        )  # fmt: skip
    # a floor-plan payment has no contract: its money can only be refunded or handled offline
    contract = None if payment is None else await notify._locked(db, payment.contract_id)
    exc = await locked(db, exception_id)
    _must_be_open(exc)
    if payment is None or contract is None:
        raise not_allowed(exc.kind, Resolution.POST)
    if contract.status != ContractStatus.ACTIVE.value:
        raise dues.NOT_ACTIVE
    if not postable(payment, contract):
        raise ALREADY_POSTED
    if exc.received_fen is None or exc.received_fen <= 0:
        raise AMOUNT_UNKNOWN
    txn = await sandbox.query(db, payment.out_trade_no) or {}
    paid_at = (notify._paid_at(txn, now) if txn.get("transaction_id") == exc.provider_txn_id
               else now)  # fmt: skip
    posted = await settlement.settle(
        db, contract, settlement.Purpose.RENT, exc.received_fen, reference=payment.id,
        paid_on=business_date(paid_at), at=now,
    )  # fmt: skip
    if not posted:
        raise ALREADY_POSTED
    # The payment is what the provider took: paid by that transaction, for the amount received
    # (what it asked stays on the exception as `expected`), so its receipt and the day's
    # reconciliation read the one posting under its id.
    payment.status = PaymentStatus.PAID.value
    payment.provider_txn_id = exc.provider_txn_id
    payment.amount_fen = exc.received_fen
    payment.purpose = settlement.Purpose.RENT.value
    payment.paid_at = paid_at
    payment.receipt_number = notify.receipt_number(payment, paid_at)
    mark_resolved(exc, Resolution.POST, note, caller, now)
    await record(db, exc, caller, "posted", now, reference=payment.id,
                 contract_id=contract.id)  # fmt: skip
    await db.flush()


# -- reading -----------------------------------------------------------------------------------


def _money(fen: int | None) -> str | None:
    return None if fen is None else yuan_text(fen)


def _expected(exc: PaymentException, payment: Payment | None) -> str | None:
    """What our payment asked (an amount_differs row keeps it: a posting makes the payment's
    amount what was received)."""
    if exc.kind == "amount_differs" and exc.expected.isdigit():
        return yuan_text(int(exc.expected))
    return None if payment is None else yuan_text(payment.amount_fen)


def _detail(exc: PaymentException) -> str:
    if exc.kind == "amount_differs":
        return ""  # the amounts say it
    return f"{exc.expected} -> {exc.received}"


def view(exc: PaymentException, payment: Payment | None, contract: Contract | None,
         refund: PaymentRefund | None, resolver: str | None) -> PaymentExceptionView:  # fmt: skip
    status = ExceptionStatus(exc.status)
    if status is ExceptionStatus.OPEN:
        actions = [
            a.value for a in exception_actions(exc.kind, postable=postable(payment, contract))
        ]
    elif status is ExceptionStatus.REFUNDING:
        actions = [Resolution.REFUND.value]  # complete the refund under way
    else:
        actions = []
    return PaymentExceptionView(
        id=exc.id, kind=exc.kind, kind_label=EXCEPTION_KIND_LABELS.get(exc.kind, exc.kind),
        payment_id=exc.payment_id, out_trade_no=exc.out_trade_no,
        contract_id=contract.id if contract else None,
        contract_number=contract.number if contract else None,
        contract_status=contract.status if contract else None,
        expected=_expected(exc, payment),
        received=_money(exc.received_fen), detail=_detail(exc),
        provider_txn_id=exc.provider_txn_id, seen_count=exc.seen_count,
        first_seen_at=exc.first_seen_at, last_seen_at=exc.last_seen_at, status=status.value,
        actions=actions, resolution=exc.resolution, resolution_note=exc.resolution_note,
        resolved_at=exc.resolved_at, resolved_by=resolver,
        refund=None if refund is None else RefundView(
            out_refund_no=refund.out_refund_no, provider_refund_id=refund.provider_refund_id,
            amount=yuan_text(refund.amount_fen), status=refund.status,
            created_at=refund.created_at, success_time=refund.success_time),
    )  # fmt: skip


def _query() -> Select[PaymentException, Payment, Contract, PaymentRefund, str]:
    return (
        select(PaymentException, Payment, Contract, PaymentRefund, User.username)
        .outerjoin(Payment, Payment.id == PaymentException.payment_id)
        .outerjoin(Contract, Contract.id == Payment.contract_id)
        .outerjoin(PaymentRefund, PaymentRefund.exception_id == PaymentException.id)
        .outerjoin(User, User.id == PaymentException.resolved_by_id)
    )


async def listing(db: AsyncSession, status: str) -> list[PaymentExceptionView]:
    """Open (and refunding) exceptions, most recently seen first; or the resolved ones, most
    recently resolved first."""
    if status == "open":
        q = (
            _query()
            .where(PaymentException.status != ExceptionStatus.RESOLVED.value)
            .order_by(PaymentException.last_seen_at.desc(), PaymentException.id)
        )
    elif status == "resolved":
        q = (
            _query()
            .where(PaymentException.status == ExceptionStatus.RESOLVED.value)
            .order_by(PaymentException.resolved_at.desc(), PaymentException.id)
        )
    else:
        raise DomainError("payment_exception_status_invalid", "状态无效（open 或 resolved）",
                          "status must be open or resolved", status=400,
                          fields={"status": "payment_exception_status_invalid"})  # fmt: skip
    rows = await db.execute(q.limit(LIST_LIMIT))
    return [view(e, p, c, r, u) for e, p, c, r, u in rows.all()]


async def view_one(db: AsyncSession, exception_id: str) -> PaymentExceptionView:
    if len(exception_id) > 32:
        raise NOT_FOUND
    row = (await db.execute(_query().where(PaymentException.id == exception_id))).first()
    if row is None:
        raise NOT_FOUND
    e, p, c, r, u = row
    return view(e, p, c, r, u)
