"""An upload URL is for one application and one photo kind, built from the configured public
URL, and spent by its first successful upload."""

from __future__ import annotations

import pytest

from tests.backend.auth.concurrency import at_once
from tests.backend.helpers import login
from tests.backend.intake.test_applications_api import create, jpeg

JPEG = {"Content-Type": "image/jpeg"}


@pytest.fixture
async def staff(client):
    return await login(client, "staff")


@pytest.fixture
async def draft(client, staff):
    return (await create(client, staff)).json()["id"]


async def upload_path(client, staff, draft, kind="id_front") -> str:
    r = await client.post(f"/api/applications/{draft}/photos/{kind}/upload-url", headers=staff)
    assert r.status_code == 200
    return r.json()["url"].removeprefix("http://testserver.local")


async def test_the_url_comes_from_the_public_url_not_the_host_header(
    client, staff, draft, settings
):
    r = await client.post(
        f"/api/applications/{draft}/photos/id_front/upload-url",
        headers={**staff, "Host": "evil.example", "X-Forwarded-Host": "evil.example"},
    )
    assert r.json()["url"].startswith(f"{settings.public_url}/api/applications/{draft}/")


async def test_an_upload_url_is_spent_by_its_first_upload(client, staff, draft):
    path = await upload_path(client, staff, draft)
    assert (await client.put(path, content=jpeg(), headers=JPEG)).status_code == 201
    again = await client.put(path, content=jpeg(), headers=JPEG)
    assert again.status_code == 409 and again.json()["code"] == "upload_token_spent"


async def test_a_failed_upload_does_not_spend_the_url(client, staff, draft):
    path = await upload_path(client, staff, draft)
    bad = await client.put(path, content=b"not an image", headers=JPEG)
    assert 400 <= bad.status_code < 500 and bad.status_code != 409
    assert (await client.put(path, content=jpeg(), headers=JPEG)).status_code == 201


async def test_an_upload_url_is_for_its_application_only(client, staff, draft):
    other = (await create(client, staff)).json()["id"]
    path = await upload_path(client, staff, draft)
    r = await client.put(path.replace(draft, other), content=jpeg(), headers=JPEG)
    assert r.status_code == 403 and r.json()["code"] == "upload_token_mismatch"


async def test_concurrent_uploads_with_one_url_store_one_photo(client, staff, draft, settings):
    path = await upload_path(client, staff, draft, kind="vehicle")
    settings.storage_dir.mkdir(parents=True, exist_ok=True)
    photo = jpeg()
    responses = await at_once(settings, 5, lambda c: c.put(path, content=photo, headers=JPEG))
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * 4, [r.text for r in responses]
    view = (await client.get(f"/api/applications/{draft}", headers=staff)).json()
    assert sum(p["kind"] == "vehicle" for p in view["photos"]) == 1
    stored = [p for p in settings.storage_dir.glob("*.jpg") if ".thumb" not in p.name]
    assert len(stored) == 1  # the losers' files were removed
