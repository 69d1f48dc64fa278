"""The dealer's home 经销商首页 at a glance, and its deals for drill-down: every figure from the
dealer's own applications, contracts, commissions and ledger lines (scoped by organisation).

The stage counts and amounts are one GROUP BY; the months read only the last twelve months'
(time, amount) pairs — a dealer with 5,000 deals is answered without loading its deals."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Application, Contract, CustomerVersion, DealerCommission
from backend.dealers import scope
from backend.ledger import service as ledger
from common.api.dealers import Commissions, Deal, DealerSummary, Month, Stage
from common.api.intake import ApplicationStatus
from common.business_day import BUSINESS_TZ, business_date
from common.contracts import ContractStatus
from common.daycount import add_months
from common.deals import DealStage, stage_of
from common.ledger import Account
from common.money import div_half_up, yuan_text

MONTHS = 12
# What the lessor owes the dealer, and what the dealer owes the lessor (on the normal side).
OWED_TO_DEALER = (Account.DEALER_PAYABLE,)
OWED_BY_DEALER = (Account.DEALER_RECEIVABLE,)
# A deal's amount: the contract's financed amount, else the quote's, else the vehicle's price.
_AMOUNT = func.coalesce(Contract.principal_fen, Application.quoted_principal_fen,
                        Application.price_fen, 0)  # fmt: skip


def _month(at: datetime) -> str:
    return at.astimezone(BUSINESS_TZ).strftime("%Y-%m")


def _start_of(month: date) -> datetime:
    return datetime.combine(month, time(), BUSINESS_TZ).astimezone(UTC)


async def dealer_name(db: AsyncSession, dealer_id: str) -> str:
    return (await scope.dealer_org(db, dealer_id)).name


def _months(as_of: date) -> list[str]:
    first = add_months(as_of.replace(day=1), -(MONTHS - 1))
    return [add_months(first, k).strftime("%Y-%m") for k in range(MONTHS)]


def _rate(approved: int, decided: int) -> str | None:
    return None if decided == 0 else f"{Decimal(div_half_up(approved * 10_000, decided)) / 100:.2f}"


def _deals(dealer_id: str) -> Any:
    return (select().select_from(Application)
            .outerjoin(Contract, Contract.application_id == Application.id)
            .where(Application.organisation_id == dealer_id))  # fmt: skip


async def _stages(
    db: AsyncSession, dealer_id: str
) -> tuple[dict[DealStage, int], dict[DealStage, int]]:
    count: dict[DealStage, int] = defaultdict(int)
    amount: dict[DealStage, int] = defaultdict(int)
    query = (
        _deals(dealer_id)
        .add_columns(Application.status, Contract.status, func.count(), func.sum(_AMOUNT))
        .group_by(Application.status, Contract.status)
    )
    for app_status, contract_status, n, fen in await db.execute(query):
        stage = stage_of(app_status, contract_status)
        count[stage] += int(n)
        amount[stage] += int(fen or 0)
    return count, amount


async def _monthly(db: AsyncSession, dealer_id: str, as_of: date) -> list[Month]:
    keys = _months(as_of)
    since = _start_of(date.fromisoformat(keys[0] + "-01"))
    funded: dict[str, list[int]] = defaultdict(list)
    for at, fen in await db.execute(
        select(Contract.activated_at, Contract.principal_fen)
        .where(Contract.organisation_id == dealer_id, Contract.activated_at >= since)
    ):  # fmt: skip
        if at is not None:
            funded[_month(at)].append(int(fen))
    decided: dict[str, list[bool]] = defaultdict(list)
    verdicts = (ApplicationStatus.APPROVED.value, ApplicationStatus.DECLINED.value)
    for at, status, contract in await db.execute(
        _deals(dealer_id).add_columns(Application.submitted_at, Application.status, Contract.id)
        .where(Application.submitted_at >= since,
               or_(Application.status.in_(verdicts), Contract.id.is_not(None)))
    ):  # fmt: skip
        if at is not None:
            decided[_month(at)].append(contract is not None or status != "declined")
    earned: dict[str, int] = defaultdict(int)
    clawed: dict[str, int] = defaultdict(int)
    for at, fen, back_at, back in await db.execute(
        select(DealerCommission.earned_at, DealerCommission.amount_fen,
               DealerCommission.clawed_back_at, DealerCommission.clawed_back_fen)
        .where(DealerCommission.dealer_id == dealer_id,
               or_(DealerCommission.earned_at >= since, DealerCommission.clawed_back_at >= since))
    ):  # fmt: skip
        earned[_month(at)] += int(fen)
        if back_at is not None:
            clawed[_month(back_at)] += int(back)
    return [
        Month(month=m, funded_count=len(funded[m]), funded_amount=yuan_text(sum(funded[m])),
              decided=len(decided[m]), approved=sum(decided[m]),
              approval_rate_percent=_rate(sum(decided[m]), len(decided[m])),
              commission_earned=yuan_text(earned[m]), commission_clawed_back=yuan_text(clawed[m]))
        for m in keys
    ]  # fmt: skip


async def summary(db: AsyncSession, dealer_id: str, now: datetime) -> DealerSummary:
    name = await dealer_name(db, dealer_id)
    count, amount = await _stages(db, dealer_id)
    earned, paid, set_off, clawed = (await db.execute(
        select(func.sum(DealerCommission.amount_fen), func.sum(DealerCommission.paid_fen),
               func.sum(DealerCommission.set_off_fen), func.sum(DealerCommission.clawed_back_fen))
        .where(DealerCommission.dealer_id == dealer_id)
    )).one()  # fmt: skip
    balances = await ledger.party_balances(db, dealer_id, OWED_TO_DEALER + OWED_BY_DEALER)
    as_of = business_date(now)
    return DealerSummary(
        dealer_id=dealer_id, dealer_name=name, as_of=as_of, deals=sum(count.values()),
        stages=[Stage(stage=s.value, label=s.label, count=count[s], amount=yuan_text(amount[s]))
                for s in DealStage],
        months=await _monthly(db, dealer_id, as_of),
        commissions=Commissions(earned=yuan_text(int(earned or 0)), paid=yuan_text(int(paid or 0)),
                                set_off=yuan_text(int(set_off or 0)),
                                clawed_back=yuan_text(int(clawed or 0))),
        owed_to_dealer=yuan_text(sum(balances.get(a, 0) for a in OWED_TO_DEALER)),
        owed_by_dealer=yuan_text(sum(balances.get(a, 0) for a in OWED_BY_DEALER)),
    )  # fmt: skip


_BY_CONTRACT = {
    DealStage.AWAITING_SIGNATURE: ContractStatus.AWAITING_SIGNATURE,
    DealStage.SIGNED: ContractStatus.SIGNED,
    DealStage.ACTIVE: ContractStatus.ACTIVE,
    DealStage.CLOSED: ContractStatus.SETTLED,
}
_BY_APPLICATION = {
    DealStage.DRAFT: (ApplicationStatus.DRAFT,),
    DealStage.IN_REVIEW: (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW),
    DealStage.APPROVED: (ApplicationStatus.APPROVED,),
    DealStage.DECLINED: (ApplicationStatus.DECLINED,),
}


def _at_stage(stage: DealStage) -> ColumnElement[bool]:
    """The SQL of `common.deals.stage_of(...) is stage`."""
    if stage in _BY_CONTRACT:
        return Contract.status == _BY_CONTRACT[stage].value
    if stage is DealStage.WITHDRAWN:
        return or_(Contract.status == ContractStatus.CANCELLED.value,
                   and_(Contract.id.is_(None),
                        Application.status == ApplicationStatus.WITHDRAWN.value))  # fmt: skip
    return and_(Contract.id.is_(None),
                Application.status.in_([s.value for s in _BY_APPLICATION[stage]]))  # fmt: skip


async def deals(
    db: AsyncSession, dealer_id: str, stage: DealStage | None, month: str | None, limit: int = 200
) -> list[Deal]:
    """The dealer's deals at a stage (or all), funded in `month` if given, newest first."""
    await dealer_name(db, dealer_id)
    updated = func.coalesce(Contract.updated_at, Application.updated_at)
    query = _deals(dealer_id).add_columns(
        Application.id, Application.status, Application.maker, CustomerVersion.name_masked,
        Contract.id, Contract.number, Contract.status, _AMOUNT, updated,
        DealerCommission.amount_fen,
    ).outerjoin(CustomerVersion, CustomerVersion.id == Application.customer_version_id
    ).outerjoin(DealerCommission, DealerCommission.contract_id == Contract.id)  # fmt: skip
    if stage is not None:
        query = query.where(_at_stage(stage))
    if month is not None:
        first = date.fromisoformat(month + "-01")
        query = query.where(Contract.activated_at >= _start_of(first),
                            Contract.activated_at < _start_of(add_months(first, 1)))  # fmt: skip
    out = []
    for (app_id, app_status, maker, lessee, contract_id, number, contract_status, fen, at,
         commission) in await db.execute(query.order_by(updated.desc()).limit(limit)):  # fmt: skip
        shown = stage_of(app_status, contract_status)
        out.append(Deal(
            application_id=app_id, contract_id=contract_id, contract_number=number,
            stage=shown.value, stage_label=shown.label, lessee=lessee or "", vehicle=maker or "",
            amount=yuan_text(int(fen)),
            commission=yuan_text(commission) if commission is not None else None, updated_at=at,
        ))  # fmt: skip
    return out
