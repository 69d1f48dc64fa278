"""SMS 短信: the interface every sender implements, and the sandbox that keeps an outbox.

A real gateway (Aliyun SMS, Tencent Cloud SMS, ...) is a class with the same `send` plus one line
in `SMS_SENDERS` under its ``AUTOLEASE_PROVIDERS`` name. The sandbox "sends" by writing the
message to `sms_outbox` in the caller's transaction, the way an outbox that a delivery job drains
would: a request that fails sends nothing. Mobile and text are encrypted at rest (a text can hold
a one-time code); `latest` reads a number's messages back for the demo and the browser tests
(``GET /api/sandbox/sms``, served only with the sandbox providers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.clock import Clock, system_clock
from backend.db.base import new_id
from backend.db.models import SmsOutboxMessage
from backend.providers.base import SandboxBehaviour
from backend.security.pii import PiiCipher
from common.api import limits

MOBILE_CONTEXT = "sms.mobile"
TEXT_CONTEXT = "sms.text"


@runtime_checkable  # handlers receive it by injection, which checks the type
class SmsSender(Protocol):
    async def send(self, mobile: str, text: str, *, purpose: str) -> str:
        """Hands one message to the gateway; returns its message id. `mobile` is the bare 11
        digits; `purpose` says what it is for (``lessee_invite``, ``lessee_login``, ...).
        Raises ProviderUnavailable when the gateway does not take it."""
        ...


# A sender for one request: the sandbox writes with the request's session; a real gateway
# ignores it.
SmsSenderFactory = Callable[[AsyncSession], SmsSender]


class SandboxSms:
    def __init__(
        self,
        db: AsyncSession,
        pii: PiiCipher,
        behaviour: SandboxBehaviour,
        clock: Clock = system_clock,
    ) -> None:
        self.db = db
        self.pii = pii
        self.behaviour = behaviour
        self.clock = clock

    async def send(self, mobile: str, text: str, *, purpose: str) -> str:
        if len(text) > limits.SMS_TEXT or len(purpose) > limits.OTP_PURPOSE:
            raise ValueError("an SMS text or purpose over its limit")
        await self.behaviour.call("sms", mobile)  # the gateway's latency and outages
        message = SmsOutboxMessage(
            id=new_id(),
            mobile_hash=self.pii.lookup_hash(mobile, context=MOBILE_CONTEXT),
            mobile_enc=self.pii.encrypt(mobile, context=MOBILE_CONTEXT),
            text_enc=self.pii.encrypt(text, context=TEXT_CONTEXT),
            purpose=purpose,
            sent_at=self.clock(),
        )
        self.db.add(message)
        await self.db.flush()
        return message.id


class DiscardingSms:
    """Takes a message and sends it nowhere: used where the answer must not tell whether anyone
    would have received it (a sign-in code asked for a number with no account)."""

    async def send(self, mobile: str, text: str, *, purpose: str) -> str:
        return new_id()


@dataclass(frozen=True)
class SentSms:
    id: str
    text: str  # in clear: only ever shown by the sandbox
    purpose: str
    sent_at: datetime


async def latest(db: AsyncSession, pii: PiiCipher, mobile: str, limit: int = 10) -> list[SentSms]:
    """The sandbox's newest messages to `mobile`, newest first."""
    rows = await db.scalars(
        select(SmsOutboxMessage)
        .where(SmsOutboxMessage.mobile_hash == pii.lookup_hash(mobile, context=MOBILE_CONTEXT))
        .order_by(SmsOutboxMessage.sent_at.desc(), SmsOutboxMessage.id)
        .limit(limit)
    )
    return [
        SentSms(m.id, pii.decrypt(m.text_enc, context=TEXT_CONTEXT), m.purpose, m.sent_at)
        for m in rows
    ]
