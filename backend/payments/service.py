"""Payments 在线还款: a lessee pays the next rent, everything overdue or an amount of their own
choosing through the provider's hosted pay page; what has been paid, and what it paid for.

A dealer pays its floor plan the same way (backend/floorplan/payments.py makes those payments).
A payment is created ``created`` with the provider's order beside it; only the provider's
confirmation (a notification, backend/payments/notify.py, or the query path,
backend/payments/query.py) makes it ``paid``, in the transaction that posts it.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.principal import Principal
from backend.contracts import service as contracts
from backend.db.models import Contract, FloorplanUnit, Payment
from backend.payments import sandbox
from backend.servicing import dues, quotes
from backend.servicing.settlement import Purpose
from backend.settings import Settings
from common.api.auth import Role
from common.api.payments import PaymentView
from common.business_day import BUSINESS_TZ, business_date
from common.contracts import ContractStatus
from common.errors import DomainError, NotFound
from common.money import from_fen
from common.payments import STATUS_LABELS, PaymentStatus
from common.servicing.policy import policy_for
from common.servicing.standing import summary

OPTIONS = ("next", "overdue", "custom", "quote")
PAYMENT_NOT_FOUND = NotFound("payment_not_found", "找不到该笔支付", "No such payment")
NOTHING_DUE = DomainError("nothing_due", "当前没有需要还款的金额", "Nothing is due", status=422)
LIST_LIMIT = 100


def _amount_invalid(zh: str, en: str) -> DomainError:
    return DomainError(
        "payment_amount_invalid", zh, en, fields={"amount": "payment_amount_invalid"}
    )


def new_out_trade_no(now: datetime) -> str:
    """Ours at the provider: 'AL', the Shanghai time to the second, 10 random hex (26 chars,
    within WeChat's 6-32 of [A-Za-z0-9_-])."""
    return f"AL{now.astimezone(BUSINESS_TZ):%Y%m%d%H%M%S}{secrets.token_hex(5).upper()}"


async def amount_due(db: AsyncSession, contract: Contract, option: str, amount_fen: int | None,
                     now: datetime) -> int:  # fmt: skip
    """What `option` asks the lessee to pay now (refused when there is nothing to pay)."""
    rows = await dues.instalments(db, contract)
    s = summary([dues.state(r) for r in rows], business_date(now))
    if option == "next":
        due = s.overdue_fen + s.next_due_fen
    elif option == "overdue":
        due = s.overdue_fen
    else:  # custom
        if s.outstanding_fen == 0:
            raise NOTHING_DUE
        if amount_fen is None:
            raise _amount_invalid("请输入还款金额", "amount is required for a custom payment")
        least = policy_for(contract.document["terms"]["product_name"]).min_payment_fen
        if amount_fen > s.outstanding_fen:
            raise _amount_invalid(f"还款金额不能超过剩余应还 {from_fen(s.outstanding_fen)} 元",
                                  "amount exceeds everything outstanding")  # fmt: skip
        if amount_fen < least and amount_fen != s.outstanding_fen:
            raise _amount_invalid(f"还款金额不能低于 {from_fen(least)} 元",
                                  "amount is below the minimum payment")  # fmt: skip
        due = amount_fen
    if due <= 0:
        raise NOTHING_DUE
    return due


PURPOSE_NAMES = {"rent": "租金", "payoff": "提前结清", "prepayment": "部分提前还款"}


async def create_payment(
    db: AsyncSession, caller: Principal, contract_id: str, option: str, amount_fen: int | None,
    now: datetime, app_url: str, *, purpose: str = Purpose.RENT.value,
    quote_id: str | None = None, settings: Settings | None = None,
) -> tuple[Payment, str]:  # fmt: skip
    """A payment of the caller's own contract and the provider's pay page for it. ``app_url`` is
    where the backend (and so the sandbox's pay page) is reached: settings.public_url."""
    settings = settings or Settings(public_url=app_url)
    if caller.role != Role.LESSEE:
        raise DomainError("forbidden", "只有承租人本人可以还款", "Only the lessee pays",
                          status=403)  # fmt: skip
    if option not in OPTIONS:
        raise DomainError("payment_option_invalid", "还款方式无效", "unknown option",
                          fields={"option": "payment_option_invalid"})  # fmt: skip
    quoted = option == "quote"
    if quoted != (purpose != Purpose.RENT.value) or purpose not in {p.value for p in Purpose}:
        raise DomainError(
            "payment_purpose_invalid", "付款用途与方式不符：结清或提前还款须按报价付款",
            "a payoff or prepayment is paid by its quote, rent by an option",
            fields={"purpose": "payment_purpose_invalid"},
        )  # fmt: skip
    contract = await contracts.get(db, caller, contract_id)
    if contract.status != ContractStatus.ACTIVE.value:
        raise dues.NOT_ACTIVE
    if quoted:  # the quote's total, while it holds (backend/servicing/quotes.py)
        amount = await quotes.amount_for(db, contract, purpose, quote_id, business_date(now))
    else:
        amount = await amount_due(db, contract, option, amount_fen, now)
    payment = Payment(
        contract_id=contract.id, customer_id=contract.customer_id, purpose=purpose,
        option=option, quote_id=quote_id, amount_fen=amount, currency="CNY",
        status=PaymentStatus.CREATED.value, provider=sandbox.PROVIDER,
        out_trade_no=new_out_trade_no(now), created_at=now, notified_count=0,
        created_by_id=caller.user_id,
    )  # fmt: skip
    db.add(payment)
    url = await sandbox.create_order(
        db, settings, out_trade_no=payment.out_trade_no, amount_fen=amount, currency="CNY",
        description=f"合同 {contract.number} {PURPOSE_NAMES.get(purpose, '租金')}", now=now,
    )  # fmt: skip
    return payment, url


async def get(db: AsyncSession, caller: Principal, payment_id: str) -> Payment:
    """A payment the caller may see (the lessee's own; the lessor's people; the shop's; of a
    floor-plan unit, its dealer's and the admins')."""
    if len(payment_id) > 32:
        raise PAYMENT_NOT_FOUND
    payment = await db.get(Payment, payment_id)
    if payment is None:
        raise PAYMENT_NOT_FOUND
    if payment.floorplan_unit_id is not None:  # a dealer's floor plan: its own, and the lessor's
        unit = await db.get(FloorplanUnit, payment.floorplan_unit_id)
        assert unit is not None
        if caller.role is Role.ADMIN or (
            caller.role is Role.DEALER_ADMIN and unit.dealer_id == caller.organisation_id
        ):
            return payment
        raise PAYMENT_NOT_FOUND
    assert payment.contract_id is not None
    try:
        await contracts.get(db, caller, payment.contract_id)
    except NotFound:
        raise PAYMENT_NOT_FOUND from None
    return payment


async def listing(db: AsyncSession, caller: Principal, contract_id: str) -> list[Payment]:
    contract = await contracts.get(db, caller, contract_id)
    return list(await db.scalars(
        select(Payment).where(Payment.contract_id == contract.id)
        .order_by(Payment.created_at.desc(), Payment.id).limit(LIST_LIMIT)
    ))  # fmt: skip


async def view_of(db: AsyncSession, payment: Payment, settings: Settings) -> PaymentView:
    """`view`, with a floor-plan payment's VIN."""
    unit = None
    if payment.floorplan_unit_id is not None:
        unit = await db.get(FloorplanUnit, payment.floorplan_unit_id)
    return view(payment, settings, unit_vin=unit.vin if unit else None)


def view(payment: Payment, settings: Settings, *, unit_vin: str | None = None) -> PaymentView:
    status = PaymentStatus(payment.status)
    open_ = status is PaymentStatus.CREATED
    return PaymentView(
        id=payment.id, status=status.value, status_label=STATUS_LABELS[status],
        amount=str(from_fen(payment.amount_fen)), purpose=payment.purpose,
        created_at=payment.created_at, paid_at=payment.paid_at,
        pay_url=sandbox.pay_url(settings, payment.out_trade_no) if open_ else None,
        receipt_number=payment.receipt_number, contract_id=payment.contract_id or "",
        out_trade_no=payment.out_trade_no, unit_vin=unit_vin,
    )  # fmt: skip
