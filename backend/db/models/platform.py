"""Tables of the platform: organisations, users, sessions, audit chain, idempotency records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.db.base import Base, IdMixin, TimestampMixin, UTCDateTime, utcnow
from common.api import limits


class Organisation(IdMixin, TimestampMixin, Base):
    __tablename__ = "organisations"
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # common.api.auth.OrganisationKind
    region_code: Mapped[str | None] = mapped_column(String(limits.REGION_CODE))


class User(IdMixin, TimestampMixin, Base):
    """An account. A lessee invited by SMS (backend/auth/lessees.py) is bound to its customer,
    signs in with a one-time code sent to `mobile_*` (encrypted; found by keyed hash) and has no
    usable password; its first sign-in proves the ID number and sets `bound_at`."""

    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(limits.USERNAME), unique=True)
    display_name: Mapped[str] = mapped_column(String(limits.DISPLAY_NAME))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # common.api.auth.Role
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"))
    mobile_enc: Mapped[str | None] = mapped_column(String(limits.MOBILE_SEALED))
    mobile_hash: Mapped[str | None] = mapped_column(String(64))
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    bound_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    organisation: Mapped[Organisation] = relationship(lazy="raise")  # load it explicitly
    # Unique where set (NULLs never collide): one account per customer and per mobile number.
    __table_args__ = (
        Index("ix_users_customer_id", "customer_id", unique=True),
        Index("ix_users_mobile_hash", "mobile_hash", unique=True),
    )


class AuthSession(IdMixin, Base):
    """One sign-in. Access tokens name it; logout or refresh reuse revokes it."""

    __tablename__ = "auth_sessions"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    refresh_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RetiredRefreshToken(Base):
    """A refresh token that was rotated away: presenting it again revokes its whole session."""

    __tablename__ = "auth_refresh_retired"
    refresh_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(
        ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True
    )
    retired_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LoginThrottle(Base):
    """Sign-in attempts in a fixed window, one counter row per bucket, shared by every worker.

    `key` is a keyed hash (never the typed username or the address) of the bucket: an account
    from one client address, one client address across usernames, or an account from anywhere.
    """

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    scope: Mapped[str] = mapped_column(String(20))  # account_address | address | account
    attempts: Mapped[int] = mapped_column(Integer)
    window_ends: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class OneTimeCode(IdMixin, Base):
    """The live one-time code 短信验证码 of one mobile number for one purpose (a lessee's sign-in,
    signing a contract): issuing a new one overwrites it. Only a keyed hash of the code is kept;
    `mobile_hash` is keyed too. The row also counts the codes issued in the current hour's
    window (`window_ends`), which limits how often a number can be sent one."""

    __tablename__ = "otp_codes"
    purpose: Mapped[str] = mapped_column(String(limits.OTP_PURPOSE))
    mobile_hash: Mapped[str] = mapped_column(String(64))
    code_hash: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    window_ends: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    issued_in_window: Mapped[int] = mapped_column(Integer)
    __table_args__ = (UniqueConstraint("mobile_hash", "purpose"),)


class SpentUploadToken(Base):
    """An upload URL's token, spent by its first successful upload (written with the photo)."""

    __tablename__ = "upload_tokens_spent"
    jti: Mapped[str] = mapped_column(String(32), primary_key=True)
    application_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(30))
    spent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AuditEvent(Base):
    """Append-only. Writers insert (``seq`` comes from the database, gaps possible, no lock); the
    sequencer then links each event into the chain: ``position`` 1, 2, 3 ... and
    hash = H(prev_hash, position, fields). Never updated after linking, never deleted."""

    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[str | None] = mapped_column(String(32))
    actor_role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(60))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    before_digest: Mapped[str | None] = mapped_column(String(64))
    after_digest: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON, no PII
    position: Mapped[int | None] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), unique=True
    )
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    __table_args__ = (Index("ix_audit_events_entity", "entity_type", "entity_id"),)


class AuditHead(Base):
    """The chain's tip, written only by the sequencer (appenders never touch it), so a truncated
    tail shows."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))  # position
    hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """A signed statement "the chain had this head at this position" (Ed25519, key from
    settings); published so anyone holding the public key can check the log was not rewritten."""

    __tablename__ = "audit_checkpoints"
    position: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    head_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(String(100))  # base64url Ed25519 signature


class IdempotencyRecord(IdMixin, Base):
    """The first answer to a (user, Idempotency-Key); replayed for the same body, 409 otherwise."""

    __tablename__ = "idempotency_records"
    user_id: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(String(200))  # method and route
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    __table_args__ = (UniqueConstraint("user_id", "key"),)
