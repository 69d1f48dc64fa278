"""Alerts 预警: one per condition (a unique `open_key` while the condition lasts), on the audit
log; open -> acknowledged -> resolved / false_alarm by a monitor. When the condition ends (back
in the corridor, reporting again) the key is released so a new condition is a new alert; the
alert itself waits for a monitor's resolution. An overdue contract (servicing's bucket past M0)
raises its vehicle's alerts one severity."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.base import new_id
from backend.db.models import Alert, Contract, Customer, Terminal
from backend.db.upsert import upsert_ignore
from common.errors import Conflict, DomainError, NotFound

ALERT_NOT_FOUND = NotFound("alert_not_found", "预警不存在", "No such alert")
CLOSED = Conflict("alert_closed", "该预警已处理完毕", "The alert is already resolved")


class AlertType(StrEnum):
    DEVIATION = "deviation"  # 偏离路线走廊
    REGION = "region"  # 驶出允许区域
    SIGNAL_LOSS = "signal_loss"  # 信号丢失
    TAMPER = "tamper"  # 断电、剪天线、拆除终端


class Status(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    FALSE_ALARM = "false_alarm"


SEVERITIES = ("info", "warning", "critical")
LABELS = {AlertType.DEVIATION: "偏离路线", AlertType.REGION: "驶出允许区域",
          AlertType.SIGNAL_LOSS: "信号丢失", AlertType.TAMPER: "终端被破坏"}  # fmt: skip

# Who hears of an alert's events besides the audit log (partners' webhooks): set at start-up.
Listener = Callable[[AsyncSession, str, Alert, datetime], Coroutine[Any, Any, None]]
listeners: list[Listener] = []


def severity_for(base: str, contract: Contract) -> str:
    """`base`, one higher when the contract is overdue."""
    k = SEVERITIES.index(base)
    if contract.bucket not in (None, "", "M0"):
        k = min(k + 1, len(SEVERITIES) - 1)
    return SEVERITIES[k]


def _key(terminal_id: str, kind: AlertType) -> str:
    return f"{terminal_id}:{kind.value}"


async def _tell(db: AsyncSession, event: str, alert: Alert, now: datetime) -> None:
    for listener in listeners:
        await listener(db, event, alert, now)


async def open_alert(
    db: AsyncSession, terminal: Terminal, contract: Contract, kind: AlertType, base: str,
    detail: dict[str, Any], now: datetime,
) -> Alert | None:  # fmt: skip
    """Open the alert of this condition, unless one is open already (then None)."""
    alert_id = new_id()
    customer = await db.get(Customer, contract.customer_id)
    region_code = customer.region_code if customer else None
    result = await db.execute(
        upsert_ignore(
            db, Alert, ["open_key"], id=alert_id, contract_id=contract.id, terminal_id=terminal.id,
            vin=terminal.vin, type=kind.value, severity=severity_for(base, contract),
            status=Status.OPEN.value, open_key=_key(terminal.id, kind), opened_at=now, note="",
            region_code=region_code, detail={**detail, "base_severity": base},
        ).returning(Alert.id)
    )  # fmt: skip
    if result.scalar() is None:
        return None
    alert = await db.get(Alert, alert_id)
    assert alert is not None
    await audit.record(
        db, actor=None, action="monitoring.alert_opened", entity_type="contract",
        entity_id=contract.id, at=now,
        detail={"alert_id": alert_id, "type": kind.value, "severity": alert.severity,
                "vin": terminal.vin},
    )  # fmt: skip
    await _tell(db, "alert.opened", alert, now)
    return alert


async def condition_ended(
    db: AsyncSession, terminal_id: str, kind: AlertType, now: datetime, why: str
) -> None:
    """The condition is over: release the key (a new condition is a new alert), note when."""
    alert = await db.scalar(select(Alert).where(Alert.open_key == _key(terminal_id, kind)))
    if alert is None:
        return
    alert.open_key, alert.condition_ended_at = None, now
    alert.detail = {**alert.detail, "ended": why}
    await audit.record(
        db, actor=None, action="monitoring.alert_condition_ended", entity_type="contract",
        entity_id=alert.contract_id, at=now, detail={"alert_id": alert.id, "why": why},
    )  # fmt: skip


async def is_open(db: AsyncSession, terminal_id: str, kind: AlertType) -> bool:
    found = await db.scalar(select(Alert.id).where(Alert.open_key == _key(terminal_id, kind)))
    return found is not None


async def one(db: AsyncSession, alert_id: str) -> Alert:
    alert = await db.get(Alert, alert_id[:32])
    if alert is None:
        raise ALERT_NOT_FOUND
    return alert


async def _load(db: AsyncSession, alert_id: str) -> Alert:
    alert = await db.scalar(select(Alert).where(Alert.id == alert_id[:32]).with_for_update())
    if alert is None:
        raise ALERT_NOT_FOUND
    return alert


async def acknowledge(db: AsyncSession, alert_id: str, actor: Principal, now: datetime) -> Alert:
    alert = await _load(db, alert_id)
    if alert.status in (Status.RESOLVED.value, Status.FALSE_ALARM.value):
        raise CLOSED
    if alert.status == Status.OPEN.value:
        alert.status = Status.ACKNOWLEDGED.value
        alert.acknowledged_by, alert.acknowledged_at = actor.user_id, now
        await audit.record(
            db, actor=actor, action="monitoring.alert_acknowledged", entity_type="contract",
            entity_id=alert.contract_id, at=now, detail={"alert_id": alert.id},
        )  # fmt: skip
        await _tell(db, "alert.acknowledged", alert, now)
    return alert


async def resolve(
    db: AsyncSession, alert_id: str, outcome: str, note: str, actor: Principal, now: datetime
) -> Alert:
    if outcome not in (Status.RESOLVED.value, Status.FALSE_ALARM.value):
        raise DomainError(
            "alert_outcome_invalid", "处理结果须为已解决或误报",
            "outcome is resolved or false_alarm", fields={"outcome": "alert_outcome_invalid"},
        )  # fmt: skip
    if not note.strip():
        raise DomainError("alert_note_required", "请填写处理说明", "a note is required",
                          fields={"note": "required"})  # fmt: skip
    alert = await _load(db, alert_id)
    if alert.status in (Status.RESOLVED.value, Status.FALSE_ALARM.value):
        raise CLOSED
    alert.status, alert.note = outcome, note.strip()[:500]
    alert.resolved_by, alert.resolved_at = actor.user_id, now
    if alert.acknowledged_at is None:
        alert.acknowledged_by, alert.acknowledged_at = actor.user_id, now
    alert.open_key = None  # whatever still holds, a monitor has judged it: a new one may open
    await audit.record(
        db, actor=actor, action=f"monitoring.alert_{outcome}", entity_type="contract",
        entity_id=alert.contract_id, at=now, detail={"alert_id": alert.id, "note": alert.note},
    )  # fmt: skip
    await _tell(db, "alert.resolved", alert, now)
    return alert


async def listing(
    db: AsyncSession, *, contract_id: str | None, kind: str | None, status: str | None,
    severity: str | None, region: str | None, limit: int = 200,
) -> list[Alert]:  # fmt: skip
    q = select(Alert).order_by(Alert.opened_at.desc()).limit(limit)
    for column, value in ((Alert.contract_id, contract_id), (Alert.type, kind),
                          (Alert.status, status), (Alert.severity, severity)):  # fmt: skip
        if value:
            q = q.where(column == value)
    if region:
        q = q.where(Alert.region_code.startswith(region[:6]))
    return list(await db.scalars(q))


async def raise_for_overdue(db: AsyncSession, contract: Contract) -> None:
    """Servicing moved the contract's bucket: its vehicles' open alerts follow."""
    for alert in await db.scalars(select(Alert).where(
        Alert.contract_id == contract.id, Alert.open_key.is_not(None)
    )):  # fmt: skip
        base = alert.detail.get("base_severity", alert.severity)
        alert.severity = severity_for(base, contract)
