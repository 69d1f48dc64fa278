"""The dealer's home 经销商首页 at a glance, and its deals for drill-down: every figure from the
dealer's own applications, contracts, commissions and ledger lines (scoped by organisation)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Application, Contract, CustomerVersion, DealerCommission, Organisation
from backend.ledger import service as ledger
from common.api.dealers import Commissions, Deal, DealerSummary, Month, Stage
from common.business_day import BUSINESS_TZ, business_date
from common.daycount import add_months
from common.deals import DealStage, stage_of
from common.errors import NotFound
from common.ledger import Account
from common.money import div_half_up, to_fen, yuan_text

DEALER_NOT_FOUND = NotFound("dealer_not_found", "经销商不存在", "No such dealer")
MONTHS = 12
# What the lessor owes the dealer, and what the dealer owes the lessor (on the normal side).
OWED_TO_DEALER = (Account.DEALER_PAYABLE,)
OWED_BY_DEALER = (Account.DEALER_RECEIVABLE,)


@dataclass(frozen=True, slots=True)
class _Row:
    application_id: str
    stage: DealStage
    amount_fen: int
    submitted_at: datetime | None
    updated_at: datetime
    contract_id: str | None
    contract_number: str | None
    activated_at: datetime | None
    lessee: str
    vehicle: str


def _month(at: datetime) -> str:
    return at.astimezone(BUSINESS_TZ).strftime("%Y-%m")


def _quoted_fen(quote: dict[str, Any] | None, price_fen: int | None) -> int:
    try:
        return to_fen(Decimal(str((quote or {})["principal"])))
    except (KeyError, ArithmeticError, ValueError):
        return price_fen or 0


async def _rows(db: AsyncSession, dealer_id: str) -> list[_Row]:
    query = (
        select(Application.id, Application.status, Application.quote_request,
               Application.price_fen, Application.submitted_at, Application.updated_at,
               Application.maker, CustomerVersion.name_masked, Contract.id, Contract.number,
               Contract.status, Contract.principal_fen, Contract.activated_at,
               Contract.updated_at)
        .outerjoin(Contract, Contract.application_id == Application.id)
        .outerjoin(CustomerVersion, CustomerVersion.id == Application.customer_version_id)
        .where(Application.organisation_id == dealer_id)
    )  # fmt: skip
    out = []
    for row in await db.execute(query):
        (app_id, status, quote, price, submitted, updated, maker, lessee, contract_id, number,
         contract_status, principal, activated, contract_updated) = row  # fmt: skip
        out.append(_Row(
            application_id=app_id, stage=stage_of(status, contract_status),
            amount_fen=principal if contract_id else _quoted_fen(quote, price),
            submitted_at=submitted, updated_at=max(updated, contract_updated or updated),
            contract_id=contract_id, contract_number=number, activated_at=activated,
            lessee=lessee or "", vehicle=maker or "",
        ))  # fmt: skip
    return out


async def dealer_name(db: AsyncSession, dealer_id: str) -> str:
    org = await db.get(Organisation, dealer_id) if len(dealer_id) <= 32 else None
    if org is None:
        raise DEALER_NOT_FOUND
    return org.name


def _months(as_of: date) -> list[str]:
    first = add_months(as_of.replace(day=1), -(MONTHS - 1))
    return [add_months(first, k).strftime("%Y-%m") for k in range(MONTHS)]


def _rate(approved: int, decided: int) -> str | None:
    return None if decided == 0 else f"{Decimal(div_half_up(approved * 10_000, decided)) / 100:.2f}"


def _monthly(rows: Sequence[_Row], commissions: Sequence[DealerCommission], as_of: date
             ) -> list[Month]:  # fmt: skip
    keys = _months(as_of)
    funded: dict[str, list[int]] = defaultdict(list)
    decided: dict[str, list[bool]] = defaultdict(list)
    for r in rows:
        if r.activated_at is not None:
            funded[_month(r.activated_at)].append(r.amount_fen)
        approved = r.stage not in (DealStage.DRAFT, DealStage.IN_REVIEW, DealStage.DECLINED,
                                   DealStage.WITHDRAWN) or r.contract_id is not None  # fmt: skip
        if r.submitted_at is not None and (approved or r.stage is DealStage.DECLINED):
            decided[_month(r.submitted_at)].append(approved)
    earned: dict[str, int] = defaultdict(int)
    clawed: dict[str, int] = defaultdict(int)
    for c in commissions:
        earned[_month(c.earned_at)] += c.amount_fen
        if c.clawed_back_at is not None:
            clawed[_month(c.clawed_back_at)] += c.clawed_back_fen
    return [
        Month(month=m, funded_count=len(funded[m]), funded_amount=yuan_text(sum(funded[m])),
              decided=len(decided[m]), approved=sum(decided[m]),
              approval_rate_percent=_rate(sum(decided[m]), len(decided[m])),
              commission_earned=yuan_text(earned[m]), commission_clawed_back=yuan_text(clawed[m]))
        for m in keys
    ]  # fmt: skip


async def summary(db: AsyncSession, dealer_id: str, now: datetime) -> DealerSummary:
    name = await dealer_name(db, dealer_id)
    rows = await _rows(db, dealer_id)
    commissions = list(await db.scalars(
        select(DealerCommission).where(DealerCommission.dealer_id == dealer_id)
    ))  # fmt: skip
    count: dict[DealStage, int] = defaultdict(int)
    amount: dict[DealStage, int] = defaultdict(int)
    for r in rows:
        count[r.stage] += 1
        amount[r.stage] += r.amount_fen
    balances = await ledger.party_balances(db, dealer_id, OWED_TO_DEALER + OWED_BY_DEALER)
    as_of = business_date(now)
    return DealerSummary(
        dealer_id=dealer_id, dealer_name=name, as_of=as_of, deals=len(rows),
        stages=[Stage(stage=s.value, label=s.label, count=count[s], amount=yuan_text(amount[s]))
                for s in DealStage],
        months=_monthly(rows, commissions, as_of),
        commissions=Commissions(
            earned=yuan_text(sum(c.amount_fen for c in commissions)),
            paid=yuan_text(sum(c.paid_fen for c in commissions)),
            set_off=yuan_text(sum(c.set_off_fen for c in commissions)),
            clawed_back=yuan_text(sum(c.clawed_back_fen for c in commissions)),
        ),
        owed_to_dealer=yuan_text(sum(balances.get(a, 0) for a in OWED_TO_DEALER)),
        owed_by_dealer=yuan_text(sum(balances.get(a, 0) for a in OWED_BY_DEALER)),
    )  # fmt: skip


async def deals(
    db: AsyncSession, dealer_id: str, stage: DealStage | None, month: str | None, limit: int = 200
) -> list[Deal]:
    """The dealer's deals at a stage (or all), funded in `month` if given, newest first."""
    await dealer_name(db, dealer_id)

    def wanted(r: _Row) -> bool:
        if stage is not None and r.stage is not stage:
            return False
        return month is None or (r.activated_at is not None and _month(r.activated_at) == month)

    rows = [r for r in await _rows(db, dealer_id) if wanted(r)]
    rows.sort(key=lambda r: r.updated_at, reverse=True)
    ids = [r.contract_id for r in rows[:limit] if r.contract_id]
    earned = dict((await db.execute(
        select(DealerCommission.contract_id, DealerCommission.amount_fen)
        .where(DealerCommission.contract_id.in_(ids))
    )).tuples().all()) if ids else {}  # fmt: skip
    return [
        Deal(application_id=r.application_id, contract_id=r.contract_id,
             contract_number=r.contract_number, stage=r.stage.value, stage_label=r.stage.label,
             lessee=r.lessee, vehicle=r.vehicle, amount=yuan_text(r.amount_fen),
             commission=yuan_text(earned[r.contract_id]) if r.contract_id in earned else None,
             updated_at=r.updated_at)
        for r in rows[:limit]
    ]  # fmt: skip
