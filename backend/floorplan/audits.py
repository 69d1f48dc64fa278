"""Stock audits 盘库: the dealer shows every financed unit on its lot, one scan with a photo each.

An audit lists the units financed when it opens (opened by an admin, or monthly by the job);
the dealer scans them (a VIN it does not owe on this audit is refused); at the deadline the job
closes it (an admin may close it earlier), and every unit not scanned and still financed becomes
a sold-out-of-trust alert 疑似售出未还款: the unit's status changes, an alert row is written and
the event is audited. Units paid off meanwhile were not missing. Photos are processed like the
intake's (re-encoded, metadata and GPS stripped, a thumbnail beside) and written durably before
their row commits; they are served like the intake's, by bearer-authorised routes scoped as the
audit is (`photo_file`).
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from pathlib import Path

import anyio.to_thread
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.base import new_id
from backend.db.models import (
    FloorplanAlert,
    FloorplanAudit,
    FloorplanAuditScan,
    FloorplanLine,
    FloorplanUnit,
)
from backend.dealers.scope import dealer_org
from backend.intake.photo_store import _write_durably
from backend.intake.photos import process_photo
from backend.settings import Settings
from common.api import limits
from common.api.auth import Role
from common.api.floorplan import AlertView, AuditUnitView, AuditView, UnitStatus
from common.business_day import business_date
from common.errors import Conflict, DomainError, NotFound
from common.identity.vin import normalise_vin

AUDIT_NOT_FOUND = NotFound("floorplan_audit_not_found", "找不到该盘库任务", "No such stock audit")
PHOTO_NOT_FOUND = NotFound("floorplan_photo_not_found", "找不到该盘库照片", "No such audit photo")
PHOTO_DIR = "floorplan"  # under the storage directory, beside the intake's photos
MONTHLY_DEADLINE_DAYS = 7
SOLD_OUT_OF_TRUST = "sold_out_of_trust"


async def open_audit(
    db: AsyncSession, dealer_id: str, deadline: date, now: datetime,
    actor: Principal | None, period: str | None = None,
) -> FloorplanAudit:  # fmt: skip
    org = await dealer_org(db, dealer_id)
    if deadline < business_date(now):
        raise DomainError(
            "floorplan_deadline_past",
            "盘库截止日不能早于今天",
            "The deadline is in the past",
            fields={"deadline": "date_invalid"},
        )
    ids = list(await db.scalars(
        select(FloorplanUnit.id).where(FloorplanUnit.dealer_id == org.id,
                                       FloorplanUnit.status == UnitStatus.FINANCED.value)
        .order_by(FloorplanUnit.drawn_on, FloorplanUnit.id)
    ))  # fmt: skip
    row = FloorplanAudit(
        id=new_id(), dealer_id=org.id, opened_on=business_date(now), deadline=deadline,
        status="open", unit_ids=ids, opened_by=actor.user_id if actor else None, period=period,
        created_at=now,
    )  # fmt: skip
    db.add(row)
    await db.flush()
    await audit.record(
        db, actor=actor, action="floorplan.audit_opened", entity_type="floorplan_audit",
        entity_id=row.id, detail={"dealer": org.id, "deadline": deadline.isoformat(),
                                  "units": len(ids), "period": period}, at=now,
    )  # fmt: skip
    return row


async def load(db: AsyncSession, caller: Principal, audit_id: str) -> FloorplanAudit:
    row = await db.get(FloorplanAudit, audit_id[:32])
    if row is None or (caller.role is not Role.ADMIN and row.dealer_id != caller.organisation_id):
        raise AUDIT_NOT_FOUND
    return row


async def list_audits(db: AsyncSession, dealer_id: str) -> list[FloorplanAudit]:
    query = select(FloorplanAudit).where(FloorplanAudit.dealer_id == dealer_id)
    return list(await db.scalars(query.order_by(FloorplanAudit.created_at.desc()).limit(50)))


async def view(db: AsyncSession, row: FloorplanAudit) -> AuditView:
    found = {u.id: u for u in await db.scalars(
        select(FloorplanUnit).where(FloorplanUnit.id.in_(row.unit_ids)))}  # fmt: skip
    rows = await db.execute(
        select(FloorplanAuditScan.unit_id, FloorplanAuditScan.id, FloorplanAuditScan.scanned_at)
        .where(FloorplanAuditScan.audit_id == row.id))  # fmt: skip
    scans = {unit_id: (scan_id, at) for unit_id, scan_id, at in rows}
    listed = []
    for i in (i for i in row.unit_ids if i in found):
        scan_id, at = scans.get(i, (None, None))
        url = f"/api/floorplan/audits/{row.id}/scans/{scan_id}/photo" if scan_id else None
        listed.append(AuditUnitView(
            unit_id=i, vin=found[i].vin, model=found[i].model, scanned_at=at,
            status=found[i].status, photo_url=url,
            thumbnail_url=url.removesuffix("/photo") + "/thumbnail" if url else None,
        ))  # fmt: skip
    return AuditView(
        id=row.id, dealer_id=row.dealer_id, opened_on=row.opened_on, deadline=row.deadline,
        status=row.status, units=listed, scanned=len(scans),
        missing=sum(1 for u in listed if u.scanned_at is None and u.status != "paid_off"),
        closed_at=row.closed_at,
    )  # fmt: skip


async def scan(
    db: AsyncSession, settings: Settings, caller: Principal, audit_id: str, vin: str,
    photo: bytes, now: datetime,
) -> FloorplanAudit:  # fmt: skip
    """One unit seen: refused for a VIN this audit does not list for the caller's dealer."""
    row = await load(db, caller, audit_id)
    if row.status != "open":
        raise Conflict("floorplan_audit_closed", "盘库已结束", "The audit is closed")
    wanted = normalise_vin(vin)[: limits.VIN] if len(vin) <= limits.VIN_INPUT else ""
    unit = await db.scalar(
        select(FloorplanUnit).where(FloorplanUnit.vin == wanted,
                                    FloorplanUnit.dealer_id == row.dealer_id,
                                    FloorplanUnit.id.in_(row.unit_ids))
    )  # fmt: skip
    if unit is None:
        raise DomainError(
            "floorplan_vin_not_in_audit",
            "该车架号不在本次盘库的融资车辆中",
            "This VIN is not a unit of this audit",
            fields={"vin": "not_in_audit"},
        )
    done = await db.scalar(
        select(FloorplanAuditScan.id).where(FloorplanAuditScan.audit_id == row.id,
                                            FloorplanAuditScan.unit_id == unit.id)
    )  # fmt: skip
    if done is not None:
        return row  # seen already: the first photo stands
    processed = await anyio.to_thread.run_sync(process_photo, photo)  # refuses non-images
    storage = settings.storage_dir / PHOTO_DIR
    storage.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    path, thumb = storage / f"{name}.jpg", storage / f"{name}.thumb.jpg"
    await anyio.to_thread.run_sync(
        _write_durably, storage, [(path, processed.image), (thumb, processed.thumbnail)]
    )
    db.add(FloorplanAuditScan(
        audit_id=row.id, unit_id=unit.id, photo_path=f"{PHOTO_DIR}/{path.name}",
        thumb_path=f"{PHOTO_DIR}/{thumb.name}", photo_sha256=processed.sha256,
        scanned_by=caller.user_id, scanned_at=now,
    ))  # fmt: skip
    await audit.record(
        db, actor=caller, action="floorplan.audit_scanned", entity_type="floorplan_audit",
        entity_id=row.id, detail={"unit": unit.id, "vin": unit.vin,
                                  "sha256": processed.sha256}, at=now,
    )  # fmt: skip
    return row


async def photo_file(
    db: AsyncSession, settings: Settings, caller: Principal, audit_id: str, scan_id: str, *,
    thumbnail: bool,
) -> Path:  # fmt: skip
    """A scan's photo (or its thumbnail) for whoever may read the audit: its dealer and the
    admins; another dealer's answers 404, as the audit does. A scan kept before thumbnails
    were (0026) answers its photo for the thumbnail: the app scales it."""
    row = await load(db, caller, audit_id)
    scan = await db.get(FloorplanAuditScan, scan_id[:32])
    if scan is None or scan.audit_id != row.id:
        raise PHOTO_NOT_FOUND
    path = settings.storage_dir / ((thumbnail and scan.thumb_path) or scan.photo_path)
    if not path.is_file():  # lost from the disk: a clear 404 rather than a 500
        raise PHOTO_NOT_FOUND
    return path


async def close(
    db: AsyncSession, row: FloorplanAudit, now: datetime, actor: Principal | None
) -> list[FloorplanAlert]:
    """End the audit; the units not seen and still financed become sold out of trust."""
    if row.status != "open":
        return []
    seen = set(
        await db.scalars(
            select(FloorplanAuditScan.unit_id).where(FloorplanAuditScan.audit_id == row.id)
        )
    )
    missing = list(await db.scalars(
        select(FloorplanUnit).where(FloorplanUnit.id.in_(row.unit_ids))
        .where(FloorplanUnit.status == UnitStatus.FINANCED.value).with_for_update()
    ))  # fmt: skip
    alerts = []
    for unit in (u for u in missing if u.id not in seen):
        unit.status, unit.updated_at = UnitStatus.SOLD_OUT_OF_TRUST.value, now
        alert = FloorplanAlert(dealer_id=row.dealer_id, unit_id=unit.id, audit_id=row.id,
                               kind=SOLD_OUT_OF_TRUST, raised_at=now)  # fmt: skip
        db.add(alert)
        alerts.append(alert)
        await audit.record(
            db, actor=actor, action="floorplan.sold_out_of_trust", entity_type="floorplan_unit",
            entity_id=unit.id, before={"status": UnitStatus.FINANCED.value},
            after={"status": unit.status}, detail={"audit": row.id, "vin": unit.vin}, at=now,
        )  # fmt: skip
    row.status, row.closed_at = "closed", now
    await db.flush()
    await audit.record(
        db, actor=actor, action="floorplan.audit_closed", entity_type="floorplan_audit",
        entity_id=row.id, detail={"scanned": len(seen), "missing": len(alerts)}, at=now,
    )  # fmt: skip
    return alerts


async def close_due(db: AsyncSession, day: date, now: datetime) -> int:
    """Close every open audit whose deadline has passed by `day`; the alerts raised."""
    due = await db.scalars(
        select(FloorplanAudit).where(FloorplanAudit.status == "open", FloorplanAudit.deadline < day)
    )
    return sum([len(await close(db, row, now, None)) for row in list(due)])


async def open_monthly(db: AsyncSession, day: date, now: datetime) -> int:
    """On the 1st, an audit for every dealer with a line and financed units (once a month)."""
    if day.day != 1:
        return 0
    period = day.strftime("%Y-%m")
    opened = 0
    for dealer_id in list(await db.scalars(select(FloorplanLine.dealer_id))):
        financed = await db.scalar(
            select(func.count(FloorplanUnit.id)).where(
                FloorplanUnit.dealer_id == dealer_id,
                FloorplanUnit.status == UnitStatus.FINANCED.value,
            )
        )
        exists = await db.scalar(select(FloorplanAudit.id).where(
            FloorplanAudit.dealer_id == dealer_id, FloorplanAudit.period == period))  # fmt: skip
        if financed and exists is None:
            await open_audit(db, dealer_id, day + timedelta(days=MONTHLY_DEADLINE_DAYS), now,
                             None, period)  # fmt: skip
            opened += 1
    return opened


async def alerts_of(db: AsyncSession, dealer_id: str) -> list[AlertView]:
    rows = await db.execute(
        select(FloorplanAlert, FloorplanUnit.vin)
        .join(FloorplanUnit, FloorplanUnit.id == FloorplanAlert.unit_id)
        .where(FloorplanAlert.dealer_id == dealer_id)
        .order_by(FloorplanAlert.raised_at.desc())
    )
    return [AlertView(id=a.id, dealer_id=a.dealer_id, unit_id=a.unit_id, vin=vin,
                      audit_id=a.audit_id, kind=a.kind, raised_at=a.raised_at)
            for a, vin in rows]  # fmt: skip


async def alert_count(db: AsyncSession, dealer_id: str) -> int:
    query = select(func.count(FloorplanAlert.id)).where(FloorplanAlert.dealer_id == dealer_id)
    return int(await db.scalar(query) or 0)
