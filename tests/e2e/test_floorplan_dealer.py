"""The demo dealer on a phone finances a new vehicle on its floor plan — the VIN read from a
photo of its label with the intake's scanner — sees it among the units with its payoff amount,
and pays it off; the line's used amount goes back to nought. Screenshots at 390 x 844."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

from tests.e2e import browser as b
from tests.e2e.server import RunningBackend
from tests.e2e.test_monitor_console import _login
from tests.e2e.test_risk_flow import open_route, sign_in

pytestmark = pytest.mark.e2e
LINE = {"limit": "5000000", "annual_rate_percent": "7.2", "max_days": 180}


def _line(backend: RunningBackend) -> dict[str, Any]:
    r = httpx.get(f"{backend.base_url}/api/floorplan/line", headers=_login(backend, "dealer"))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_the_dealer_draws_down_a_scanned_vin_and_pays_it_off(
    phone: Page, backend: RunningBackend, photo_files: dict[str, Path]
) -> None:
    admin = _login(backend, "admin")
    r = httpx.put(f"{backend.base_url}/api/floorplan/lines/org-shop-east", json=LINE,
                  headers=admin)  # fmt: skip
    assert r.status_code == 200, r.text
    vin = (photo_files["vin"].parent / "vin.txt").read_text()

    sign_in(phone, "dealer", "home-new-application")
    open_route(phone, backend, "/floorplan", "fp-line")
    assert "5,000,000.00" in b.text_of(phone, "fp-available")
    b.screenshot(phone, "floorplan-line")
    with phone.expect_file_chooser() as chooser:
        b.tap(phone, "fp-vin-photo")
    chooser.value.set_files(str(photo_files["vin"]))
    b.wait_text(phone, "fp-vin-read", lambda text: vin in text, timeout_s=15)
    b.type_into(phone, "fp-amount", "186500")
    b.type_into(phone, "fp-payee", "上汽大众汽车销售有限公司")
    b.screenshot(phone, "floorplan-drawdown-form")
    b.tap(phone, "fp-submit")
    b.wait_for(phone, f"fp-unit-{vin}")
    b.wait_text(phone, f"fp-payoff-amount-{vin}", lambda text: "186,500.00" in text)
    assert "4,813,500.00" in b.text_of(phone, "fp-available")
    assert _line(backend)["used"] == "186500.00"
    b.screenshot(phone, "floorplan-drawn-down")

    b.tap(phone, f"fp-payoff-{vin}")
    b.wait_text(phone, "error-banner", lambda text: vin in text)  # the success line
    b.wait_text(phone, "fp-available", lambda text: "5,000,000.00" in text)
    assert _line(backend)["used"] == "0.00"
    b.screenshot(phone, "floorplan-paid-off")
