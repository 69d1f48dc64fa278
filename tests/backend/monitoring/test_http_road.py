"""The HTTP road and the rules it drives: a batch is stored once per fix time (duplicates and
out-of-order fixes accepted), one bad position is rejected alone with its index; a corridor
deviation opens one alert after three fixes outside and its condition ends two fixes back inside;
a single bad fix never alarms; tamper escalates at once; an overdue contract raises severity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from backend.db.models import Contract, Position
from tests.backend.auth.lessee_helpers import session
from tests.backend.monitoring.helpers import along, every, monitored, off, position
from tests.backend.servicing.helpers import MovableClock


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


URL = "/api/telemetry/positions"


async def test_a_batch_is_stored_once_and_a_bad_position_is_rejected_alone(client, settings, clock):
    contract, terminal, monitor = await monitored(client, settings)
    times = every(clock() - timedelta(minutes=10), 10)
    batch = [position(t, along(k)) for k, t in enumerate(times)]
    batch.insert(3, {"at": "yesterday", "lat": 1})
    r = await client.post(URL, json={"positions": batch}, headers=terminal)
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["accepted"], got["duplicates"], got["alerts_opened"]) == (10, 0, 0)
    assert [(x["index"], x["code"]) for x in got["rejected"]] == [(3, "position_invalid")]
    # the same fixes again, shuffled, and one older fix: duplicates, and the old one accepted
    again = [position(t, along(k)) for k, t in reversed(list(enumerate(times)))]
    again.append(position(times[0] - timedelta(minutes=5), along(0)))
    got = (await client.post(URL, json={"positions": again}, headers=terminal)).json()
    assert (got["accepted"], got["duplicates"]) == (1, 10)
    async with session(settings) as db:
        assert await db.scalar(select(func.count()).select_from(Position)) == 11
    track = (await client.get(f"/api/monitoring/contracts/{contract['id']}/track",
                              headers=monitor)).json()  # fmt: skip
    assert len(track["points"]) == 11 and track["route"] and track["half_width_m"] == 500


async def test_bad_tokens_and_oversized_batches(client, settings, clock):
    await monitored(client, settings)
    one = [position(clock(), along(0))]
    for headers in ({}, {"Authorization": "Bearer trm_nope"}, {"Authorization": "Basic x"}):
        r = await client.post(URL, json={"positions": one}, headers=headers)
        assert r.status_code == 401 and r.json()["code"] == "terminal_unauthorised"


async def test_three_fixes_outside_open_one_deviation_alert(client, settings, clock):
    contract, terminal, monitor = await monitored(client, settings)
    t = every(clock() - timedelta(minutes=20), 12)
    inside = [position(t[k], along(k)) for k in range(3)]
    outside = [position(t[k], off(along(k))) for k in range(3, 8)]
    back = [position(t[k], along(k)) for k in range(8, 10)]
    got = (await client.post(URL, json={"positions": inside + outside}, headers=terminal)).json()
    assert got["alerts_opened"] == 1
    alerts = (await client.get("/api/monitoring/alerts", params={"contract_id": contract["id"]},
                               headers=monitor)).json()  # fmt: skip
    assert [(a["type"], a["status"], a["severity"]) for a in alerts] == [
        ("deviation", "open", "warning")
    ]
    assert "偏离计划路线" in alerts[0]["reasons"][0] and len(alerts[0]["fixes"]) == 3
    got = (await client.post(URL, json={"positions": back}, headers=terminal)).json()
    assert got["alerts_opened"] == 0
    alert = (await client.get("/api/monitoring/alerts", headers=monitor)).json()[0]
    assert alert["condition_ended_at"] is not None and alert["status"] == "open"
    # a second excursion is a new alert
    later = every(t[9] + timedelta(seconds=30), 3)
    again = [position(x, off(along(10 + k))) for k, x in enumerate(later)]
    got = (await client.post(URL, json={"positions": again}, headers=terminal)).json()
    assert got["alerts_opened"] == 1


async def test_a_single_bad_fix_never_alarms(client, settings, clock):
    _contract, terminal, monitor = await monitored(client, settings)
    t = every(clock() - timedelta(minutes=10), 6)
    fixes = [position(t[k], along(k)) for k in range(6)]
    fixes[3] = position(t[3], (121.47, 31.23))  # Shanghai, a second after Beijing
    got = (await client.post(URL, json={"positions": fixes}, headers=terminal)).json()
    assert (got["accepted"], got["ignored"], got["alerts_opened"]) == (6, 1, 0)
    assert (await client.get("/api/monitoring/alerts", headers=monitor)).json() == []


async def test_tamper_escalates_at_once_and_overdue_raises_severity(client, settings, clock):
    contract, terminal, monitor = await monitored(client, settings)
    async with session(settings) as db:
        await db.execute(update(Contract).where(Contract.id == contract["id"]).values(bucket="M2"))
        await db.commit()
    cut = position(clock(), along(1), tamper=["power_cut", "antenna_cut"])
    got = (await client.post(URL, json={"positions": [cut]}, headers=terminal)).json()
    assert got["alerts_opened"] == 1
    [alert] = (await client.get("/api/monitoring/alerts", params={"type": "tamper"},
                                headers=monitor)).json()  # fmt: skip
    assert alert["severity"] == "critical" and "主电源掉电" in alert["reasons"][0]
    t = every(clock() + timedelta(seconds=30), 4)
    outside = [position(x, off(along(k))) for k, x in enumerate(t)]
    await client.post(URL, json={"positions": outside}, headers=terminal)
    [dev] = (await client.get("/api/monitoring/alerts", params={"type": "deviation"},
                              headers=monitor)).json()  # fmt: skip
    assert dev["severity"] == "critical"  # warning, one higher: the lease is overdue


async def test_future_fixes_are_ignored(client, settings, clock):
    _c, terminal, _m = await monitored(client, settings)
    ahead = clock() + timedelta(hours=3)
    got = (await client.post(URL, json={"positions": [position(ahead, along(0))]},
                             headers=terminal)).json()  # fmt: skip
    assert (got["accepted"], got["ignored"]) == (1, 1)
    assert datetime.now(UTC) < ahead


async def test_an_open_alert_is_raised_when_its_lease_falls_overdue(client, settings, clock):
    from backend.monitoring import alerts

    contract, terminal, monitor = await monitored(client, settings)
    t = every(clock() - timedelta(minutes=5), 4)
    await client.post(URL, json={"positions": [position(x, off(along(k))) for k, x in
                                               enumerate(t)]}, headers=terminal)  # fmt: skip
    [before] = (await client.get("/api/monitoring/alerts", headers=monitor)).json()
    assert before["severity"] == "warning"
    async with session(settings) as db:  # what the daily sweep does when the bucket moves
        c = await db.get(Contract, contract["id"])
        c.bucket = "M1"
        await alerts.raise_for_overdue(db, c)
        await db.commit()
    [after] = (await client.get("/api/monitoring/alerts", headers=monitor)).json()
    assert after["severity"] == "critical"
