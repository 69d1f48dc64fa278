"""Lessee accounts 承租人账户: invited by SMS once the application is approved, signed in with a
one-time code sent to the invited number.

A lessee `User` is bound to its `Customer` (one account per customer, one per mobile number),
belongs to the lessor's organisation and has no usable password. Its first sign-in also asks
the last six characters of the customer's ID number (compared in constant time with the
decrypted number) and records `bound_at`; later sign-ins need only the code. Asking for a code
answers the same whatever the number (no account enumeration): a number without an account
still takes its place in the code limits, but its message goes nowhere.
"""

from __future__ import annotations

import hmac
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from backend.auth import service
from backend.auth.otp import MAX_ATTEMPTS, OTP_INVALID, OTP_LOCKED, OneTimeCodes
from backend.db.models import Customer, OneTimeCode, Organisation, User
from backend.providers.sms import DiscardingSms, SmsSender
from backend.security.pii import PiiCipher
from backend.settings import Settings
from common.api.auth import OrganisationKind, Role, TokenPair
from common.errors import Conflict, DomainError
from common.identity import validate_mobile

LOGIN_PURPOSE = "lessee_login"
INVITE_PURPOSE = "lessee_invite"
MOBILE_CONTEXT = "lessee.mobile"
# Not an argon2 hash: no password ever verifies against it (backend.security.passwords).
NO_PASSWORD = "!lessee-signs-in-by-sms"  # noqa: S105

IDENTITY_REQUIRED = DomainError(
    "identity_required",
    "首次登录请输入身份证号码后六位",
    "First sign-in: enter the last six characters of your ID number",
)
IDENTITY_MISMATCH = DomainError(
    "identity_mismatch", "身份证号码后六位不正确", "The last six characters of the ID do not match"
)
MOBILE_IN_USE = Conflict(
    "lessee_mobile_in_use",
    "该手机号已绑定其他承租人账户",
    "This mobile number belongs to another lessee's account",
)
NO_LESSOR = Conflict("lessor_missing", "系统未配置租赁公司", "No lessor organisation is set up")


def invitation_text(app_url: str) -> str:
    return (
        f"【AutoLease】您的融资租赁申请已通过，请登录 AutoLease 签署合同：{app_url} "
        "选择“手机验证码登录”，使用本手机号获取验证码。"
    )


def lessee_mobile(pii: PiiCipher, user: User) -> str | None:
    """The number a lessee's codes go to (e.g. to sign a contract), in clear; never shown."""
    return pii.decrypt(user.mobile_enc, context=MOBILE_CONTEXT) if user.mobile_enc else None


def _mobile(raw: str) -> str:
    check = validate_mobile(raw)
    if not check.valid:
        raise DomainError("mobile_invalid", "手机号码格式不正确", "Not a mainland mobile number")
    return check.value


async def _lessor_id(db: AsyncSession) -> str:
    lessor = await db.scalar(
        select(Organisation.id)
        .where(Organisation.kind == OrganisationKind.LESSOR.value)
        .order_by(Organisation.created_at, Organisation.id)
        .limit(1)
    )
    if lessor is None:
        raise NO_LESSOR
    return lessor


async def invite_lessee(
    db: AsyncSession,
    sms: SmsSender,
    pii: PiiCipher,
    *,
    customer: Customer,
    mobile: str,
    now: datetime,
    app_url: str,
) -> User:
    """The customer's lessee account, created on the first invitation, and an SMS inviting
    them to sign in at `app_url` (``settings.app_url``). Inviting again re-sends; with another
    number, the account moves to it and the next sign-in proves the identity again. A number
    that belongs to another lessee's account: 409 ``lessee_mobile_in_use``."""
    mobile = _mobile(mobile)
    mobile_hash = pii.lookup_hash(mobile, context=MOBILE_CONTEXT)
    holder = await db.scalar(select(User).where(User.mobile_hash == mobile_hash))
    user = await db.scalar(select(User).where(User.customer_id == customer.id))
    if holder is not None and (user is None or holder.id != user.id):
        raise MOBILE_IN_USE
    if user is None:
        user = User(
            username=f"lessee:{customer.id}",
            display_name=customer.name_masked,
            password_hash=NO_PASSWORD,
            role=Role.LESSEE.value,
            organisation_id=await _lessor_id(db),
            customer_id=customer.id,
        )
        db.add(user)
    bind(pii, user, customer, mobile, now)
    await db.flush()
    await sms.send(mobile, invitation_text(app_url), purpose=INVITE_PURPOSE)
    return user


def bind(pii: PiiCipher, user: User, customer: Customer, mobile: str, now: datetime) -> None:
    """Binds a lessee account to its customer and (bare, valid) mobile number, as invited now;
    a new number (or customer) makes the next sign-in prove the identity again."""
    mobile_hash = pii.lookup_hash(mobile, context=MOBILE_CONTEXT)
    if user.mobile_hash != mobile_hash or user.customer_id != customer.id:
        user.mobile_enc = pii.encrypt(mobile, context=MOBILE_CONTEXT)
        user.mobile_hash = mobile_hash
        user.bound_at = None
    user.customer_id = customer.id
    user.invited_at = now


async def _by_mobile(db: AsyncSession, pii: PiiCipher, mobile: str) -> User | None:
    user = await db.scalar(
        select(User)
        .options(joinedload(User.organisation))
        .where(
            User.mobile_hash == pii.lookup_hash(mobile, context=MOBILE_CONTEXT),
            User.role == Role.LESSEE.value,
        )
    )
    return user if user is not None and user.active and user.customer_id else None


async def send_login_code(
    db: AsyncSession,
    sms: SmsSender,
    pii: PiiCipher,
    codes: OneTimeCodes,
    *,
    mobile: str,
    now: datetime,
) -> None:
    """A sign-in code to an invited lessee's number. Any other number takes its place in the
    limits just the same (so 429 ``otp_too_soon`` tells nothing either), and no message leaves."""
    user = await _by_mobile(db, pii, mobile)
    sender: SmsSender = sms if user is not None else DiscardingSms()
    await codes.issue(db, sender, mobile=mobile, purpose=LOGIN_PURPOSE, now=now)


async def _same_identity(db: AsyncSession, pii: PiiCipher, user: User, id_last6: str) -> bool:
    customer = await db.get(Customer, user.customer_id)
    if customer is None:
        return False
    expected = pii.decrypt(customer.id_enc, context="customer.id_number")[-6:].upper()
    return hmac.compare_digest(expected.encode(), id_last6.strip().upper().encode())


async def _count_mismatch(db: AsyncSession, codes: OneTimeCodes, mobile: str) -> DomainError:
    """A wrong last six spent the attempt the check took: keep it, say whether any are left."""
    attempts = await db.scalar(
        select(OneTimeCode.attempts).where(
            OneTimeCode.mobile_hash == codes.mobile_hash(mobile),
            OneTimeCode.purpose == LOGIN_PURPOSE,
        )
    )
    await db.commit()  # kept although the request then fails, like a wrong code
    return OTP_LOCKED if attempts is not None and attempts >= MAX_ATTEMPTS else IDENTITY_MISMATCH


async def login(
    db: AsyncSession,
    settings: Settings,
    pii: PiiCipher,
    codes: OneTimeCodes,
    *,
    mobile: str,
    code: str,
    id_last6: str | None,
    now: datetime,
) -> TokenPair:
    """The token pair of the lessee with this number, for the code just sent to it. Every
    submission takes one of the code's five attempts, including one whose last six is wrong
    (422 ``identity_mismatch``); a first sign-in without `id_last6` answers 422
    ``identity_required`` and keeps the code for the next try."""
    user = await _by_mobile(db, pii, mobile)
    checked = await codes.check(db, mobile=mobile, purpose=LOGIN_PURPOSE, code=code, now=now)
    if user is None:  # a code for a number without an account: nobody received it
        await db.commit()
        raise OTP_INVALID
    if user.bound_at is None:
        if id_last6 is None:
            raise IDENTITY_REQUIRED  # rolls the attempt back: the code was right
        if not await _same_identity(db, pii, user, id_last6):
            raise await _count_mismatch(db, codes, mobile)
        user.bound_at = now
    await codes.consume(db, checked, now)
    return await service.start_session(db, settings, user, now)
