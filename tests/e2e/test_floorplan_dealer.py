"""The demo dealer on a phone finances a new vehicle on its floor plan — the VIN read from a
photo of its label with the intake's scanner — sees it among the units with its payoff amount,
and pays it off through the provider's pay page (once the provider confirms, the unit shows paid
off and the available amount comes back); then checks a financed vehicle in on a stock audit
with a photo. Screenshots at 390 x 844."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

from backend.risk.demo import make_vin
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


def _give_line(backend: RunningBackend) -> None:
    r = httpx.get(f"{backend.base_url}/api/floorplan/line", headers=_login(backend, "dealer"))
    if r.status_code == 404:
        r = httpx.put(f"{backend.base_url}/api/floorplan/lines/org-shop-east", json=LINE,
                      headers=_login(backend, "admin"))  # fmt: skip
    assert r.status_code == 200, r.text


def test_the_dealer_draws_down_a_scanned_vin_and_pays_it_off(
    phone: Page, backend: RunningBackend, photo_files: dict[str, Path]
) -> None:
    _give_line(backend)
    vin = (photo_files["vin"].parent / "vin.txt").read_text()

    sign_in(phone, "dealer", "home-new-application")
    open_route(phone, backend, "/floorplan", "fp-line")
    before = _line(backend)["available"]
    assert f"{Decimal(before):,.2f}" in b.text_of(phone, "fp-available")
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
    after = f"{Decimal(before) - 186500:,.2f}"
    assert after in b.text_of(phone, "fp-available")
    assert Decimal(_line(backend)["available"]) == Decimal(before) - 186500
    b.screenshot(phone, "floorplan-drawn-down")

    # 结清: the provider's pay page opens in a new tab, as the hall's rent does
    with phone.context.expect_page() as opened:
        b.tap(phone, f"fp-payoff-{vin}")
    pay_page = opened.value
    pay_page.wait_for_load_state()
    assert "微信支付" in pay_page.title() and "186,500.00" in pay_page.content()
    b.wait_for(phone, "fp-pay-waiting")  # nothing is posted until the provider confirms
    assert Decimal(_line(backend)["available"]) == Decimal(before) - 186500
    pay_page.screenshot(path=str(b.OUTPUT / "floorplan-pay-page.png"))
    pay_page.get_by_role("button", name="支付").dispatch_event("click")
    pay_page.get_by_text("支付成功").wait_for(timeout=15_000)
    pay_page.close()
    # the app waits for the provider's notification, then shows the unit paid off
    b.wait_text(phone, "fp-pay-result", lambda text: "已结清" in text and vin in text, timeout_s=60)
    b.wait_text(phone, f"fp-unit-status-{vin}", lambda text: "已结清" in text)
    assert _line(backend)["available"] == before
    b.screenshot(phone, "floorplan-paid-off")
    b.tap(phone, "fp-pay-back")
    b.wait_text(phone, "fp-available", lambda text: f"{Decimal(before):,.2f}" in text)
    b.wait_text(phone, f"fp-unit-status-{vin}", lambda text: "已结清" in text)


def test_the_dealer_checks_a_financed_vehicle_in_on_a_stock_audit(
    phone: Page, backend: RunningBackend, photo_files: dict[str, Path]
) -> None:
    _give_line(backend)
    dealer = _login(backend, "dealer")
    vin = make_vin("LFV", 2026, 880_001, vds="AB36C")
    body = {"vin": vin, "invoice_amount": "198000", "payee": "一汽-大众", "model": "迈腾"}
    r = httpx.post(f"{backend.base_url}/api/floorplan/drawdowns", json=body,
                   headers={**dealer, "Idempotency-Key": "e2e-audit-unit"})  # fmt: skip
    assert r.status_code == 201, r.text
    deadline = (date.today() + timedelta(days=7)).isoformat()
    r = httpx.post(f"{backend.base_url}/api/floorplan/audits", headers=_login(backend, "admin"),
                   json={"dealer_id": "org-shop-east", "deadline": deadline})  # fmt: skip
    assert r.status_code == 201, r.text
    audit = r.json()

    sign_in(phone, "dealer", "home-new-application")
    open_route(phone, backend, "/floorplan", f"fp-audit-{audit['id']}")
    b.tap(phone, f"fp-audit-{audit['id']}")
    b.wait_text(phone, "fp-audit-summary", lambda text: f"0/{len(audit['units'])}" in text)
    b.type_into(phone, "fp-audit-vin", vin)
    b.screenshot(phone, "floorplan-audit-open")
    with phone.expect_file_chooser() as chooser:
        b.tap(phone, "fp-audit-photo")
    chooser.value.set_files(str(photo_files["vehicle"]))
    b.wait_text(phone, "error-banner", lambda text: vin in text)  # 已盘点：VIN
    total = len(audit["units"])
    b.wait_text(phone, "fp-audit-summary", lambda text: f"1/{total}" in text)
    shown = httpx.get(f"{backend.base_url}/api/floorplan/audits/{audit['id']}", headers=dealer)
    assert [u["vin"] for u in shown.json()["units"] if u["scanned_at"]] == [vin]
    b.screenshot(phone, "floorplan-audit-scanned")
