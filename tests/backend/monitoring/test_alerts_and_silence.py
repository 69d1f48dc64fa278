"""Signal loss is judged when the SLA passes (a silent truck far from any zone at speed is a
likely disappearance, critical; one in a tunnel is not) and its condition ends when reports
resume; monitors acknowledge and resolve alerts with a note; plans and zones refuse bad input;
only monitors watch."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.monitoring import silence
from tests.backend.auth.lessee_helpers import session
from tests.backend.helpers import login
from tests.backend.monitoring.helpers import along, every, monitored, position
from tests.backend.servicing.helpers import MovableClock

URL = "/api/telemetry/positions"


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


async def _sweep(settings, at) -> list[str]:
    async with session(settings) as db:
        await silence.seed_zones(db)
        opened = await silence.sweep(db, at)
        await db.commit()
    return opened


async def test_a_silent_truck_gets_one_judged_signal_loss_alert(client, settings, clock):
    contract, terminal, monitor = await monitored(client, settings)
    fixes = [position(t, along(k), speed_kmh=80.0) for k, t in enumerate(every(clock(), 3))]
    await client.post(URL, json={"positions": fixes}, headers=terminal)
    assert await _sweep(settings, clock() + timedelta(seconds=60)) == []  # within the SLA
    later = clock() + timedelta(minutes=10)
    assert len(await _sweep(settings, later)) == 1
    assert await _sweep(settings, later + timedelta(minutes=5)) == []  # one alert, not two
    [alert] = (await client.get("/api/monitoring/alerts", params={"type": "signal_loss"},
                                headers=monitor)).json()  # fmt: skip
    assert alert["severity"] in ("warning", "critical") and alert["reasons"]
    # reports resume: the condition ends; the alert waits for a monitor
    resume = [position(clock() + timedelta(minutes=11), along(10))]
    clock.at += timedelta(minutes=11)
    await client.post(URL, json={"positions": resume}, headers=terminal)
    alert = (await client.get(f"/api/monitoring/alerts?contract_id={contract['id']}",
                              headers=monitor)).json()[0]  # fmt: skip
    assert alert["condition_ended_at"] is not None


async def test_acknowledge_and_resolve_with_a_note(client, settings, clock):
    contract, terminal, monitor = await monitored(client, settings)
    cut = position(clock(), along(1), tamper=["antenna_cut"])
    await client.post(URL, json={"positions": [cut]}, headers=terminal)
    [alert] = (await client.get("/api/monitoring/alerts", headers=monitor)).json()
    base = f"/api/monitoring/alerts/{alert['id']}"
    lessee = await login(client, "lessee")
    assert (await client.post(f"{base}/ack", headers=lessee)).status_code == 403
    r = await client.post(f"{base}/ack", headers=monitor)
    assert r.status_code == 200 and r.json()["status"] == "acknowledged"
    r = await client.post(f"{base}/resolve", json={"outcome": "false_alarm", "note": " "},
                          headers=monitor)  # fmt: skip
    assert r.status_code == 422 and r.json()["code"] == "alert_note_required"
    r = await client.post(f"{base}/resolve", json={"outcome": "maybe", "note": "x"},
                          headers=monitor)  # fmt: skip
    assert r.json()["code"] == "alert_outcome_invalid"
    r = await client.post(f"{base}/resolve",
                          json={"outcome": "resolved", "note": "已电话联系司机，天线松动已修复"},
                          headers=monitor)  # fmt: skip
    assert r.status_code == 200 and r.json()["status"] == "resolved"
    again = await client.post(f"{base}/ack", headers=monitor)
    assert again.status_code == 409 and again.json()["code"] == "alert_closed"
    missing = await client.post("/api/monitoring/alerts/nope/ack", headers=monitor)
    assert missing.status_code == 404
    shown = (await client.get(base, headers=monitor)).json()
    assert shown["status"] == "resolved" and shown["note"].startswith("已电话联系司机")
    assert (await client.get("/api/monitoring/alerts/nope", headers=monitor)).status_code == 404
    # the contract's timeline tells the alert's life
    timeline = (await client.get(f"/api/contracts/{contract['id']}/timeline",
                                 headers=monitor)).json()  # fmt: skip
    told = [e["summary"] for e in timeline if e["kind"].startswith("monitoring.")]
    assert told == [
        "安装定位终端（013****5678）", "监控方案第 1 版", "车辆预警：终端被破坏（严重）",
        "预警已接警", "预警已解决：已电话联系司机，天线松动已修复",
    ]  # fmt: skip


async def test_the_console_filters_by_severity_type_and_the_lessees_province(
    client, settings, clock
):
    from app_mobile.api import ApiClient
    from common.regions import province_name

    _contract, terminal, _monitor = await monitored(client, settings)
    cut = position(clock(), along(1), tamper=["power_cut"])
    await client.post(URL, json={"positions": [cut]}, headers=terminal)
    api = ApiClient("http://testserver.local", http=client)
    await api.login("monitor", "demo")
    [alert] = await api.monitoring_alerts()
    assert (alert.type, alert.severity) == ("tamper", "critical")
    assert alert.region_code and province_name(alert.region_code)  # the lessee's, named

    async def found(**chosen: str) -> list[str]:  # as the console sends them ("" = all)
        return [a.id for a in await api.monitoring_alerts(**chosen)]

    assert await found(type="", severity="", region="") == [alert.id]
    assert await found(severity="critical", region=alert.region_code[:2]) == [alert.id]
    assert await found(severity="warning") == []
    assert await found(type="deviation") == []
    assert await found(region="99") == []


async def test_bad_plans_and_zones_are_refused(client, settings, clock):
    contract, _terminal, monitor = await monitored(client, settings)
    url = f"/api/monitoring/contracts/{contract['id']}/plan"
    for body in (
        {"route": [[116.4, 39.9]]},
        {"route": [[200, 39.9], [116.5, 39.8]]},
        {"half_width_m": 5},
        {"regions": [[[116, 39], [116, 39], [116, 39]]]},
        {"schedule": {"hours": [20, 8]}},
    ):
        r = await client.put(url, json=body, headers=monitor)
        assert r.status_code in (400, 422), (body, r.text)
    nameless = {"name": "", "kind": "tunnel", "lat": 1, "lon": 1, "radius_m": 5}
    r = await client.put("/api/monitoring/zones", headers=monitor, json=[nameless])
    assert r.status_code == 422 and r.json()["code"] == "zones_invalid"
    staff = await login(client, "staff")
    assert (await client.get("/api/monitoring/alerts", headers=staff)).status_code == 403


async def test_a_terminal_is_registered_once_on_the_contracts_vehicle(client, settings, clock):
    contract, _terminal, _monitor = await monitored(client, settings)
    staff = await login(client, "staff")
    body = {"phone": "013912345678", "imei": "861234567890999", "vin": contract["vehicle"]["vin"],
            "contract_id": contract["id"]}  # fmt: skip
    r = await client.post("/api/monitoring/terminals", json=body, headers=staff)
    assert r.status_code == 409 and r.json()["code"] == "terminal_taken"
    other = {**body, "phone": "013900000001", "vin": "LSVAB12C0MA000001"}
    r = await client.post("/api/monitoring/terminals", headers=staff, json=other)
    assert r.status_code == 422 and r.json()["code"] == "terminal_vin_mismatch"
    r = await client.get(f"/api/monitoring/contracts/{contract['id']}/terminals", headers=staff)
    [t] = r.json()
    assert "*" in t["phone"] and t["token"] is None
