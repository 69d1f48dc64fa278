"""The delivery outbox 推送发件箱: events enqueued in the caller's transaction, claimed by one
worker at a time, their outcomes recorded with the retry schedule (common.webhooks).

`enqueue` writes one `webhook_deliveries` row per active endpoint of the contract's partners that
subscribes to the event (unique per endpoint and event id: enqueuing an event again adds
nothing) and texts the partners' named contacts through the SMS sender (once per contact and
event, `partner_sms`). A monitoring alert calls it in the transaction that opens the alert, so a
rolled-back alert notifies no one.

A worker `claim`s due rows: on PostgreSQL it locks them (``FOR UPDATE SKIP LOCKED``: two workers
never pick the same row), on SQLite the one writer serialises the claim; either way the claim is
a conditional UPDATE that sets a fresh `claim_token` and a lease (`locked_until`), so a row is
sent by one worker per lease. The outcome is written only under that token (`record`): a worker
that outlived its lease writes nothing over a newer claim.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import msgspec
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.base import new_id
from backend.db.models import (
    Contract,
    ContractPartner,
    PartnerSms,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from backend.db.models.partners import ERROR
from backend.db.upsert import upsert_ignore
from backend.partners import keys
from backend.partners.sender import Outcome
from backend.providers.base import ProviderUnavailable
from backend.providers.sms import SmsSender
from backend.security.pii import PiiCipher
from common import webhooks
from common.api.partners import DeliveryStatus

MAX_PAYLOAD_BYTES = 64 * 1024
DUE = (DeliveryStatus.PENDING.value, DeliveryStatus.FAILED.value)
CONTACT_MOBILE = "contract_partner.contact_mobile"
CONTACT_NAME = "contract_partner.contact_name"
SMS_PURPOSE = "partner_alert"
_LABELS = {
    "alert.opened": "车辆预警",
    "alert.acknowledged": "预警已受理",
    "alert.resolved": "预警已解除",
}


def _check_event(event_type: str, event_id: str, payload: Mapping[str, Any]) -> bytes:
    if not webhooks.EVENT_TYPE.match(event_type) or len(event_type) > 100:
        raise ValueError(f"not an event type: {event_type!r}")
    if not 1 <= len(event_id) <= 64 or not event_id.isascii() or not event_id.isprintable():
        raise ValueError("an event id is 1-64 printable ASCII characters")
    encoded = msgspec.json.encode(payload)
    if len(encoded) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"an event payload is at most {MAX_PAYLOAD_BYTES} bytes")
    return encoded


def sms_text(event_type: str, contract_number: str, event_id: str) -> str:
    label = _LABELS.get(event_type, event_type)
    return (
        f"【安租融资租赁】{label}：合同{contract_number}的租赁车辆有新的监控事件"
        f"（{event_type}，编号{event_id[:16]}），详情已推送至贵司系统，如有疑问请联系租后管理。"
    )


async def enqueue(
    db: AsyncSession,
    event_type: str,
    event_id: str,
    contract_id: str,
    payload: Mapping[str, Any],
    now: datetime,
    *,
    pii: PiiCipher,
    sms: SmsSender,
) -> list[str]:
    """Enqueue ``event_type`` (e.g. ``alert.opened``) for the partners of ``contract_id``, in the
    caller's transaction. Returns the ids of the deliveries this call added (none when the event
    was enqueued before). ValueError for a malformed event (a programming error, not input)."""
    _check_event(event_type, event_id, payload)
    partners = list(
        await db.scalars(select(ContractPartner).where(ContractPartner.contract_id == contract_id))
    )
    if not partners:
        return []
    endpoints = await db.scalars(
        select(WebhookEndpoint)
        .where(
            WebhookEndpoint.organisation_id.in_({p.organisation_id for p in partners}),
            WebhookEndpoint.active.is_(True),
        )
        .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
    )
    added: list[str] = []
    for endpoint in endpoints:
        if not webhooks.subscribed(endpoint.event_types, event_type):
            continue
        stmt = upsert_ignore(
            db, WebhookDelivery, ["endpoint_id", "event_id"],
            id=new_id(), endpoint_id=endpoint.id, organisation_id=endpoint.organisation_id,
            contract_id=contract_id, event_id=event_id, event_type=event_type,
            payload=dict(payload), status=DeliveryStatus.PENDING.value, attempts=0,
            total_attempts=0, next_attempt_at=now, created_at=now,
        ).returning(WebhookDelivery.id)  # fmt: skip
        inserted = (await db.execute(stmt)).scalar_one_or_none()
        if inserted is not None:
            added.append(inserted)
    texted = [p for p in partners if webhooks.subscribed(p.sms_event_types, event_type)]
    if texted:
        number = await db.scalar(select(Contract.number).where(Contract.id == contract_id))
        for partner in texted:
            await _text(db, pii, sms, partner, event_type, event_id, number or contract_id, now)
    return added


async def _text(
    db: AsyncSession, pii: PiiCipher, sms: SmsSender, partner: ContractPartner,
    event_type: str, event_id: str, contract_number: str, now: datetime,
) -> None:  # fmt: skip
    stmt = upsert_ignore(
        db, PartnerSms, ["contract_partner_id", "event_id"],
        id=new_id(), contract_partner_id=partner.id, event_id=event_id, event_type=event_type,
        status="sending", at=now,
    ).returning(PartnerSms.id)  # fmt: skip
    row_id = (await db.execute(stmt)).scalar_one_or_none()
    if row_id is None:
        return  # this contact was texted for this event already
    mobile = pii.decrypt(partner.contact_mobile_enc, context=CONTACT_MOBILE)
    try:
        message_id: str | None = await sms.send(
            mobile, sms_text(event_type, contract_number, event_id), purpose=SMS_PURPOSE
        )
        status = "sent"
    except ProviderUnavailable:
        message_id, status = None, "failed"  # the webhook still goes; the log says so
    await db.execute(
        update(PartnerSms)
        .where(PartnerSms.id == row_id)
        .values(status=status, message_id=message_id)
        .execution_options(synchronize_session=False)
    )


# -- claiming and recording --------------------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    """A delivery one worker holds until `locked_until`: what to send and where."""

    delivery_id: str
    token: str
    url: str
    event_id: str
    event_type: str
    body: bytes
    secrets: list[str]


def body_of(d: WebhookDelivery) -> bytes:
    """The JSON body partners receive (the same bytes on every attempt)."""
    envelope = {
        "id": d.event_id,
        "type": d.event_type,
        "created_at": d.created_at.isoformat().replace("+00:00", "Z"),
        "contract_id": d.contract_id,
        "data": d.payload,
    }
    return msgspec.json.encode(envelope)


def _due(now: datetime) -> Any:
    """Due, not held by a worker, and for an endpoint that is active (a switched-off endpoint's
    deliveries wait, pending, until it is switched on again)."""
    active = select(WebhookEndpoint.id).where(WebhookEndpoint.active.is_(True))
    return (
        WebhookDelivery.status.in_(DUE),
        WebhookDelivery.next_attempt_at <= now,
        or_(WebhookDelivery.locked_until.is_(None), WebhookDelivery.locked_until <= now),
        WebhookDelivery.endpoint_id.in_(active.scalar_subquery()),
    )


async def claim(
    db: AsyncSession, pii: PiiCipher, now: datetime, *, limit: int, lease: timedelta
) -> list[Claimed]:
    """Claims up to ``limit`` due deliveries for this worker, in the caller's transaction (commit
    it before sending). Each claim counts as an attempt."""
    ids = list(
        await db.scalars(
            select(WebhookDelivery.id)
            .where(*_due(now))
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if not ids:
        return []
    token = new_id()
    taken = set(
        await db.scalars(
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_(ids), *_due(now))
            .values(
                claim_token=token,
                locked_until=now + lease,
                attempts=WebhookDelivery.attempts + 1,
                total_attempts=WebhookDelivery.total_attempts + 1,
                last_attempt_at=now,
            )
            .returning(WebhookDelivery.id)
            .execution_options(synchronize_session=False)
        )
    )
    rows = await db.execute(
        select(WebhookDelivery, WebhookEndpoint)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(WebhookDelivery.id.in_(taken), WebhookDelivery.claim_token == token)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .execution_options(populate_existing=True)
    )
    return [
        Claimed(d.id, token, e.url, d.event_id, d.event_type, body_of(d),
                keys.signing_secrets(pii, e, now))
        for d, e in rows
    ]  # fmt: skip


def headers_for(c: Claimed, t: int) -> dict[str, str]:
    return {
        webhooks.SIGNATURE_HEADER: webhooks.signature_header(c.secrets, t, c.body),
        webhooks.EVENT_ID_HEADER: c.event_id,
        webhooks.EVENT_TYPE_HEADER: c.event_type,
    }


async def record(
    db: AsyncSession, c: Claimed, outcome: Outcome, now: datetime, jitter_unit: float
) -> str | None:
    """Writes an attempt's outcome and the delivery's next state under the worker's claim;
    returns the new status, or None when the claim was lost (nothing written)."""
    d = await db.scalar(
        select(WebhookDelivery)
        .where(WebhookDelivery.id == c.delivery_id, WebhookDelivery.claim_token == c.token)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if d is None:
        return None
    db.add(
        WebhookAttempt(
            delivery_id=d.id, number=d.total_attempts, at=now, duration_ms=outcome.duration_ms,
            status_code=outcome.status_code, error_code=outcome.error_code,
            error=(outcome.error or None) and outcome.error[:ERROR],
        )
    )  # fmt: skip
    d.last_status_code = outcome.status_code
    d.last_error_code = outcome.error_code
    d.last_error = outcome.error[:ERROR] if outcome.error else None
    d.claim_token, d.locked_until = None, None
    if outcome.delivered:
        d.status, d.delivered_at, d.next_attempt_at = DeliveryStatus.DELIVERED.value, now, None
    else:
        wait = webhooks.retry_delay_s(d.attempts, jitter_unit)
        if wait is None:
            d.status, d.next_attempt_at = DeliveryStatus.GAVE_UP.value, None
        else:
            d.status = DeliveryStatus.FAILED.value
            d.next_attempt_at = now + timedelta(seconds=wait)
    await db.flush()
    return d.status
