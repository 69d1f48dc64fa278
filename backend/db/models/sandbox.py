"""Tables of the sandbox providers: what they "sent", so the demo and the tests can read it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, UTCDateTime
from common.api import limits


class SmsOutboxMessage(IdMixin, Base):
    """An SMS the sandbox SMS provider accepted 短信发件箱. Mobile and text are AES-GCM encrypted
    (a text can hold a one-time code, a secret); `mobile_hash` finds a number's messages."""

    __tablename__ = "sms_outbox"
    mobile_hash: Mapped[str] = mapped_column(String(64), index=True)
    mobile_enc: Mapped[str] = mapped_column(String(limits.MOBILE_SEALED))
    text_enc: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(String(limits.OTP_PURPOSE))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
