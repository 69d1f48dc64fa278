"""Alerts' events to the contract's partners (the logistics company, the insurer): each
`alert.opened` / `alert.acknowledged` / `alert.resolved` is enqueued in the alert's own
transaction (`backend.partners.outbox.enqueue`: signed webhooks from the outbox, SMS to the named
contacts), so a partner hears of exactly the alerts that were committed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Alert
from backend.monitoring import alerts
from backend.partners import outbox
from backend.providers.sms import SmsSenderFactory
from backend.security.pii import PiiCipher


def payload(event: str, alert: Alert) -> dict[str, object]:
    d = alert.detail or {}
    return {
        "event": event, "alert_id": alert.id, "contract_id": alert.contract_id,
        "vin": alert.vin, "type": alert.type, "severity": alert.severity,
        "status": alert.status, "opened_at": alert.opened_at.isoformat(),
        "reasons": list(d.get("reasons", [])), "lat": d.get("lat"), "lon": d.get("lon"),
        "note": alert.note,
    }  # fmt: skip


def install(pii: PiiCipher, sms_for: SmsSenderFactory) -> None:
    """The app's partner listener (replacing any an earlier app in this process set)."""

    async def tell(db: AsyncSession, event: str, alert: Alert, now: datetime) -> None:
        await outbox.enqueue(db, event, f"{alert.id}:{event.split('.')[-1]}", alert.contract_id,
                             payload(event, alert), now, pii=pii, sms=sms_for(db))  # fmt: skip

    alerts.listeners[:] = [tell]
