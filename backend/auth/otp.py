"""One-time codes 短信验证码 sent by SMS, for any purpose: a lessee's sign-in (``lessee_login``),
signing a contract (``contract_sign:<contract id>``).

A mobile number has one live code per purpose, in one `otp_codes` row: issuing a new code
overwrites (supersedes) the old one. The code is six digits from `secrets`, kept only as a keyed
hash (HMAC-SHA256, key derived from ``settings.secret_key``) bound to the number and purpose; the
number is a keyed hash too. A code lives five minutes and takes at most five attempts.

Issuing is limited per number and purpose: one code a minute, five an hour (`CodeTooSoon`, 429
with Retry-After). One atomic ``INSERT .. ON CONFLICT DO UPDATE .. WHERE <allowed> RETURNING``
does the check, the count and the supersede, so concurrent requests cannot both pass.

Everything happens in the caller's transaction, with one exception: an attempt is counted
*before* the code is compared (an atomic guarded UPDATE, which also holds the row until the
transaction ends, so concurrent guesses queue), and a wrong code commits that count before it
raises, like a failed sign-in keeps its place in the login throttle. Call `verify` before
writing anything a failed verification must not keep.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.base import new_id
from backend.db.models import OneTimeCode
from backend.providers import ProviderUnavailable
from backend.providers.sms import SmsSender
from backend.settings import Settings
from common.errors import DomainError

CODE_TTL = timedelta(minutes=5)
MAX_ATTEMPTS = 5
RESEND_AFTER = timedelta(seconds=60)
WINDOW = timedelta(hours=1)
MAX_PER_WINDOW = 5
SWEEP_ROWS = 500

OTP_INVALID = DomainError("otp_invalid", "验证码不正确", "The code is not right")
OTP_EXPIRED = DomainError("otp_expired", "验证码已过期，请重新获取", "The code has expired")
OTP_USED = DomainError("otp_used", "验证码已使用，请重新获取", "The code was already used")
OTP_LOCKED = DomainError(
    "otp_locked", "验证码错误次数过多，请重新获取", "Too many wrong tries; ask for a new code"
)
SMS_UNAVAILABLE = DomainError(
    "sms_unavailable", "短信发送失败，请稍后再试", "The SMS could not be sent", status=503
)

# What the message says the code is for, by purpose (prefix before ":").
_USES = {"lessee_login": "登录", "contract_sign": "签署合同"}  # a lease, or a financing


class CodeTooSoon(DomainError):
    """A code for this number and purpose was sent too recently (answered with Retry-After)."""

    status = 429

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(
            "otp_too_soon",
            "验证码发送过于频繁，请稍后再试",
            "A code was sent too recently; try again later",
        )
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class CheckedCode:
    """A code found right; `consume` marks it used (in the caller's transaction)."""

    id: str


def sms_text(purpose: str, code: str) -> str:
    use = _USES.get(purpose.split(":", 1)[0], "身份验证")
    return f"【AutoLease】您的验证码为 {code}，用于{use}，5分钟内有效。请勿将验证码告诉他人。"


class OneTimeCodes:
    """The codes of one deployment (its key); one per worker, injected into handlers as `otp`."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    def for_settings(cls, settings: Settings) -> OneTimeCodes:
        return cls(hashlib.sha256(b"otp-codes:" + settings.secret_key.encode()).digest())

    def _hash(self, *parts: str) -> str:
        return hmac.new(self._key, "\x00".join(parts).encode(), hashlib.sha256).hexdigest()

    def mobile_hash(self, mobile: str) -> str:
        return self._hash("otp.mobile", mobile)

    def _code_hash(self, mobile_hash: str, purpose: str, code: str) -> str:
        return self._hash("otp.code", mobile_hash, purpose, code)

    async def issue(
        self, db: AsyncSession, sms: SmsSender, *, mobile: str, purpose: str, now: datetime
    ) -> None:
        """Sends a new code to `mobile` (bare 11 digits) for `purpose`, superseding the live one.
        Raises CodeTooSoon (429) within a minute of the last code or after five in the hour,
        SMS_UNAVAILABLE (503) when the gateway does not take the message."""
        code = f"{secrets.randbelow(10**6):06d}"
        mobile_hash = self.mobile_hash(mobile)
        dialect = db.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(OneTimeCode).values(
            id=new_id(),
            purpose=purpose,
            mobile_hash=mobile_hash,
            code_hash=self._code_hash(mobile_hash, purpose, code),
            issued_at=now,
            expires_at=now + CODE_TTL,
            attempts=0,
            used_at=None,
            window_ends=now + WINDOW,
            issued_in_window=1,
        )
        window_over = OneTimeCode.window_ends <= now
        upsert = stmt.on_conflict_do_update(
            index_elements=["mobile_hash", "purpose"],
            set_={
                "code_hash": stmt.excluded.code_hash,
                "issued_at": stmt.excluded.issued_at,
                "expires_at": stmt.excluded.expires_at,
                "attempts": 0,
                "used_at": None,
                "window_ends": case(
                    (window_over, stmt.excluded.window_ends), else_=OneTimeCode.window_ends
                ),
                "issued_in_window": case((window_over, 1), else_=OneTimeCode.issued_in_window + 1),
            },
            where=and_(
                OneTimeCode.issued_at <= now - RESEND_AFTER,
                or_(window_over, OneTimeCode.issued_in_window < MAX_PER_WINDOW),
            ),
        ).returning(OneTimeCode.id)
        if (await db.execute(upsert)).scalar_one_or_none() is None:
            raise CodeTooSoon(await self._wait_s(db, mobile_hash, purpose, now))
        try:
            await sms.send(mobile, sms_text(purpose, code), purpose=purpose)
        except ProviderUnavailable as exc:
            raise SMS_UNAVAILABLE from exc
        await self._sweep(db, now)

    async def _wait_s(self, db: AsyncSession, mobile_hash: str, purpose: str, now: datetime) -> int:
        row = await db.scalar(
            select(OneTimeCode)
            .where(OneTimeCode.mobile_hash == mobile_hash, OneTimeCode.purpose == purpose)
            .execution_options(populate_existing=True)
        )
        if row is None:  # swept between the two statements: as if just sent
            return math.ceil(RESEND_AFTER.total_seconds())
        waits = [row.issued_at + RESEND_AFTER - now]
        if row.issued_in_window >= MAX_PER_WINDOW:
            waits.append(row.window_ends - now)
        return max(1, math.ceil(max(waits).total_seconds()))

    async def _sweep(self, db: AsyncSession, now: datetime) -> None:
        """Rows with neither a live code nor a running window hold nothing: drop a few."""
        spent = (
            select(OneTimeCode.id)
            .where(OneTimeCode.window_ends <= now, OneTimeCode.expires_at <= now)
            .limit(SWEEP_ROWS)
            .with_for_update(skip_locked=True)
        )
        await db.execute(delete(OneTimeCode).where(OneTimeCode.id.in_(spent.scalar_subquery())))

    async def check(
        self, db: AsyncSession, *, mobile: str, purpose: str, code: str, now: datetime
    ) -> CheckedCode:
        """Counts an attempt, then compares in constant time. Wrong: the attempt is committed and
        OTP_INVALID raised (OTP_LOCKED on the fifth). Dead codes: OTP_USED, OTP_LOCKED,
        OTP_EXPIRED; no code at all: OTP_INVALID. Right: nothing is marked yet (`consume`)."""
        mobile_hash = self.mobile_hash(mobile)
        taken = (
            await db.execute(
                update(OneTimeCode)
                .where(
                    OneTimeCode.mobile_hash == mobile_hash,
                    OneTimeCode.purpose == purpose,
                    OneTimeCode.used_at.is_(None),
                    OneTimeCode.attempts < MAX_ATTEMPTS,
                    OneTimeCode.expires_at > now,
                )
                .values(attempts=OneTimeCode.attempts + 1)
                .returning(OneTimeCode.id, OneTimeCode.code_hash, OneTimeCode.attempts)
                .execution_options(synchronize_session=False)
            )
        ).first()
        if taken is None:
            raise await self._why_dead(db, mobile_hash, purpose)
        row_id, code_hash, attempts = taken
        given = self._code_hash(mobile_hash, purpose, code)
        if not hmac.compare_digest(given, code_hash):
            await db.commit()  # kept although the request then fails: the attempt must count
            raise OTP_LOCKED if attempts >= MAX_ATTEMPTS else OTP_INVALID
        return CheckedCode(row_id)

    async def _why_dead(self, db: AsyncSession, mobile_hash: str, purpose: str) -> DomainError:
        row = await db.scalar(
            select(OneTimeCode)
            .where(OneTimeCode.mobile_hash == mobile_hash, OneTimeCode.purpose == purpose)
            .execution_options(populate_existing=True)
        )
        if row is None:
            return OTP_INVALID
        if row.used_at is not None:
            return OTP_USED
        if row.attempts >= MAX_ATTEMPTS:
            return OTP_LOCKED
        return OTP_EXPIRED

    async def consume(self, db: AsyncSession, checked: CheckedCode, now: datetime) -> None:
        """Marks a checked code used. The check's UPDATE holds the row to the transaction's end,
        so no other request can use it meanwhile."""
        await db.execute(
            update(OneTimeCode)
            .where(OneTimeCode.id == checked.id)
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )

    async def verify(
        self, db: AsyncSession, *, mobile: str, purpose: str, code: str, now: datetime
    ) -> None:
        """`check`, then `consume`: the code is spent with the caller's transaction."""
        checked = await self.check(db, mobile=mobile, purpose=purpose, code=code, now=now)
        await self.consume(db, checked, now)


async def forget_expired_codes(db: AsyncSession, now: datetime) -> int:
    """Delete codes past their expiry whose sending window is over too (a row that still counts
    the hour's codes limits how often the number is sent one: it stays until its window ends)."""
    gone = await db.execute(
        delete(OneTimeCode).where(OneTimeCode.expires_at <= now, OneTimeCode.window_ends <= now)
    )
    return int(getattr(gone, "rowcount", 0) or 0)
