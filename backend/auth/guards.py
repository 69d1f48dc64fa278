"""Deny by default: a route is open only if it says `public`, and then only to the roles it names.

Every route handler declares `opt={"roles": (...)}` (or `{"public": True}`); a route that names no
roles answers 403 to everyone, so a forgotten declaration fails closed.
"""

from __future__ import annotations

from typing import cast

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from backend.auth import service
from backend.auth.principal import Principal, UploadGrant
from backend.db.deps import request_session
from backend.security import tokens
from backend.settings import Settings
from common.errors import Forbidden, Unauthorized

FORBIDDEN = Forbidden("forbidden", "您没有权限执行此操作", "You are not allowed to do this")


async def access_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:  # type: ignore[type-arg]
    opt = handler.opt
    if opt.get("public"):
        return
    settings: Settings = connection.app.state.settings
    db = request_session(connection)  # the request's one session, not one of the guard's own
    url_token = opt.get("upload_token") or opt.get("download_token")
    token = connection.query_params.get("token") if url_token else None
    if token and opt.get("download_token"):
        claims = tokens.verify(settings.secret_key, "download", token)
        principal = await service.principal_for_session(db, claims["sid"], claims["sub"])
        connection.scope["download_grant"] = claims["contract"]  # type: ignore[typeddict-unknown-key]
    elif token:
        claims = tokens.verify(settings.secret_key, "upload", token)
        principal = await service.principal_for_session(db, claims["sid"], claims["sub"])
        grant = UploadGrant(claims["app"], claims["kind"], claims["jti"])
        connection.scope["upload_grant"] = grant  # type: ignore[typeddict-unknown-key]
    else:
        principal = await service.principal_from_access_token(db, settings, _bearer(connection))
    if opt.get("upload_token"):
        # A photo's megabytes are yet to arrive: end the read so no connection waits on them.
        # Elsewhere the handler goes on in the same transaction, on the same connection.
        await db.rollback()
    roles = opt.get("roles")
    if not roles or principal.role not in roles:
        raise FORBIDDEN
    connection.scope["user"] = principal


def _bearer(connection: ASGIConnection) -> str:  # type: ignore[type-arg]
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("unauthenticated", "请先登录", "Sign in first")
    return token.strip()


def provide_principal(request: ASGIConnection) -> Principal:  # type: ignore[type-arg]
    return cast(Principal, request.scope["user"])
