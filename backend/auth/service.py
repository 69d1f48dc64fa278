"""Sign-in, refresh, logout, and turning a bearer token back into a Principal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.principal import Principal
from backend.db.models import AuthSession, LoginFailure, User
from backend.security import tokens
from backend.security.passwords import verify_password
from backend.settings import Settings
from common.api.auth import OrganisationKind, Role, TokenPair, UserInfo
from common.errors import DomainError, Unauthorized

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


async def login(db: AsyncSession, settings: Settings, username: str, password: str) -> TokenPair:
    now = datetime.now(UTC)
    since = now - timedelta(seconds=settings.login_window_s)
    failures = await db.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.username == username, LoginFailure.at >= since)
    )
    if (failures or 0) >= settings.login_max_failures:
        raise DomainError(
            "login_rate_limited",
            "登录失败次数过多，请15分钟后再试",
            "Too many failed sign-ins; try again in 15 minutes",
            status=429,
        )
    user = await db.scalar(select(User).where(User.username == username))
    if not verify_password(user.password_hash if user else None, password) or not (
        user and user.active
    ):
        db.add(LoginFailure(username=username, at=now))
        await db.commit()
        raise _BAD_LOGIN
    await db.execute(delete(LoginFailure).where(LoginFailure.username == username))
    refresh, refresh_digest = tokens.new_refresh_token()
    session = AuthSession(
        user_id=user.id,
        refresh_hash=refresh_digest,
        created_at=now,
        expires_at=now + timedelta(seconds=settings.refresh_token_ttl_s),
    )
    db.add(session)
    await db.flush()
    pair = _pair(settings, user, session, refresh, now)
    await db.commit()
    return pair


async def refresh(db: AsyncSession, settings: Settings, refresh_token: str) -> TokenPair:
    """Rotates the refresh token: the old one stops working the moment a new one is issued."""
    now = datetime.now(UTC)
    session = await db.scalar(
        select(AuthSession).where(AuthSession.refresh_hash == tokens.refresh_hash(refresh_token))
    )
    if session is None or session.revoked_at is not None or session.expires_at <= now:
        raise tokens.expired_or_invalid("invalid")
    user = await db.get(User, session.user_id)
    if user is None or not user.active:
        raise tokens.expired_or_invalid("invalid")
    new_token, new_digest = tokens.new_refresh_token()
    session.refresh_hash = new_digest
    session.expires_at = now + timedelta(seconds=settings.refresh_token_ttl_s)
    pair = _pair(settings, user, session, new_token, now)
    await db.commit()
    return pair


async def logout(db: AsyncSession, principal: Principal) -> None:
    session = await db.get(AuthSession, principal.session_id)
    if session is not None and session.revoked_at is None:
        session.revoked_at = datetime.now(UTC)
        await db.commit()


async def principal_from_access_token(
    db: AsyncSession, settings: Settings, token: str
) -> Principal:
    claims = tokens.verify(settings.secret_key, "access", token)
    return await principal_for_session(db, str(claims.get("sid", "")), str(claims.get("sub", "")))


async def principal_for_session(db: AsyncSession, session_id: str, user_id: str) -> Principal:
    row = (
        await db.execute(
            select(AuthSession, User)
            .join(User, User.id == AuthSession.user_id)
            .where(AuthSession.id == session_id, User.id == user_id)
        )
    ).first()
    now = datetime.now(UTC)
    if row is None:
        raise tokens.expired_or_invalid("invalid")
    session, user = row
    if session.revoked_at is not None or session.expires_at <= now or not user.active:
        raise tokens.expired_or_invalid("expired")
    return Principal(user.id, user.username, Role(user.role), user.organisation_id, session.id)


async def me(db: AsyncSession, principal: Principal) -> UserInfo:
    user = await db.get(User, principal.user_id)
    if user is None:
        raise tokens.expired_or_invalid("invalid")
    return _user_info(user)
