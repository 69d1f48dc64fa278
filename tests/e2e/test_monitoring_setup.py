"""Putting a delivered vehicle under watch from a phone: the shop's staff registers the GPS
terminal from the application's contract and gets its reporting token once; the monitor opens
the contract, chooses the provinces the vehicle may drive in on the plan, and saves it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

from tests.e2e import browser as b
from tests.e2e.server import RunningBackend
from tests.e2e.test_monitor_console import _login
from tests.e2e.test_risk_flow import open_route, sign_in

pytestmark = pytest.mark.e2e


def test_staff_installs_a_terminal_and_the_monitor_allows_provinces(
    chromium: Any, backend: RunningBackend, contract: dict[str, Any]
) -> None:
    def fresh_phone() -> Page:
        context = chromium.new_context(viewport=b.PHONE, device_scale_factor=1)
        page = context.new_page()
        page.goto(backend.app_url)
        b.wait_ready(page)
        return page

    staff = fresh_phone()
    sign_in(staff, "staff", "home-new-application")
    open_route(staff, backend, f"/applications/{contract['application_id']}",
               "application-terminals")  # fmt: skip
    b.tap(staff, "application-terminals")
    b.type_into(staff, "terminal-phone", "013966660001")
    b.type_into(staff, "terminal-imei", "861966660000001")
    b.tap(staff, "terminal-install")
    token = b.wait_text(staff, "terminal-token", lambda t: t.strip().startswith("trm_")).strip()
    b.wait_for(staff, "terminal-861966660000001")
    b.screenshot(staff, "staff-terminal-installed")
    staff.context.close()
    # the token is the terminal's on the HTTP road
    r = httpx.post(f"{backend.base_url}/api/telemetry/positions", json={"positions": []},
                   headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert r.status_code == 200, r.text

    monitor = fresh_phone()
    sign_in(monitor, "monitor", "alerts-list")
    open_route(monitor, backend, f"/contracts/{contract['id']}", "contract-plan")
    b.tap(monitor, "contract-plan")
    b.wait_for(monitor, "plan-map")
    for code in ("11", "12", "13"):  # 京津冀
        b.tap(monitor, f"plan-province-{code}")
    b.tap(monitor, "plan-save")
    b.wait_for(monitor, "plan-map")
    url = f"{backend.base_url}/api/monitoring/contracts/{contract['id']}/plan"
    saved: dict[str, Any] = {}
    for _ in range(50):
        saved = httpx.get(url, headers=_login(backend, "monitor")).json()
        if saved.get("provinces"):
            break
        monitor.wait_for_timeout(200)
    assert saved["provinces"] == ["11", "12", "13"]
    b.screenshot(monitor, "monitor-plan-provinces")
    monitor.context.close()
