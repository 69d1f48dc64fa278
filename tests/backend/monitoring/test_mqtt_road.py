"""The MQTT road against Mosquitto: positions published under the road's prefix are stored once;
a message is acknowledged only after its commit (a failed commit leaves it unacknowledged and
the broker sends it again); messages that can never be stored are dropped without stopping the
road; the persistent session keeps what arrives while the subscriber is away, across a broker
restart, beyond the default queue of 1,000 when the broker is configured as docs/monitoring.md
says."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import uuid
from contextlib import AsyncExitStack
from datetime import timedelta

import aiomqtt
import pytest
from sqlalchemy import func, select

from backend.commands.simulate_terminal import position
from backend.db.models import Position
from backend.monitoring import ingest, mqtt_road
from backend.monitoring.mqtt_road import Broker, MqttRoad
from common.monitoring.fix import Fix
from tests.backend.auth.lessee_helpers import session
from tests.backend.monitoring.helpers import monitored
from tests.backend.monitoring.roads import mqtt_road as running_road
from tests.backend.monitoring.roads import sessions, settled, utcnow
from tests.backend.monitoring.test_jt808_gateway import count, fix_at


def _token(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def body(token: str, *fixes) -> str:
    return json.dumps({"token": token, "positions": [position(f) for f in fixes]})


async def test_positions_published_are_stored_once_and_bad_messages_dropped(client, settings):
    _c, headers, _m = await monitored(client, settings)
    token = _token(headers)
    async with running_road(settings) as road, aiomqtt.Client("127.0.0.1", 1883) as pub:
        topic = road.topic.replace("+", "861234567890123")
        fixes = [fix_at(k, 300 - 30 * k) for k in range(4)]
        await pub.publish(topic, body(token, *fixes[:3]), qos=1)
        await pub.publish(topic, b"not json", qos=1)
        await pub.publish(topic, body("trm_unknown", fixes[3]), qos=1)
        await pub.publish(topic, body(token, *fixes[2:]), qos=1)  # one again, one new
        await settled(road, 4)
    async with session(settings) as db:
        by_road = select(Position.road, func.count()).group_by(Position.road)
        roads = (await db.execute(by_road)).all()
    assert roads == [("mqtt", 4)]


async def test_a_message_is_acknowledged_only_after_its_commit(client, settings, monkeypatch):
    _c, headers, _m = await monitored(client, settings)
    monkeypatch.setattr(mqtt_road, "BACKOFF_S", (0.05, 0.1))
    real, calls = ingest.ingest, []

    async def failing_once(*args, **kw):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("the database went away")
        return await real(*args, **kw)

    monkeypatch.setattr(ingest, "ingest", failing_once)
    async with running_road(settings) as road, aiomqtt.Client("127.0.0.1", 1883) as pub:
        await pub.publish(road.topic.replace("+", "t"), body(_token(headers), fix_at(1, 30)), qos=1)
        await settled(road, 1)
    assert len(calls) == 2  # refused once, left unacknowledged, sent again by the broker
    assert await count(settings) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(shutil.which("mosquitto") is None, reason="needs the mosquitto binary")
async def test_nothing_is_lost_while_the_subscriber_is_away_across_a_broker_restart(
    client, settings, tmp_path
):
    _c, headers, _m = await monitored(client, settings)
    token = _token(headers)
    port = _free_port()
    conf = tmp_path / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence true\n"
        f"persistence_location {tmp_path}/\nmax_queued_messages 200000\n"
        "max_inflight_messages 100\n" + ("user root\n" if os.geteuid() == 0 else "")
        # run as root, mosquitto would drop to its own user, who cannot write tmp_path
    )

    async def broker() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(["mosquitto", "-c", str(conf)], stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                _r, w = await asyncio.open_connection("127.0.0.1", port)
                w.close()
                return process
            except OSError:
                await asyncio.sleep(0.05)
        raise RuntimeError("mosquitto did not start")

    name = uuid.uuid4().hex[:8]
    stack = AsyncExitStack()
    made = await stack.enter_async_context(sessions(settings))
    road = MqttRoad(made, utcnow, settings.secret_key,
                    Broker("127.0.0.1", port, False, None, None), prefix=f"t/{name}",
                    client_id=f"autolease-test-{name}")  # fmt: skip
    process = await broker()
    try:
        task = asyncio.create_task(road.run())
        await asyncio.wait_for(road.subscribed.wait(), 10)
        task.cancel()  # the subscriber goes away; its session stays on the broker
        await asyncio.gather(task, return_exceptions=True)
        n = 1100  # beyond Mosquitto's default queue of 1,000
        start = utcnow() - timedelta(seconds=n + 60)
        async with aiomqtt.Client("127.0.0.1", port) as pub:
            for k in range(n):
                f = Fix(
                    at=(start + timedelta(seconds=k)).replace(microsecond=0), lat=39.91, lon=116.46
                )
                await pub.publish(f"t/{name}/x/positions", body(token, f), qos=1)
        process.terminate()  # a graceful restart: the broker saves its sessions and queues
        process.wait(10)
        process = await broker()
        task = asyncio.create_task(road.run())
        await settled(road, n, timeout_s=120)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    finally:
        process.terminate()
        process.wait(10)
        await stack.aclose()
    assert await count(settings) == n


async def test_one_worker_per_host_subscribes_and_another_takes_its_session_over(
    client, settings, tmp_path, monkeypatch
):
    """`serve --workers N`: every worker runs the road as the host's leader; one subscribes, in
    a shared subscription; when it stops, a waiting worker takes the same client id and gets
    what the broker kept for it meanwhile."""
    _c, headers, _m = await monitored(client, settings)
    token = _token(headers)
    monkeypatch.setattr(mqtt_road, "LEADER_POLL_S", 0.05)
    name = uuid.uuid4().hex[:8]
    async with sessions(settings) as made:
        broker = Broker("127.0.0.1", 1883, False, None, None)
        workers = [
            MqttRoad(made, utcnow, settings.secret_key, broker, prefix=f"t/{name}",
                     client_id=f"autolease-test-{name}", share_group=f"g{name}")
            for _ in range(2)
        ]  # fmt: skip
        assert workers[0].topic == f"$share/g{name}/t/{name}/+/positions"
        first = asyncio.create_task(mqtt_road.run_as_host_leader(workers[0], tmp_path))
        await asyncio.wait_for(workers[0].subscribed.wait(), 10)
        second = asyncio.create_task(mqtt_road.run_as_host_leader(workers[1], tmp_path))
        await asyncio.sleep(0.3)
        assert not workers[1].subscribed.is_set()  # waiting for the lock, not kicking the first
        async with aiomqtt.Client("127.0.0.1", 1883) as pub:
            await pub.publish(f"t/{name}/x/positions", body(token, fix_at(1, 90)), qos=1)
            await settled(workers[0], 1)
            first.cancel()
            await asyncio.gather(first, return_exceptions=True)
            await pub.publish(f"t/{name}/x/positions", body(token, fix_at(2, 60)), qos=1)
            await asyncio.wait_for(workers[1].subscribed.wait(), 10)
            await settled(workers[1], 1)
        second.cancel()
        await asyncio.gather(second, return_exceptions=True)
    async with aiomqtt.Client("127.0.0.1", 1883, identifier=f"autolease-test-{name}",
                              clean_session=True):  # fmt: skip
        pass
    assert (workers[0].taken, workers[1].taken) == (1, 1)
    assert await count(settings) == 2
