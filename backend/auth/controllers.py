"""/api/auth: sign in, refresh, sign out, who am I."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.datastructures import State

from backend.auth import service
from backend.auth.principal import Caller
from backend.db.deps import Db
from common.api.auth import LoginRequest, RefreshRequest, Role, TokenPair, UserInfo

ANY_ROLE = tuple(Role)


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]  # noqa: RUF012

    @post("/login", opt={"public": True}, status_code=200)
    async def login(self, data: LoginRequest, db: Db, state: State) -> TokenPair:
        return await service.login(db, state.settings, data.username, data.password)

    @post("/refresh", opt={"public": True}, status_code=200)
    async def refresh(self, data: RefreshRequest, db: Db, state: State) -> TokenPair:
        return await service.refresh(db, state.settings, data.refresh_token)

    @post("/logout", opt={"roles": ANY_ROLE}, status_code=204)
    async def logout(self, db: Db, caller: Caller) -> None:
        await service.logout(db, caller)

    @get("/me", opt={"roles": ANY_ROLE})
    async def me(self, db: Db, caller: Caller) -> UserInfo:
        return await service.me(db, caller)
