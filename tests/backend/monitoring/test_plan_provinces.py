"""A plan's allowed regions can name whole provinces by code: a sedan allowed only in Beijing
raises one region alert after it has crossed into Hebei (燕郊) for three fixes, and the alert's
condition ends when it drives back; Hebei's outline has Beijing as a hole; unknown codes are
refused with the field named."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.backend.monitoring.helpers import every, monitored, position
from tests.backend.servicing.helpers import MovableClock

URL = "/api/telemetry/positions"
LAT = 39.93  # 通州 → 燕郊: the Beijing–Hebei line is at about 116.787°E on this parallel


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


def _eastward(start: float, n: int, step: float = 0.006) -> list[tuple[float, float]]:
    """n points east from `start` (~510 m apart: 61 km/h at one fix per 30 s)."""
    return [(start + k * step, LAT) for k in range(n)]


async def test_a_sedan_allowed_in_beijing_alarms_in_hebei_and_ends_back_home(
    client, settings, clock
):
    plan = {"profile": "passenger", "provinces": ["11"], "lessee_sees_position": True}
    contract, terminal, monitor = await monitored(client, settings, plan=plan)
    shown = (await client.get(f"/api/monitoring/contracts/{contract['id']}/plan",
                              headers=monitor)).json()  # fmt: skip
    assert shown["provinces"] == ["11"] and shown["regions"] is None
    out = _eastward(116.70, 17)  # the last two fixes are in Hebei
    path = out + _eastward(116.802, 8) + _eastward(116.79, 8, step=-0.006)
    times = every(clock() - timedelta(minutes=25), len(path))
    fixes = [position(at, p, speed_kmh=61.0) for at, p in zip(times, path, strict=True)]
    r = await client.post(URL, json={"positions": fixes[:17]}, headers=terminal)
    assert r.status_code == 200 and r.json()["alerts_opened"] == 0  # two fixes out: not yet
    r = await client.post(URL, json={"positions": fixes[17:]}, headers=terminal)
    assert r.json()["accepted"] == len(path) - 17 and r.json()["alerts_opened"] == 1
    [alert] = (await client.get("/api/monitoring/alerts", headers=monitor)).json()
    assert alert["type"] == "region" and "驶出合同允许的行驶区域" in alert["reasons"]
    assert alert["lon"] > 116.787 and alert["condition_ended_at"] is not None
    track = (await client.get(f"/api/monitoring/contracts/{contract['id']}/track",
                              headers=monitor)).json()  # fmt: skip
    assert track["provinces"] == ["11"] and len(track["points"]) == len(path)


async def test_hebei_does_not_hold_beijing(client, settings, clock):
    plan = {"profile": "passenger", "provinces": ["13"]}
    _contract, terminal, monitor = await monitored(client, settings, plan=plan)
    path = [(116.397 + k * 0.004, 39.909) for k in range(4)]  # 天安门, eastward
    times = every(clock() - timedelta(minutes=2), 4)
    fixes = [position(at, p, speed_kmh=40.0) for at, p in zip(times, path, strict=True)]
    r = await client.post(URL, json={"positions": fixes}, headers=terminal)
    assert r.json()["alerts_opened"] == 1
    [alert] = (await client.get("/api/monitoring/alerts", headers=monitor)).json()
    assert alert["type"] == "region"


@pytest.mark.parametrize(
    "provinces", [["99"], [], ["11", "11"], ["110000"]], ids=["unknown", "empty", "twice", "city"]
)
async def test_provinces_must_be_known_codes_listed_once(client, settings, clock, provinces):
    contract, _terminal, monitor = await monitored(client, settings)
    url = f"/api/monitoring/contracts/{contract['id']}/plan"
    r = await client.put(url, json={"provinces": provinces}, headers=monitor)
    assert r.status_code == 422 and r.json()["code"] == "monitoring_plan_invalid", r.text
    assert "provinces" in r.json()["fields"]
    plan = (await client.get(url, headers=monitor)).json()
    assert plan["provinces"] is None and plan["route"]  # the saved plan is untouched
