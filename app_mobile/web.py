"""The app in the browser, served by the backend at /app on the same origin as /api.

`flet_asgi_app(api_base_url)` gives a `FletMount`: `.route` is the Litestar ASGI mount to add to
the route handlers, `.start()`/`.stop()` go in the Litestar lifespan (they run Flet's session
manager), and `.asgi` is the flet_web FastAPI app itself. The Flet session code runs in the backend
process; its API client talks to the backend over HTTP at `api_base_url`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import flet_web.fastapi as flet_fastapi
from flet_web.fastapi.flet_app_manager import app_manager
from litestar import asgi
from litestar.handlers.asgi_handlers import ASGIRouteHandler
from litestar.types import Receive, Scope, Send

from app_mobile.main import ASSETS_DIR, make_main
from app_mobile.shell import ClientHeaders

MOUNT_PATH = "/app"


@dataclass
class FletMount:
    asgi: Any
    route: ASGIRouteHandler

    async def start(self) -> None:
        await app_manager.start()

    async def stop(self) -> None:
        await app_manager.shutdown()


def flet_asgi_app(
    api_base_url: str,
    *,
    mount_path: str = MOUNT_PATH,
    client_headers: ClientHeaders | None = None,
) -> FletMount:
    """`client_headers(browser_address)`: headers the sessions' API client sends so the backend
    knows which browser a call is for (the backend signs them; the app only passes them on)."""
    flet_app = flet_fastapi.app(
        make_main(api_base_url, client_headers),
        proxy_path=mount_path,
        assets_dir=str(ASSETS_DIR),
        no_cdn=True,
        app_name="AutoLease",
        app_short_name="AutoLease",
        app_description="汽车融资租赁",
    )

    @asgi(mount_path, is_mount=True, opt={"public": True}, copy_scope=True)
    async def flet_mount(scope: Scope, receive: Receive, send: Send) -> None:
        # Litestar hands mounted apps "/ws/"; Flet's websocket route is exactly "/ws"
        path = scope.get("path", "")
        if path.endswith("/ws/"):
            scope["path"] = path[:-1]
            if "raw_path" in scope:
                scope["raw_path"] = scope["path"].encode()
        await flet_app(scope, receive, send)

    return FletMount(asgi=flet_app, route=flet_mount)
