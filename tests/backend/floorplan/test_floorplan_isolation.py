"""Another dealer's line, units, audits and audit photos answer 404 on every floor-plan route
with an id."""

from __future__ import annotations

import re

from litestar.routes import HTTPRoute

from tests.backend.floorplan.helpers import EAST, drawn, give_line, key, new_vin
from tests.backend.helpers import login
from tests.backend.intake.test_applications_api import jpeg


def dealer_id_routes(app) -> list[tuple[str, str]]:
    """Floor-plan routes taking an id (a VIN, an audit) that a dealer may call."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith("/api/floorplan/"):
            continue
        if not re.search(r"\{(vin|audit_id)", route.path):
            continue
        for handler in route.route_handlers:
            if "dealer_admin" in handler.opt.get("roles", ()):
                found += [(m, route.path) for m in handler.http_methods - {"HEAD", "OPTIONS"}]
    return sorted(found)


async def test_every_route_with_an_id_answers_404_to_another_dealer(client):
    await give_line(client)
    owner = await login(client, "dealer")
    vin = new_vin()
    await drawn(client, owner, vin)
    admin = await login(client, "admin")
    opened = await client.post(
        "/api/floorplan/audits", json={"dealer_id": EAST, "deadline": "2099-01-01"},
        headers=admin,
    )  # fmt: skip
    assert opened.status_code == 201, opened.text
    audit_id = opened.json()["id"]
    scanned = await client.post(
        f"/api/floorplan/audits/{audit_id}/scans", params={"vin": vin}, content=jpeg(160, 120),
        headers={**owner, "Content-Type": "image/jpeg"},
    )  # fmt: skip
    assert scanned.status_code == 201, scanned.text
    photo_url = scanned.json()["units"][0]["photo_url"]  # .../scans/{scan_id}/photo
    ids = {"vin": vin, "audit_id": audit_id, "scan_id": photo_url.split("/")[-2]}
    intruder = await login(client, "dealer2")
    routes = dealer_id_routes(client.app)
    assert len(routes) >= 7, routes  # unit, payoff, curtailments, audit, scans, photo, thumbnail
    for method, path in routes:
        url = re.sub(r"\{(\w+):str\}", lambda m: ids[m.group(1)], path)
        kwargs: dict = {"headers": {**intruder, **key()}}
        if path.endswith("/curtailments"):
            kwargs["json"] = {"amount": "100"}
        if path.endswith("/scans"):
            url += f"?vin={vin}"
            kwargs["content"] = jpeg(160, 120)
            kwargs["headers"]["Content-Type"] = "image/jpeg"
        r = await client.request(method, url, **kwargs)
        assert r.status_code == 404, (method, url, r.text)


async def test_a_dealer_reads_only_its_own_line_and_units(client):
    await give_line(client)
    owner = await login(client, "dealer")
    await drawn(client, owner, new_vin())
    intruder = await login(client, "dealer2")
    own = await client.get("/api/floorplan/line", headers=intruder)
    assert own.status_code == 404  # dealer2 has no line of its own
    theirs = await client.get("/api/floorplan/line", params={"dealer_id": EAST}, headers=intruder)
    assert theirs.status_code == 404
    listed = await client.get("/api/floorplan/units", params={"dealer_id": EAST}, headers=intruder)
    assert listed.status_code == 404
    alerts = await client.get("/api/floorplan/alerts", params={"dealer_id": EAST}, headers=intruder)
    assert alerts.status_code == 404


async def test_staff_and_lessees_may_not_call_the_floor_plan(client):
    await give_line(client)
    for user in ("staff", "risk", "monitor"):
        r = await client.get("/api/floorplan/line", headers=await login(client, user))
        assert r.status_code == 403
    admin = await login(client, "admin")
    r = await client.post("/api/floorplan/drawdowns", headers={**admin, **key()},
                          json={"vin": new_vin(), "invoice_amount": "1", "payee": "x"})  # fmt: skip
    assert r.status_code == 403  # drawdowns are the dealer's own
