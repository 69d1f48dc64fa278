"""Residual value on a phone: the clerk types a used car's VIN and mileage and sees its
valuation (the value, the 80 % interval, the drivers and the three-year chart); the dealer opens a
financed unit's best time to sell. Screenshots at 390 x 844."""

from __future__ import annotations

import re
from decimal import Decimal

import httpx
import pytest
from playwright.sync_api import Page

from backend.risk.demo import make_vin
from tests.e2e import browser as b
from tests.e2e.server import RunningBackend
from tests.e2e.test_floorplan_dealer import _give_line
from tests.e2e.test_monitor_console import _login
from tests.e2e.test_risk_flow import open_route, sign_in

pytestmark = pytest.mark.e2e


def _amounts(text: str) -> list[Decimal]:
    return [Decimal(x.replace(",", "")) for x in re.findall(r"¥([0-9,]+\.[0-9]{2})", text)]


def test_the_clerk_sees_a_used_cars_valuation_with_its_interval(
    phone: Page, backend: RunningBackend
) -> None:
    vin = make_vin("LVG", 2021, 610_001)  # GAC Toyota: the Camry
    sign_in(phone, "staff", "home-new-application")
    b.tap(phone, "home-new-application")
    b.type_into(phone, "intake-vin", vin)
    b.wait_text(phone, "intake-vehicle-facts", lambda text: "凯美瑞" in text, timeout_s=15)
    b.type_into(phone, "intake-mileage", "60000")
    b.tap(phone, "intake-valuation-show")
    value = b.wait_text(phone, "intake-valuation-value", lambda text: "¥" in text, timeout_s=15)
    interval = b.text_of(phone, "intake-valuation-interval")
    assert "80%区间" in interval
    low, high = _amounts(interval)[:2]
    assert low < _amounts(value)[0] < high
    assert "车龄" in b.text_of(phone, "intake-valuation-drivers")
    b.wait_for(phone, "intake-valuation-chart")
    # what the server answers for the same car, region as the intake proposed it
    api = httpx.get(
        f"{backend.base_url}/api/valuation", headers=_login(backend, "staff"),
        params={"vin": vin, "mileage_km": 60000, "region_code": "110105"},
    ).json()  # fmt: skip
    assert _amounts(value)[0] == Decimal(api["value"])
    phone.wait_for_timeout(600)
    b.node(phone, "intake-valuation-chart").scroll_into_view_if_needed()
    b.screenshot(phone, "residual-valuation")


def test_the_dealer_opens_a_units_best_time_to_sell(phone: Page, backend: RunningBackend) -> None:
    _give_line(backend)
    vin = make_vin("LFV", 2026, 610_002, vds="AB36C")
    r = httpx.post(
        f"{backend.base_url}/api/floorplan/drawdowns",
        headers={**_login(backend, "dealer"), "Idempotency-Key": f"e2e-sell-{vin}"},
        json={"vin": vin, "invoice_amount": "198000", "payee": "一汽-大众销售有限责任公司",
              "model": "迈腾 Magotan"},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    sign_in(phone, "dealer", "home-new-application")
    open_route(phone, backend, "/floorplan", "fp-line")
    b.tap(phone, f"fp-sell-{vin}")
    best = b.wait_text(phone, "sell-best", lambda text: "建议出售日" in text, timeout_s=15)
    assert "建议" in b.text_of(phone, "sell-note")
    b.wait_for(phone, "sell-chart")
    assert best
    phone.wait_for_timeout(600)
    b.screenshot(phone, "residual-sell-timing")
