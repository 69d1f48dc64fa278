"""A stock audit's photos are served, on both databases: each scan's photo and its thumbnail, to
the audit's dealer and to the lessor's admins, by bearer-authorised routes; another dealer gets
404, as for the audit itself, and so does a scan of another audit."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from backend.db.models import FloorplanAuditScan
from tests.backend.floorplan.helpers import EAST, Books, drawn, give_line, new_vin
from tests.backend.helpers import login
from tests.backend.intake.test_applications_api import jpeg


async def _scanned(client) -> tuple[dict, dict, str]:
    """An open audit of the east shop with one of its two units scanned (a 1200 x 900 photo)."""
    await give_line(client)
    dealer = await login(client, "dealer")
    seen, unseen = new_vin(), new_vin()
    await drawn(client, dealer, seen)
    await drawn(client, dealer, unseen)
    admin = await login(client, "admin")
    opened = await client.post("/api/floorplan/audits", headers=admin,
                               json={"dealer_id": EAST, "deadline": "2099-01-01"})  # fmt: skip
    audit_id = opened.json()["id"]
    r = await client.post(
        f"/api/floorplan/audits/{audit_id}/scans",
        params={"vin": seen},
        content=jpeg(1200, 900),
        headers={**dealer, "Content-Type": "image/jpeg"},
    )
    assert r.status_code == 201, r.text
    return r.json(), dealer, seen


def _size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data), formats=["JPEG"]) as image:
        return image.size


async def test_the_dealer_and_the_admin_see_a_scans_photo_and_thumbnail(client):
    audit, dealer, vin = await _scanned(client)
    by_vin = {u["vin"]: u for u in audit["units"]}
    unseen = next(u for v, u in by_vin.items() if v != vin)
    assert unseen["photo_url"] is None and unseen["thumbnail_url"] is None
    seen = by_vin[vin]
    assert seen["photo_url"].startswith(f"/api/floorplan/audits/{audit['id']}/scans/")
    admin = await login(client, "admin")
    for headers in (dealer, admin):
        photo = await client.get(seen["photo_url"], headers=headers)
        thumb = await client.get(seen["thumbnail_url"], headers=headers)
        for r in (photo, thumb):
            assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg", r.text
        assert _size(photo.content) == (1200, 900)
        assert max(_size(thumb.content)) == 320  # the intake's thumbnail
    listed = (await client.get("/api/floorplan/audits", params={"dealer_id": EAST},
                               headers=admin)).json()  # fmt: skip
    assert [u["thumbnail_url"] for u in listed[0]["units"] if u["vin"] == vin] == [
        seen["thumbnail_url"]
    ]


async def test_another_dealer_gets_404_and_so_does_another_audits_scan(client):
    audit, dealer, vin = await _scanned(client)
    seen = next(u for u in audit["units"] if u["vin"] == vin)
    intruder = await login(client, "dealer2")
    for url in (seen["photo_url"], seen["thumbnail_url"]):
        r = await client.get(url, headers=intruder)
        assert r.status_code == 404 and r.json()["code"] == "floorplan_audit_not_found"
    for user in ("staff", "lessee", "oem"):
        r = await client.get(seen["photo_url"], headers=await login(client, user))
        assert r.status_code == 403, user
    admin = await login(client, "admin")
    other = await client.post("/api/floorplan/audits", headers=admin,
                              json={"dealer_id": EAST, "deadline": "2099-01-02"})  # fmt: skip
    scan_id = seen["photo_url"].split("/")[-2]
    for path in (f"{other.json()['id']}/scans/{scan_id}", f"{audit['id']}/scans/nope",
                 f"{audit['id']}/scans/{'x' * 40}"):  # fmt: skip
        r = await client.get(f"/api/floorplan/audits/{path}/photo", headers=dealer)
        assert r.status_code == 404 and r.json()["code"] == "floorplan_photo_not_found", path


async def test_a_scan_kept_before_thumbnails_answers_its_photo_and_a_lost_file_is_404(
    client, settings
):
    audit, dealer, vin = await _scanned(client)
    seen = next(u for u in audit["units"] if u["vin"] == vin)
    async with Books(settings) as db:
        scan = await db.scalar(select(FloorplanAuditScan))
        thumb, scan.thumb_path = scan.thumb_path, None  # as a scan made before 0026 is
        await db.commit()
        photo = settings.storage_dir / scan.photo_path
    (settings.storage_dir / thumb).unlink()
    r = await client.get(seen["thumbnail_url"], headers=dealer)
    assert r.status_code == 200 and _size(r.content) == (1200, 900)
    photo.unlink()
    r = await client.get(seen["photo_url"], headers=dealer)
    assert r.status_code == 404 and r.json()["code"] == "floorplan_photo_not_found"
