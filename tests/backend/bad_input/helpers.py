"""What the bad-input corpus shares: sign in as a role, walk the routes."""

from __future__ import annotations

import re
from typing import Any

from litestar import Litestar
from litestar.routes import HTTPRoute

from tests.backend.helpers import login

USER_OF_ROLE = {
    "staff": "staff",
    "dealer_admin": "dealer",
    "lessee": "lessee",
    "risk_officer": "risk",
    "monitor": "monitor",
    "admin": "admin",
    "funder": "funder",
    "oem": "oem",
}
SOME_ID = "0" * 32  # looks like an id; bodies are refused before any object is looked up


async def headers_for(
    client: Any, handler: Any, signed_in: dict[str, dict[str, str]]
) -> dict[str, str]:
    """Sign in with a role the route admits (none for a public route); once per role."""
    if handler.opt.get("public"):
        return {}
    user = USER_OF_ROLE[str(handler.opt.get("roles", ())[0])]
    if user not in signed_in:
        signed_in[user] = await login(client, user)
    return signed_in[user]


def fill(path: str) -> str:
    """A concrete URL for a route path: every parameter gets a plausible value."""
    path = path.replace("{kind:str}", "id_front")
    return re.sub(r"\{[a-z_]+:str\}", SOME_ID, path)


def routes(app: Litestar, *, json_body: bool) -> list[tuple[str, str, Any]]:
    """(method, path, handler) of every API route; ``json_body``: only those taking JSON."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith("/api"):
            continue
        for handler in route.route_handlers:
            if json_body and handler.parsed_data_field is None:
                continue
            for method in sorted(handler.http_methods - {"HEAD", "OPTIONS"}):
                found.append((method, route.path, handler))
    return sorted(found, key=lambda r: (r[1], r[0]))
