"""The lessor's floor-plan console on a phone: an admin sets up the west shop's line, sees it
in the list, and opens a stock audit that the dealer then has to do; and sees the east shop's
audit photos as thumbnails, one opened full size."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page

from backend.risk.demo import make_vin
from tests.e2e import browser as b
from tests.e2e.server import RunningBackend
from tests.e2e.test_floorplan_dealer import _give_line
from tests.e2e.test_monitor_console import _login
from tests.e2e.test_risk_flow import sign_in

pytestmark = pytest.mark.e2e

WEST = "org-shop-west"


def test_an_admin_sets_up_a_dealers_line_and_opens_a_stock_audit(
    phone: Page, backend: RunningBackend
) -> None:
    sign_in(phone, "admin", "admin-floorplan")
    b.tap(phone, "admin-floorplan")
    b.wait_for(phone, f"fpl-dealer-{WEST}")
    b.tap(phone, f"fpl-dealer-{WEST}")
    b.wait_for(phone, "fpl-save")
    b.type_into(phone, "fpl-limit", "0")
    b.tap(phone, "fpl-save")
    b.wait_text(phone, "fpl-limit", lambda t: "请输入大于0的额度" in t)  # said on the field
    b.type_into(phone, "fpl-limit", "2000000")
    b.type_into(phone, "fpl-rate", "6.8")
    b.tap(phone, "fpl-save")
    b.wait_text(phone, "error-banner", lambda t: "授信已保存" in t)
    assert "2,000,000.00" in b.text_of(phone, "fp-limit")
    b.tap(phone, "fpl-audit-open")
    b.wait_text(phone, "error-banner", lambda t: "已发起盘库" in t)
    b.screenshot(phone, "admin-floorplan-dealer")

    dealer = _login(backend, "dealer2")
    line = httpx.get(f"{backend.base_url}/api/floorplan/line", headers=dealer).json()
    assert (line["limit"], line["annual_rate_percent"]) == ("2000000.00", "6.8")
    audits = httpx.get(f"{backend.base_url}/api/floorplan/audits", headers=dealer).json()
    assert [a["status"] for a in audits] == ["open"]


def test_an_admin_sees_a_stock_audits_photos_as_thumbnails(
    phone: Page, backend: RunningBackend, photo_files: dict[str, Path]
) -> None:
    _give_line(backend)
    dealer, admin = _login(backend, "dealer"), _login(backend, "admin")
    vin = make_vin("LFV", 2026, 880_101, vds="AC46D")
    body = {"vin": vin, "invoice_amount": "215000", "payee": "一汽-大众", "model": "探岳"}
    r = httpx.post(f"{backend.base_url}/api/floorplan/drawdowns", json=body,
                   headers={**dealer, "Idempotency-Key": "e2e-photo-unit"})  # fmt: skip
    assert r.status_code == 201, r.text
    deadline = (date.today() + timedelta(days=7)).isoformat()
    r = httpx.post(f"{backend.base_url}/api/floorplan/audits", headers=admin,
                   json={"dealer_id": "org-shop-east", "deadline": deadline})  # fmt: skip
    assert r.status_code == 201, r.text
    audit_id = r.json()["id"]
    r = httpx.post(f"{backend.base_url}/api/floorplan/audits/{audit_id}/scans",
                   params={"vin": vin}, content=photo_files["vehicle"].read_bytes(),
                   headers={**dealer, "Content-Type": "image/jpeg"})  # fmt: skip
    assert r.status_code == 201, r.text
    unit = next(u for u in r.json()["units"] if u["vin"] == vin)
    thumb = httpx.get(f"{backend.base_url}{unit['thumbnail_url']}", headers=admin)
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"

    sign_in(phone, "admin", "admin-floorplan")
    b.tap(phone, "admin-floorplan")
    b.tap(phone, "fpl-dealer-org-shop-east")
    tile = f"fpl-scan-{audit_id}-{vin}"
    b.wait_for(phone, tile, timeout_ms=20_000)
    assert vin in b.text_of(phone, tile)  # its label names the VIN
    b.tap(phone, tile)  # (Flutter scrolls it into view)
    b.wait_for(phone, "fpl-photo-full")
    b.screenshot(phone, "admin-floorplan-audit-photo")
    b.tap(phone, "fpl-photo-close")
    phone.wait_for_timeout(800)  # the dialog's closing frames
    phone.mouse.move(380, 760)
    for _ in range(6):  # down to the audits
        phone.mouse.wheel(0, 200)
        phone.wait_for_timeout(100)
    b.screenshot(phone, "admin-floorplan-audit-photos")
