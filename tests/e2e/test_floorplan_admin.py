"""The lessor's floor-plan console on a phone: an admin sets up the west shop's line, sees it
in the list, and opens a stock audit that the dealer then has to do."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page

from tests.e2e import browser as b
from tests.e2e.server import RunningBackend
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
