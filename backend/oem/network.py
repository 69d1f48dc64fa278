"""An OEM sees, for the dealers of its network only, their floor-plan utilisation, stock age,
sell-through and capital turnover, curtailments overdue and audit results — aggregated, with no
lessee data. A dealer outside the network answers 404.

Sell-through is the units paid off (sold) in the last 30 days; turnover is the principal repaid
on sale in the last 90 days over the principal in stock now (how many times the stock financed
turns over in a quarter)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import (
    FloorplanAlert,
    FloorplanAudit,
    FloorplanAuditScan,
    FloorplanLine,
    FloorplanUnit,
    OemDealer,
    Organisation,
)
from backend.floorplan import lines
from common.api.floorplan import UnitStatus
from common.api.oem import AuditResult, NetworkDealer
from common.errors import NotFound
from common.money import div_half_up, yuan_text

DEALER_NOT_IN_NETWORK = NotFound("dealer_not_found", "该经销商不在本网络中", "No such dealer")
AGED_DAYS = 90


def _ratio(numerator: int, denominator: int, scale: int = 100) -> str | None:
    if denominator <= 0:
        return None
    return f"{Decimal(div_half_up(numerator * scale * 100, denominator)) / 100:.2f}"


async def _audit(db: AsyncSession, dealer_id: str) -> AuditResult | None:
    audit = await db.scalar(
        select(FloorplanAudit).where(FloorplanAudit.dealer_id == dealer_id)
        .order_by(FloorplanAudit.opened_on.desc(), FloorplanAudit.created_at.desc()).limit(1)
    )  # fmt: skip
    if audit is None:
        return None
    scanned = int(await db.scalar(
        select(func.count(func.distinct(FloorplanAuditScan.unit_id)))
        .where(FloorplanAuditScan.audit_id == audit.id)
    ) or 0)  # fmt: skip
    missing = int(await db.scalar(
        select(func.count()).select_from(FloorplanAlert).where(FloorplanAlert.audit_id == audit.id)
    ) or 0)  # fmt: skip
    return AuditResult(opened_on=audit.opened_on, deadline=audit.deadline, status=audit.status,
                       units=len(audit.unit_ids), scanned=scanned, missing=missing)  # fmt: skip


async def _dealer(db: AsyncSession, org: Organisation, today: date) -> NetworkDealer:
    line = await db.scalar(select(FloorplanLine).where(FloorplanLine.dealer_id == org.id))
    room = await lines.headroom(db, line, today) if line is not None else None
    units = list(await db.scalars(select(FloorplanUnit).where(FloorplanUnit.dealer_id == org.id)))
    stock = [u for u in units if u.status == UnitStatus.FINANCED.value]
    ages = [(today - u.drawn_on).days for u in stock]
    sold = [u for u in units if u.status == UnitStatus.PAID_OFF.value and u.paid_off_on]
    recent = [u for u in sold if u.paid_off_on and u.paid_off_on > today - timedelta(days=30)]
    quarter = sum(u.principal_fen for u in sold
                  if u.paid_off_on and u.paid_off_on > today - timedelta(days=90))  # fmt: skip
    in_stock = sum(u.principal_left_fen for u in stock)
    ceiling = (room.limit_fen + room.temporary_fen) if room else 0
    return NetworkDealer(
        dealer_id=org.id, dealer_name=org.name, region_code=org.region_code,
        limit=yuan_text(room.limit_fen if room else 0),
        temporary_increase=yuan_text(room.temporary_fen if room else 0),
        used=yuan_text(room.used_fen if room else 0),
        utilisation_percent=_ratio(room.used_fen, ceiling) if room else None,
        units_in_stock=len(stock),
        average_stock_age_days=sum(ages) // len(ages) if ages else None,
        units_over_90_days=sum(1 for a in ages if a > AGED_DAYS),
        sold_last_30_days=len(recent),
        turnover_90_days=_ratio(quarter, in_stock, scale=1),
        curtailments_overdue=yuan_text(sum(u.overdue_fen for u in stock)),
        sold_out_of_trust=sum(1 for u in units if u.status == UnitStatus.SOLD_OUT_OF_TRUST.value),
        last_audit=await _audit(db, org.id),
    )  # fmt: skip


async def _network(db: AsyncSession, oem_id: str) -> list[Organisation]:
    return list(await db.scalars(
        select(Organisation).join(OemDealer, OemDealer.dealer_id == Organisation.id)
        .where(OemDealer.oem_id == oem_id).order_by(Organisation.name)
    ))  # fmt: skip


async def dealers(db: AsyncSession, oem_id: str, today: date) -> list[NetworkDealer]:
    return [await _dealer(db, org, today) for org in await _network(db, oem_id)]


async def dealer(db: AsyncSession, oem_id: str, dealer_id: str, today: date) -> NetworkDealer:
    found = {org.id: org for org in await _network(db, oem_id)}
    if dealer_id not in found:
        raise DEALER_NOT_IN_NETWORK
    return await _dealer(db, found[dealer_id], today)
