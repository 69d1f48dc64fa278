"""Every route that takes an object id answers 404 to another shop's staff and dealer admin."""

from __future__ import annotations

import re

import pytest
from litestar.routes import HTTPRoute

from tests.backend.helpers import login
from tests.backend.intake.test_applications_api import complete_application, jpeg

BODIES = {"PATCH": {"lease_type": "sale_leaseback"}}


def id_routes(app, role: str) -> list[tuple[str, str]]:
    """Routes taking an application or photo id that ``role`` may call at all (the others answer
    403 from the guard before any object is looked up)."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or "{" not in route.path:
            continue
        if not re.search(r"\{(application_id|photo_id)", route.path):
            continue
        for handler in route.route_handlers:
            if role not in handler.opt.get("roles", ()):
                continue
            for method in handler.http_methods - {"HEAD", "OPTIONS"}:
                found.append((method, route.path))
    return sorted(found)


@pytest.mark.parametrize("intruder", ["staff2", "dealer2"])
async def test_another_shops_objects_answer_404(client, intruder):
    owner = await login(client, "staff")
    app_id = await complete_application(client, owner)
    photo_id = (await client.get(f"/api/applications/{app_id}", headers=owner)).json()["photos"][0][
        "id"
    ]
    headers = await login(client, intruder)
    routes = id_routes(client.app, "staff" if intruder == "staff2" else "dealer_admin")
    assert len(routes) >= 8, routes
    for method, path in routes:
        url = (
            path.replace("{application_id:str}", app_id)
            .replace("{photo_id:str}", photo_id)
            .replace("{kind:str}", "id_front")
        )
        kwargs: dict = {"headers": headers}
        if method == "PUT":
            kwargs = {"headers": {**headers, "Content-Type": "image/jpeg"}, "content": jpeg()}
        elif method in BODIES:
            kwargs["json"] = BODIES[method]
        r = await client.request(method, url, **kwargs)
        assert r.status_code == 404, f"{intruder} {method} {url} -> {r.status_code} {r.text}"
    # and nothing changed for the owner
    view = (await client.get(f"/api/applications/{app_id}", headers=owner)).json()
    assert view["lease_type"] == "direct_lease" and len(view["photos"]) == 5


async def test_another_shop_does_not_see_the_application_in_lists(client):
    await complete_application(client, await login(client, "staff"))
    for user in ("staff2", "dealer2"):
        assert (
            await client.get("/api/applications", headers=await login(client, user))
        ).json() == []


async def test_risk_officer_sees_every_shop(client):
    await complete_application(client, await login(client, "staff"))
    assert (
        len((await client.get("/api/applications", headers=await login(client, "risk"))).json())
        == 1
    )
