"""Sign-in, refresh, logout, and turning a bearer token back into a Principal."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, bindparam, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from backend.auth import throttle
from backend.auth.principal import Principal
from backend.db.models import AuthSession, RetiredRefreshToken, User
from backend.security import tokens
from backend.security.passwords import verify_password
from backend.security.pii import PiiCipher
from backend.settings import Settings
from common.api.auth import OrganisationKind, Role, TokenPair, UserInfo
from common.errors import Unauthorized

log = logging.getLogger("autolease.auth")

_BAD_LOGIN = Unauthorized("login_failed", "用户名或密码错误", "Wrong username or password")


def _user_info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        organisation_id=user.organisation_id,
        organisation_name=user.organisation.name,
        organisation_kind=OrganisationKind(user.organisation.kind),
        organisation_region_code=user.organisation.region_code,
    )


def _pair(
    settings: Settings, user: User, session: AuthSession, refresh: str, now: datetime
) -> TokenPair:
    access = tokens.issue(
        settings.secret_key,
        "access",
        {"sub": user.id, "sid": session.id, "role": user.role},
        now,
        settings.access_token_ttl_s,
    )
    return TokenPair(access, refresh, settings.access_token_ttl_s, _user_info(user))


async def login(
    db: AsyncSession,
    settings: Settings,
    pii: PiiCipher,
    username: str,
    password: str,
    address: str,
) -> TokenPair:
    """`address` is the client's (see backend.http_security): attempts are limited per account
    and address, per address, and per account (backend.auth.throttle)."""
    now = datetime.now(UTC)
    taken = throttle.buckets(settings, pii, username, address)
    await throttle.reserve(db, taken, now)  # a failure keeps its place in every bucket
    user = await db.scalar(
        select(User).options(joinedload(User.organisation)).where(User.username == username)
    )
    if not verify_password(user.password_hash if user else None, password) or not (
        user and user.active
    ):
        raise _BAD_LOGIN
    await throttle.release(db, taken, now)
    return await start_session(db, settings, user, now)


async def start_session(
    db: AsyncSession, settings: Settings, user: User, now: datetime
) -> TokenPair:
    """A new sign-in of `user` (its organisation loaded): the session row and its token pair.
    Every way of signing in ends here (password, a lessee's SMS code)."""
    refresh, refresh_digest = tokens.new_refresh_token()
    session = AuthSession(
        user_id=user.id,
        refresh_hash=refresh_digest,
        created_at=now,
        expires_at=now + timedelta(seconds=settings.refresh_token_ttl_s),
    )
    db.add(session)
    await db.flush()
    return _pair(settings, user, session, refresh, now)  # the request commits


async def refresh(db: AsyncSession, settings: Settings, refresh_token: str) -> TokenPair:
    """Rotates the refresh token: the old one stops working the moment a new one is issued, and
    presenting it again afterwards (a stolen copy, or the rightful one after theft) revokes the
    whole session. Of concurrent refreshes with one token exactly one wins (a guarded UPDATE)."""
    now = datetime.now(UTC)
    old_digest = tokens.refresh_hash(refresh_token)
    session = await db.scalar(select(AuthSession).where(AuthSession.refresh_hash == old_digest))
    if session is None:
        await _revoke_if_retired(db, old_digest, now)
        raise tokens.expired_or_invalid("invalid")
    if session.revoked_at is not None or session.expires_at <= now:
        raise tokens.expired_or_invalid("invalid")
    user = await db.get(User, session.user_id, options=[joinedload(User.organisation)])
    if user is None or not user.active:
        raise tokens.expired_or_invalid("invalid")
    new_token, new_digest = tokens.new_refresh_token()
    expires_at = now + timedelta(seconds=settings.refresh_token_ttl_s)
    rotated = await db.execute(
        update(AuthSession)
        .where(
            AuthSession.id == session.id,
            AuthSession.refresh_hash == old_digest,
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > now,
        )
        .values(refresh_hash=new_digest, expires_at=expires_at)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], rotated).rowcount != 1:
        await db.rollback()  # a concurrent refresh with the same token won
        raise tokens.expired_or_invalid("invalid")
    db.add(RetiredRefreshToken(refresh_hash=old_digest, session_id=session.id, retired_at=now))
    return _pair(settings, user, session, new_token, now)  # the request commits


async def _revoke_if_retired(db: AsyncSession, digest: str, now: datetime) -> None:
    retired = await db.get(RetiredRefreshToken, digest)
    if retired is None:
        return
    revoked = await db.execute(
        update(AuthSession)
        .where(AuthSession.id == retired.session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    await db.commit()  # kept although the request then fails: the revocation must stand
    if cast(CursorResult[Any], revoked).rowcount:
        log.warning(
            "a rotated refresh token was presented again: session %s revoked", retired.session_id
        )


async def logout(db: AsyncSession, principal: Principal) -> None:
    session = await db.get(AuthSession, principal.session_id)
    if session is not None and session.revoked_at is None:
        session.revoked_at = datetime.now(UTC)  # the request commits


async def principal_from_access_token(
    db: AsyncSession, settings: Settings, token: str
) -> Principal:
    claims = tokens.verify(settings.secret_key, "access", token)
    return await principal_for_session(db, claims["sid"], claims["sub"])


# Every authenticated request asks this: the columns a principal needs, one statement built once
# (loading the two rows as ORM objects cost about as much as the rest of a small request).
_PRINCIPAL_COLUMNS = (
    *(User.id, User.username, User.role, User.organisation_id, User.customer_id, User.active),
    *(AuthSession.id, AuthSession.revoked_at, AuthSession.expires_at),
)
_SESSION_OF = (
    select(*_PRINCIPAL_COLUMNS)
    .join(User, User.id == AuthSession.user_id)
    .where(AuthSession.id == bindparam("session_id"), User.id == bindparam("user_id"))
)


async def principal_for_session(db: AsyncSession, session_id: str, user_id: str) -> Principal:
    row = (await db.execute(_SESSION_OF, {"session_id": session_id, "user_id": user_id})).first()
    now = datetime.now(UTC)
    if row is None:
        raise tokens.expired_or_invalid("invalid")
    uid, username, role, organisation_id, customer_id, active, sid, revoked_at, expires_at = row
    if revoked_at is not None or expires_at <= now or not active:
        raise tokens.expired_or_invalid("expired")
    return Principal(uid, username, Role(role), organisation_id, sid, customer_id=customer_id)


async def me(db: AsyncSession, principal: Principal) -> UserInfo:
    user = await db.get(User, principal.user_id, options=[joinedload(User.organisation)])
    if user is None:
        raise tokens.expired_or_invalid("invalid")
    return _user_info(user)


async def forget_ended_sessions(db: AsyncSession, now: datetime, grace: timedelta) -> int:
    """Delete sessions that ended (expired or revoked) more than ``grace`` ago, with their retired
    refresh tokens: such a token can no longer be refreshed, so its reuse has nothing to revoke.
    Returns how many sessions went; the caller commits."""
    before = now - grace
    ended = select(AuthSession.id).where(
        or_(AuthSession.expires_at < before, AuthSession.revoked_at < before)
    )
    await db.execute(delete(RetiredRefreshToken).where(RetiredRefreshToken.session_id.in_(ended)))
    gone = await db.execute(delete(AuthSession).where(AuthSession.id.in_(ended)))
    return int(cast(CursorResult[Any], gone).rowcount or 0)
