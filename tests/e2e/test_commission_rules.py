"""An admin edits the dealers' commission rules on the console: a fixed amount for one product
beside the percentage for every product, saved as a new version."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page

from tests.e2e import browser as b
from tests.e2e.server import RunningBackend
from tests.e2e.test_monitor_console import _login
from tests.e2e.test_risk_flow import open_route, sign_in

pytestmark = pytest.mark.e2e


def test_an_admin_saves_a_new_version_of_the_commission_rules(
    phone: Page, backend: RunningBackend
) -> None:
    url = f"{backend.base_url}/api/dealer/commission-rules"
    before = httpx.get(url, headers=_login(backend, "admin")).json()["version"]
    sign_in(phone, "admin", "admin-commissions")
    open_route(phone, backend, "/admin/commissions", "commission-rule-0")
    b.type_into(phone, "commission-value-0", "1.8")
    b.tap(phone, "commission-save")
    b.wait_text(phone, "error-banner", lambda t: "已保存" in t)
    b.screenshot(phone, "admin-commission-rules")
    saved = httpx.get(url, headers=_login(backend, "admin")).json()
    assert saved["version"] == before + 1
    assert saved["rules"][0]["percent"] == "1.8" and saved["rules"][0]["product_id"] == "*"
