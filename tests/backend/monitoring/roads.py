"""The three roads for the monitoring tests: a JT/T 808 gateway on an ephemeral port of
127.0.0.1, the MQTT road against the local Mosquitto under a topic prefix of its own, and the
HTTP road through the test client; all on the test app's database. The gateway and the MQTT
road get a sessionmaker made as the app makes its own (`sessions`), on the test's event loop:
the test client runs the app on a loop of its own, and asyncpg connections belong to one loop."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiomqtt
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.commands.simulate_terminal import HttpTerminal, Jt808Terminal, MqttTerminal, Sender
from backend.db.session import make_engine, make_reader, make_sessionmaker
from backend.monitoring.jt808_gateway import Jt808Gateway
from backend.monitoring.mqtt_road import Broker, MqttRoad
from backend.settings import Settings
from common.monitoring import simulator
from common.monitoring.fix import Fix
from tests.backend.monitoring.helpers import PHONE

ROUTES = Path(__file__).resolve().parents[3] / "assets" / "monitoring" / "routes"
ROUTE_FILE = ROUTES / "beijing-tianjin.geojson"
ROUTE = simulator.load_route(json.loads(ROUTE_FILE.read_text(encoding="utf-8")))
PLAN = {"profile": "heavy_truck", "route": [list(p) for p in ROUTE], "half_width_m": 500}
MOSQUITTO = Broker(host="127.0.0.1", port=1883, tls=False, username=None, password=None)


def utcnow() -> datetime:
    return datetime.now(UTC)


@asynccontextmanager
async def sessions(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine, reader = make_engine(settings.database_url), make_reader(settings.database_url)
    try:
        yield make_sessionmaker(engine, reader)
    finally:
        await engine.dispose()
        if reader is not None:
            await reader.dispose()


@asynccontextmanager
async def gateway(settings: Settings, **kw: Any) -> AsyncIterator[Jt808Gateway]:
    async with sessions(settings) as made:
        gw = Jt808Gateway(made, utcnow, host="127.0.0.1", port=0, **kw)
        await gw.start()
        try:
            yield gw
        finally:
            await gw.stop()


class CountingMqtt(MqttTerminal):
    sent = 0

    async def send(self, fixes: list[Fix]) -> None:
        await super().send(fixes)
        self.sent += 1


@asynccontextmanager
async def mqtt_road(settings: Settings) -> AsyncIterator[MqttRoad]:
    """The MQTT road subscribed under a fresh prefix with a persistent session of its own
    (cleared afterwards)."""
    name = uuid.uuid4().hex[:12]
    async with sessions(settings) as made:
        road = MqttRoad(made, utcnow, settings.secret_key, MOSQUITTO,
                        prefix=f"autolease-test/{name}",
                        client_id=f"autolease-test-{name}")  # fmt: skip
        task = asyncio.create_task(road.run())
        try:
            await asyncio.wait_for(road.subscribed.wait(), 10)
            yield road
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        async with aiomqtt.Client("127.0.0.1", 1883, identifier=road.client_id,
                                  clean_session=True):  # fmt: skip
            pass  # the broker forgets the test's session


async def settled(road: MqttRoad, messages: int, timeout_s: float = 20.0) -> None:
    async def wait() -> None:
        while road.taken < messages:
            await asyncio.sleep(0.02)

    try:
        await asyncio.wait_for(wait(), timeout_s)
    except TimeoutError:
        raise AssertionError(f"{road.taken} of {messages} messages taken") from None


@asynccontextmanager
async def terminal_on(road: str, client: Any, settings: Any, token: str,
                      phone: str = PHONE) -> AsyncIterator[Sender]:  # fmt: skip
    """A simulated terminal on `road`; on leaving, what it sent has been stored."""
    if road == "http":
        yield HttpTerminal(client, token)
    elif road == "jt808":
        async with gateway(settings) as gw, Jt808Terminal("127.0.0.1", gw.port, phone) as t:
            yield t  # each report is answered only after its commit
    else:
        async with (
            mqtt_road(settings) as subscriber,
            aiomqtt.Client("127.0.0.1", 1883) as publisher,
        ):
            topic = subscriber.topic.replace("+", "sim")
            sender = CountingMqtt(publisher, token, topic)
            yield sender
            await settled(subscriber, sender.sent)
