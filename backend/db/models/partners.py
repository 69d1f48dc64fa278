"""Tables of partner notification 合作方通知: the logistics companies and insurers of a contract
(organisations of kind logistics / insurer), their webhook endpoints, the outbox of deliveries
with every attempt, the SMS to their named contacts, and the demo receiver's inbox.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, TimestampMixin, UTCDateTime
from common.api import limits

URL = 2000  # characters of an endpoint URL
EVENT_ID = 64
EVENT_TYPE = 100
SECRET_SEALED = 200  # base64 AES-GCM of a 46-character whsec_ secret
ERROR = 300  # the detail of the last error (its code has a column of its own)
CONTACT_NAME_BYTES = 272  # as customers' names: 90 Chinese characters


class WebhookEndpoint(IdMixin, TimestampMixin, Base):
    """Where a partner organisation takes deliveries. The secret is sealed (backend.security.pii,
    context ``webhook_endpoint.secret``); after a rotation the previous one still signs, as a
    second ``v1``, until `previous_secret_expires_at`."""

    __tablename__ = "webhook_endpoints"
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    url: Mapped[str] = mapped_column(String(URL))
    description: Mapped[str] = mapped_column(String(200), default="")
    secret_enc: Mapped[str] = mapped_column(String(SECRET_SEALED))
    previous_secret_enc: Mapped[str | None] = mapped_column(String(SECRET_SEALED))
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    secret_rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    event_types: Mapped[list[str]] = mapped_column(JSON)  # "alert.opened", "alert.*", ...
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ContractPartner(IdMixin, TimestampMixin, Base):
    """A contract's logistics company or insurer (one per role) and its named contact, whose
    name and mobile are sealed like a customer's; the contact is texted for `sms_event_types`."""

    __tablename__ = "contract_partners"
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # common.api.partners.PartnerRole
    contact_name_enc: Mapped[str] = mapped_column(String(limits.NAME_SEALED))
    contact_mobile_enc: Mapped[str] = mapped_column(String(limits.MOBILE_SEALED))
    sms_event_types: Mapped[list[str]] = mapped_column(JSON)
    __table_args__ = (UniqueConstraint("contract_id", "role"),)


class WebhookDelivery(IdMixin, Base):
    """One event for one endpoint 推送记录, enqueued once (unique endpoint, event id) in the
    transaction of what caused it. `status` pending | delivered | failed | gave_up; a worker
    claims a due row by setting `claim_token` and `locked_until` (its lease), sends, and writes
    the outcome only while the token is still its own."""

    __tablename__ = "webhook_deliveries"
    endpoint_id: Mapped[str] = mapped_column(ForeignKey("webhook_endpoints.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    event_id: Mapped[str] = mapped_column(String(EVENT_ID), index=True)
    event_type: Mapped[str] = mapped_column(String(EVENT_TYPE))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # in the current schedule
    total_attempts: Mapped[int] = mapped_column(Integer, default=0)  # manual retries included
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claim_token: Mapped[str | None] = mapped_column(String(32))
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error_code: Mapped[str | None] = mapped_column(String(40))
    last_error: Mapped[str | None] = mapped_column(String(ERROR))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )


class WebhookAttempt(IdMixin, Base):
    """One attempt to send a delivery: what came back (a status code) or what stopped it."""

    __tablename__ = "webhook_attempts"
    delivery_id: Mapped[str] = mapped_column(ForeignKey("webhook_deliveries.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # the delivery's total_attempts at the time
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_ms: Mapped[int] = mapped_column(Integer)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error_code: Mapped[str | None] = mapped_column(String(40))
    error: Mapped[str | None] = mapped_column(String(ERROR))
    __table_args__ = (UniqueConstraint("delivery_id", "number"),)


class PartnerSms(IdMixin, Base):
    """The SMS to a contract partner's contact for one event: unique, so it is sent once."""

    __tablename__ = "partner_sms"
    contract_partner_id: Mapped[str] = mapped_column(
        ForeignKey("contract_partners.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[str] = mapped_column(String(EVENT_ID))
    event_type: Mapped[str] = mapped_column(String(EVENT_TYPE))
    status: Mapped[str] = mapped_column(String(10))  # sent | failed
    message_id: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    __table_args__ = (UniqueConstraint("contract_partner_id", "event_id"),)


class DemoWebhookReceipt(IdMixin, Base):
    """What the demo receiver (`POST /api/demo/webhook-receiver/{name}`) got, and whether its
    signature verified with the endpoint's secret. Demo only: the route exists in demo mode."""

    __tablename__ = "demo_webhook_receipts"
    name: Mapped[str] = mapped_column(String(40), index=True)
    event_id: Mapped[str | None] = mapped_column(String(EVENT_ID))
    event_type: Mapped[str | None] = mapped_column(String(EVENT_TYPE))
    signature: Mapped[str | None] = mapped_column(String(1024))
    verified: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)  # as received, at most the receiver's cap
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
