"""/api/auth: sign in (password; a lessee's SMS code), refresh, sign out, who am I."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get, post

from backend.auth import lessees, service
from backend.auth.otp import CODE_TTL, RESEND_AFTER, OneTimeCodes
from backend.auth.principal import Caller
from backend.auth.throttle import LoginRateLimited
from backend.db.deps import Db
from backend.errors import problem_response
from backend.providers.sms import SmsSender
from backend.security.pii import PiiCipher
from backend.settings import Settings
from common.api.auth import (
    LesseeCodeRequest,
    LesseeCodeSent,
    LesseeLoginRequest,
    LoginRequest,
    RefreshRequest,
    Role,
    TokenPair,
    UserInfo,
)
from common.api.problems import Problem

ANY_ROLE = tuple(Role)


def _rate_limited(_: Request[Any, Any, Any], exc: LoginRateLimited) -> Response[bytes]:
    problem = Problem(exc.status, exc.code, exc.message, detail=exc.message_en)
    return problem_response(problem, headers={"Retry-After": str(exc.retry_after_s)})


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]  # noqa: RUF012
    exception_handlers = {LoginRateLimited: _rate_limited}  # noqa: RUF012 - adds Retry-After

    @post("/login", opt={"public": True}, status_code=200)
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: LoginRequest,
        db: Db,
        settings: Settings,
        pii: PiiCipher,
    ) -> TokenPair:
        address = request.client.host if request.client else "unknown"
        return await service.login(db, settings, pii, data.username, data.password, address)

    @post("/lessee/code", opt={"public": True}, status_code=202)
    async def lessee_code(
        self,
        data: LesseeCodeRequest,
        db: Db,
        sms: SmsSender,
        pii: PiiCipher,
        otp: OneTimeCodes,
        now: datetime,
    ) -> LesseeCodeSent:
        """Sends a sign-in code if an invited lessee has this number; the answer is the same
        either way (202, or 429 ``otp_too_soon`` with Retry-After)."""
        await lessees.send_login_code(db, sms, pii, otp, mobile=data.mobile, now=now)
        return LesseeCodeSent(
            resend_after_s=int(RESEND_AFTER.total_seconds()),
            expires_in_s=int(CODE_TTL.total_seconds()),
        )

    @post("/lessee/login", opt={"public": True}, status_code=200)
    async def lessee_login(
        self,
        data: LesseeLoginRequest,
        db: Db,
        settings: Settings,
        pii: PiiCipher,
        otp: OneTimeCodes,
        now: datetime,
    ) -> TokenPair:
        """Errors: 422 otp_invalid, otp_expired, otp_used, otp_locked, identity_required
        (first sign-in without id_last6), identity_mismatch."""
        return await lessees.login(
            db, settings, pii, otp, mobile=data.mobile, code=data.code,
            id_last6=data.id_last6, now=now,
        )  # fmt: skip

    @post("/refresh", opt={"public": True}, status_code=200)
    async def refresh(self, data: RefreshRequest, db: Db, settings: Settings) -> TokenPair:
        return await service.refresh(db, settings, data.refresh_token)

    @post("/logout", opt={"roles": ANY_ROLE}, status_code=204)
    async def logout(self, db: Db, caller: Caller) -> None:
        await service.logout(db, caller)

    @get("/me", opt={"roles": ANY_ROLE})
    async def me(self, db: Db, caller: Caller) -> UserInfo:
        return await service.me(db, caller)
