"""A monitor on a phone sees a vehicle's tamper alert on the console, a deviation arrives while
the console is open (no reload), and the monitor opens it — the map with the track and the
corridor — and acknowledges it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

from tests.e2e import browser as b
from tests.e2e.server import RunningBackend
from tests.e2e.test_risk_flow import sign_in

pytestmark = pytest.mark.e2e
ROUTE = [(116.46, 39.91), (116.80, 39.70)]


def _login(backend: RunningBackend, username: str) -> dict[str, str]:
    r = httpx.post(f"{backend.base_url}/api/auth/login",
                   json={"username": username, "password": "demo"})  # fmt: skip
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _post(backend: RunningBackend, token: str, positions: list[dict[str, Any]]) -> None:
    r = httpx.post(f"{backend.base_url}/api/telemetry/positions", json={"positions": positions},
                   headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert r.status_code == 200, r.text


def _along(k: int) -> dict[str, float]:
    f = k / 100
    return {"lon": ROUTE[0][0] + (ROUTE[1][0] - ROUTE[0][0]) * f,
            "lat": ROUTE[0][1] + (ROUTE[1][1] - ROUTE[0][1]) * f}  # fmt: skip


def _subscribe_a_logistics_company(backend: RunningBackend, contract_id: str) -> None:
    """The contract's logistics company hears of its alerts at the demo webhook receiver."""
    url, admin = backend.base_url, _login(backend, "admin")
    r = httpx.post(f"{url}/api/partners/organisations", headers=admin,
                   json={"name": "顺路冷链物流", "kind": "logistics"})  # fmt: skip
    assert r.status_code == 201, r.text
    org = r.json()["id"]
    r = httpx.post(f"{url}/api/partners/organisations/{org}/endpoints", headers=admin, json={
        "url": f"{url}/api/demo/webhook-receiver/ok", "event_types": ["alert.*"]})  # fmt: skip
    assert r.status_code == 201, r.text
    contact = {"organisation_id": org, "contact_name": "刘洋", "contact_mobile": "13700009999"}
    r = httpx.put(f"{url}/api/partners/contracts/{contract_id}/logistics", headers=admin,
                  json=contact)  # fmt: skip
    assert r.status_code == 200, r.text


def test_a_monitor_sees_alerts_arrive_and_acknowledges_one(
    phone: Page, backend: RunningBackend, contract: dict[str, Any]
) -> None:
    url = backend.base_url
    staff = _login(backend, "staff")
    r = httpx.post(f"{url}/api/monitoring/terminals", headers=staff, json={
        "phone": "013977770001", "imei": "861977770000001", "vin": contract["vehicle"]["vin"],
        "contract_id": contract["id"]})  # fmt: skip
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    plan = {"profile": "heavy_truck", "route": ROUTE, "half_width_m": 500}
    r = httpx.put(f"{url}/api/monitoring/contracts/{contract['id']}/plan", json=plan,
                  headers=_login(backend, "monitor"))  # fmt: skip
    assert r.status_code == 200, r.text
    _subscribe_a_logistics_company(backend, contract["id"])
    now = datetime.now(UTC)
    start = now - timedelta(minutes=10)
    track = [{"at": (start + timedelta(seconds=30 * k)).isoformat(), "speed_kmh": 60.0,
              **_along(k)} for k in range(8)]  # fmt: skip
    track[-1]["tamper"] = ["antenna_cut"]
    _post(backend, token, track)

    sign_in(phone, "monitor", "alerts-list")
    b.wait_text(phone, "alerts-list", lambda t: "终端被破坏" in t)
    for what in ("type", "severity", "region"):  # the console's filters
        b.wait_for(phone, f"alerts-filter-{what}")
    # the truck drifts ~900 m off its corridor: the alert arrives on the open console
    drift = [{"at": (start + timedelta(seconds=30 * k)).isoformat(), "speed_kmh": 60.0,
              "lon": _along(k)["lon"] + 0.0063, "lat": _along(k)["lat"] + 0.0063}
             for k in range(8, 13)]  # fmt: skip
    _post(backend, token, drift)
    b.wait_for(phone, "alert-deviation", timeout_ms=20_000)
    b.screenshot(phone, "monitor-alerts")
    b.tap(phone, "alert-deviation")
    b.wait_for(phone, "alert-map")
    b.screenshot(phone, "monitor-alert-map")
    b.tap(phone, "alert-ack")
    b.wait_for(phone, "alert-map")
    # the logistics company was told of the alert, and of its acknowledgement
    b.wait_for(phone, "delivery-alert.acknowledged")
    b.wait_for(phone, "delivery-alert.opened")
    b.screenshot(phone, "monitor-alert-deliveries")
    b.tap(phone, "alert-timeline")  # the contract's life, the alert's in it
    b.wait_text(phone, "timeline", lambda t: "车辆预警：偏离路线" in t and "预警已接警" in t)
    b.screenshot(phone, "monitor-contract-timeline")
    alerts = httpx.get(f"{url}/api/monitoring/alerts", params={"type": "deviation"},
                       headers=_login(backend, "monitor")).json()  # fmt: skip
    assert [a["status"] for a in alerts] == ["acknowledged"]
