"""The simulator's route (北京—天津, a heavy truck with a 500 m corridor) through each road raises
exactly the expected alerts: a deviation one deviation alert, a single bad fix none, tamper one
tamper alert, and a signal loss one signal-loss alert once the silence sweep runs past the SLA.
Every fix sent is stored once, with its road."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from backend.commands.simulate_terminal import drive
from backend.db.models import Position
from backend.monitoring import silence
from common.monitoring import simulator
from common.monitoring.simulator import Scenario
from tests.backend.auth.lessee_helpers import session
from tests.backend.monitoring.helpers import monitored
from tests.backend.monitoring.roads import PLAN, ROUTE, terminal_on, utcnow

EXPECTED = {
    Scenario.DEVIATION: ["deviation"],
    Scenario.SINGLE_BAD_FIX: [],
    Scenario.TAMPER: ["tamper"],
    Scenario.SIGNAL_LOSS: ["signal_loss"],
}


@pytest.mark.parametrize("road", ["jt808", "mqtt", "http"])
@pytest.mark.parametrize("scenario", list(Scenario), ids=[s.value for s in Scenario])
async def test_the_simulated_route_raises_exactly_the_expected_alerts(
    client, settings, road, scenario
):
    _contract, headers, monitor = await monitored(client, settings, plan=PLAN)
    token = headers["Authorization"].removeprefix("Bearer ")
    steps = simulator.plan(ROUTE, scenario, speed_kmh=90, interval_s=30)
    async with terminal_on(road, client, settings, token) as terminal:
        sent = await drive(terminal, steps, time_scale=1e6)
    assert len(sent) == len(steps)
    async with session(settings) as db:
        rows = (await db.execute(select(Position.road, func.count()).group_by(Position.road))).all()
        assert rows == [(road, len(steps))]
        bad = await db.scalar(select(func.count()).where(Position.implausible.is_not(None)))
        assert bad == (1 if scenario is Scenario.SINGLE_BAD_FIX else 0)
    if scenario is Scenario.SIGNAL_LOSS:
        async with session(settings) as db:
            await silence.seed_zones(db)
            assert await silence.sweep(db, utcnow() + timedelta(seconds=30)) == []  # within SLA
            assert len(await silence.sweep(db, utcnow() + timedelta(minutes=10))) == 1
            await db.commit()
    alerts = (await client.get("/api/monitoring/alerts", headers=monitor)).json()
    assert sorted(a["type"] for a in alerts) == EXPECTED[scenario]
    if scenario is Scenario.DEVIATION:
        [alert] = alerts
        assert alert["condition_ended_at"] is not None  # it came back onto the route
        assert "偏离计划路线" in alert["reasons"][0]
    if scenario is Scenario.SIGNAL_LOSS:
        assert alerts[0]["reasons"] and alerts[0]["severity"] in ("warning", "critical")
