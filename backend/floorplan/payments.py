"""The dealer pays its floor plan through the payment provider 库存融资还款: a unit's payoff 结清
or a curtailment 还本, as a payment order like a lessee's rent (backend/payments/service.py).

The order is made with the provider's pay page and nothing is posted. Only the provider's
confirmation (backend/payments/notify.py: its notification, or the query path) posts it, under
the payment's id, in the confirmation's transaction and under the payment's and then the unit's
lock: a duplicated notification finds the payment paid and posts nothing; a failed or abandoned
payment never reaches `settle`.

A payoff order is priced for its business day (the interest to the day before, as every payoff).
Money that cannot be applied as asked — a payoff confirmed paid on another day, a unit repaid
meanwhile (sold through us, or paid off by another order), a curtailment that would now repay
all of the principal — is not applied otherwise: `settle` refuses it before writing anything,
and the confirmation keeps it as a payment exception for the finance desk to refund.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.principal import Principal
from backend.db.models import FloorplanUnit, Payment
from backend.floorplan import units
from backend.payments import sandbox, service
from backend.settings import Settings
from common import floorplan as fp
from common.business_day import business_date
from common.errors import DomainError
from common.ledger import Account
from common.money import yuan_text
from common.payments import PaymentStatus


class Purpose(StrEnum):
    PAYOFF = "floorplan_payoff"  # 结清: principal left + interest to the day before
    CURTAILMENT = "floorplan_curtailment"  # 还本: billed interest first, then principal


NAMES = {Purpose.PAYOFF: "库存融资结清", Purpose.CURTAILMENT: "库存融资还本"}
NOTHING_DUE = DomainError("floorplan_nothing_due", "该车辆当前没有应还本金或利息",
                          "Nothing is due on this unit", fields={"amount": "floorplan_nothing_due"},
                          status=422)  # fmt: skip


class CannotApply(DomainError):
    """A confirmed payment its unit cannot take as it was asked: kept as a payment exception of
    kind `code` (what we expected, what we found), nothing posted."""

    def __init__(self, code: str, message: str, message_en: str, expected: str, found: str):
        super().__init__(code, message, message_en)
        self.expected, self.found = expected, found


def _due_now(f: fp.UnitFigures, terms: fp.LineTerms, today: date) -> int:
    """What a curtailment with no amount asks: the principal due and the interest billed."""
    return fp.principal_due(f, terms, today) + f.interest_unpaid_billed_fen


async def create_payment(
    db: AsyncSession, settings: Settings, caller: Principal, unit: FloorplanUnit,
    purpose: Purpose, amount_fen: int | None, now: datetime,
) -> Payment:  # fmt: skip
    """A payment of the caller's unit (`units.owned_unit`) and the provider's order for it: the
    payoff amount today, or a curtailment of `amount_fen` (default: what is due now). Refused,
    with nothing written, for a unit no longer owed or an amount a curtailment cannot take."""
    if unit.status not in units.OWED:
        raise units.UNIT_NOT_FOUND
    f, terms, today = await units.figures_of(db, unit), units.terms_of(unit), business_date(now)
    if purpose is Purpose.PAYOFF:
        amount, option = fp.payoff(f, terms, today).total_fen, "quote"
    else:
        amount, option = (amount_fen, "custom") if amount_fen is not None else (
            _due_now(f, terms, today), "due")  # fmt: skip
        if amount_fen is None and amount == 0:
            raise NOTHING_DUE
        fp.allocate(f, amount)  # positive, and leaves principal outstanding (else: the payoff)
    payment = Payment(
        floorplan_unit_id=unit.id, purpose=purpose.value, option=option, amount_fen=amount,
        currency="CNY", status=PaymentStatus.CREATED.value, provider=sandbox.PROVIDER,
        out_trade_no=service.new_out_trade_no(now), created_at=now, notified_count=0,
        created_by_id=caller.user_id,
    )  # fmt: skip
    db.add(payment)
    await sandbox.create_order(
        db, settings, out_trade_no=payment.out_trade_no, amount_fen=amount, currency="CNY",
        description=f"{NAMES[purpose]} {unit.vin}", now=now,
    )  # fmt: skip
    return payment


async def settle(db: AsyncSession, payment: Payment, paid_on: date, now: datetime) -> None:
    """Apply a payment the provider confirmed paid on `paid_on` to its unit, in the caller's
    transaction; the caller holds the payment's lock. `CannotApply` before anything is written
    when the unit cannot take it as asked."""
    unit = await db.scalar(
        select(FloorplanUnit).where(FloorplanUnit.id == payment.floorplan_unit_id)
        .with_for_update().execution_options(populate_existing=True)
    )  # fmt: skip
    assert unit is not None  # a payment's unit is never deleted (a foreign key)
    if unit.status not in units.OWED:
        raise CannotApply("floorplan_unit_settled", "该车辆已结清，款项未入账",
                          "The unit was repaid meanwhile", "owed", unit.status)  # fmt: skip
    f, terms = await units.figures_of(db, unit), units.terms_of(unit)
    purpose = Purpose(payment.purpose)
    if purpose is Purpose.PAYOFF:
        total = fp.payoff(f, terms, paid_on).total_fen
        if total != payment.amount_fen:  # paid on another day, or the unit changed meanwhile
            raise CannotApply("floorplan_payoff_changed", "结清金额已变化，款项未入账",
                              "The payoff amount changed since the order was made",
                              yuan_text(payment.amount_fen), yuan_text(total))  # fmt: skip
    else:
        try:
            fp.allocate(f, payment.amount_fen)
        except DomainError as exc:
            raise CannotApply(exc.code, exc.message, exc.message_en, "principal left",
                              yuan_text(f.principal_left_fen)) from None  # fmt: skip
    # Checked: from here a refusal would be a bug, and must not leave half a posting behind (a
    # DomainError would be kept as an exception and the transaction committed): it aborts.
    try:
        if purpose is Purpose.PAYOFF:
            await units.pay_off(db, unit, now, reference=payment.id, source=Account.CASH,
                                paid_on=paid_on)  # fmt: skip
        else:
            await units.curtail(db, unit, payment.amount_fen, now, reference=payment.id,
                                paid_on=paid_on)  # fmt: skip
    except DomainError as exc:
        raise RuntimeError(f"payment {payment.id} passed its checks but was refused") from exc
