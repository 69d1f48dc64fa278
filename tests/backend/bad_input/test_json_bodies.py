"""Bodies that are not JSON we can read: always a 4xx with a stable code, and nothing written.

Walks every route that takes a JSON body (like tests/backend/intake/test_isolation.py walks every
route with an id), signed in with a role that reaches it, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest

from tests.backend.bad_input.helpers import fill, headers_for, routes
from tests.backend.helpers import login

JSON = {"Content-Type": "application/json"}
BAD_BODIES = [
    pytest.param(b'{"username":"\xff"}', JSON, 400, "invalid_json", id="invalid-utf8"),
    pytest.param(b"[" * 100_000, JSON, 400, "invalid_json", id="100k-brackets"),
    pytest.param(b'{"a":' * 300 + b"1" + b"}" * 300, JSON, 400, "invalid_json", id="deep-objects"),
    pytest.param(b'{"x": 1}', {"Content-Type": "text/plain"}, 415, "unsupported_media_type",
                 id="text-plain"),
    pytest.param(b"username=a&password=b", {"Content-Type": "application/x-www-form-urlencoded"},
                 415, "unsupported_media_type", id="form"),
    pytest.param(b"<login><username>a</username></login>", {"Content-Type": "application/xml"},
                 415, "unsupported_media_type", id="xml"),
    pytest.param(b'{"x": 1}', {}, 415, "unsupported_media_type", id="no-content-type"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "headers", "status", "code"), BAD_BODIES)
async def test_login_refuses_unreadable_bodies(client, rows, body, headers, status, code):
    before = await rows()
    r = await client.post("/api/auth/login", content=body, headers=headers)
    assert (r.status_code, r.json()["code"]) == (status, code), r.text
    assert await rows() == before


async def test_every_json_route_refuses_unreadable_bodies(client, rows):
    walked = routes(client.app, json_body=True)
    assert len(walked) >= 12, walked
    signed_in: dict = {}
    for method, path, handler in walked:
        headers = await headers_for(client, handler, signed_in)
        before = await rows()
        for param in BAD_BODIES:
            body, extra, status, code = param.values
            r = await client.request(method, fill(path), content=body, headers={**headers, **extra})
            got = (r.status_code, r.json().get("code"))
            assert got == (status, code), f"{method} {path} {param.id}: {r.status_code} {r.text}"
        assert await rows() == before, f"{method} {path} wrote something"


async def test_json_with_a_charset_or_a_json_suffix_is_accepted(client):
    for ctype in ("application/json; charset=utf-8", "application/problem+json"):
        r = await client.post(
            "/api/auth/login",
            content=b'{"username": "staff", "password": "demo"}',
            headers={"Content-Type": ctype},
        )
        assert r.status_code == 200, (ctype, r.text)


async def test_photo_uploads_still_take_raw_image_bytes(client):
    """The raw-body routes (PUT photo, VIN scan) are not JSON routes: not refused as such."""
    staff = await login(client, "staff")
    app_id = (await client.post("/api/applications", json={}, headers=staff)).json()["id"]
    from tests.backend.intake.test_applications_api import jpeg

    r = await client.put(
        f"/api/applications/{app_id}/photos/id_front",
        content=jpeg(),
        headers={**staff, "Content-Type": "image/jpeg"},
    )
    assert r.status_code == 201, r.text


async def test_every_route_refuses_control_characters_in_the_path_and_query(client, rows):
    walked = routes(client.app, json_body=False)
    with_params = [(m, p, h) for m, p, h in walked if "{" in p]
    assert len(with_params) >= 10, with_params
    signed_in: dict = {}
    for method, path, handler in walked:
        headers = await headers_for(client, handler, signed_in)
        url = fill(path).replace("0" * 32, "0%00") if "{" in path else fill(path) + "?q=a%00b"
        before = await rows()
        kwargs: dict = {"headers": headers}
        if handler.parsed_data_field is not None:
            kwargs["json"] = {}
        r = await client.request(method, url, **kwargs)
        assert r.status_code == 400 and r.json()["code"] == "invalid_input", (
            f"{method} {url}: {r.status_code} {r.text}"
        )
        assert await rows() == before, f"{method} {url} wrote something"


async def test_an_idempotent_retry_with_other_whitespace_and_key_order_replays(client, rows):
    staff = await login(client, "staff")
    headers = {**staff, "Idempotency-Key": "ws-1", "Content-Type": "application/json"}
    first = await client.post(
        "/api/applications",
        content=b'{"lease_type":"sale_leaseback","vehicle":{"vin":"LSVAU218XN2183294","is_new":true}}',
        headers=headers,
    )
    assert first.status_code == 201, first.text
    before = await rows()
    again = await client.post(
        "/api/applications",
        content=b'{\n  "vehicle": {"is_new": true, "vin": "LSVAU218XN2183294"},\n'
        b'  "lease_type": "sale_leaseback"\n}\n',
        headers=headers,
    )
    assert again.status_code == 201, again.text
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["id"] == first.json()["id"]
    assert await rows() == before
    other = await client.post(
        "/api/applications", content=b'{"lease_type":"direct_lease"}', headers=headers
    )
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"
    assert await rows() == before
