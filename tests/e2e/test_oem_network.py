"""A vehicle maker's channel manager opens the app and sees its network's dealer with the floor
plan's utilisation, the stock and the last audit — aggregated, no lessee data."""

from __future__ import annotations

import uuid

import httpx
import pytest
from playwright.sync_api import Page

from backend.risk.demo import make_vin
from tests.e2e import browser as b
from tests.e2e.server import RunningBackend
from tests.e2e.test_monitor_console import _login
from tests.e2e.test_risk_flow import sign_in

pytestmark = pytest.mark.e2e


def test_the_oem_sees_its_dealers_floor_plan(phone: Page, backend: RunningBackend) -> None:
    url = backend.base_url
    line = httpx.get(f"{url}/api/floorplan/line", params={"dealer_id": "org-shop-east"},
                     headers=_login(backend, "admin"))  # fmt: skip
    if line.status_code == 404:  # no line yet in this session: give the dealer one
        r = httpx.put(f"{url}/api/floorplan/lines/org-shop-east", headers=_login(backend, "admin"),
                      json={"limit": "3000000.00", "annual_rate_percent": "7.2",
                            "reason": "e2e"})  # fmt: skip
        assert r.status_code in (200, 201), r.text
    r = httpx.post(f"{url}/api/floorplan/drawdowns", headers={
        **_login(backend, "dealer"), "Idempotency-Key": uuid.uuid4().hex},
        json={"vin": make_vin("LFV", 2026, 700_093, vds="3A28K"), "invoice_amount": "180000.00",
              "payee": "一汽-大众销售有限责任公司"})  # fmt: skip
    assert r.status_code in (201, 409), r.text  # 409: drawn down by an earlier run of this test
    sign_in(phone, "oem", "oem-dealer-org-shop-east")
    b.wait_text(phone, "oem-stock-org-shop-east", lambda t: t.split()[-1] != "0")
    b.screenshot(phone, "oem-network")
