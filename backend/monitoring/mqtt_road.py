"""The MQTT road: terminals or aggregators publish JSON positions to a broker; each worker
subscribes and feeds the one ingest pipeline (docs/monitoring.md).

Topic ``{prefix}/{label}/positions`` (the label — e.g. the IMEI — is for the broker's ACLs and
for people; it is not trusted), QoS 1, payload
``{"token": "trm_...", "positions": [<as the HTTP road's PositionIn>, ...]}`` (at most 1,000).
The token says which terminal it is.

Nothing acknowledged is lost: the subscription is QoS 1 on a persistent session
(clean_session False, a stable client id), and a message is acknowledged (PUBACK) only after its
positions are committed. aiomqtt 2.5 acknowledges on receipt and has no public switch for this
(empicano/aiomqtt#345, open); the paho-mqtt 2.2 client underneath has one (`manual_ack_set`,
`ack(mid, qos)`), which this module uses. If a commit fails, the connection is dropped without
acknowledging; the broker sends the message again when the subscriber is back (after a backoff).
A message that can never be taken (not JSON, unknown token) is acknowledged and logged: sending
it again would not help. Messages are taken one at a time, so PUBACKs leave in the order the
messages came, as MQTT 3.1.1 asks.

One subscriber per host, a shared subscription across hosts. Every worker of `serve --workers N`
runs `run_as_host_leader`: the one holding the host's lock file subscribes as
``autolease-<host>``, the others wait to take over the same id (and so the same broker session
and queue) when it dies. Hosts join one shared subscription (``$share/<group>/...``, which
Mosquitto 2 honours for MQTT 3.1.1 clients too), so each message goes to one host. A worker per
client id would not do: Mosquitto queues a shared subscription's messages for members that are
offline, so a session whose worker never came back (fewer workers after a deploy) would keep its
share of the messages forever.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import random
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import aiomqtt
import msgspec
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.monitoring import ingest as pipeline
from backend.monitoring import terminals
from common.api.monitoring import PositionIn
from common.monitoring.fix import Fix, Road

log = logging.getLogger(__name__)

BACKOFF_S = (1.0, 60.0)  # first and longest wait before reconnecting
LEADER_POLL_S = 1.0  # how often a waiting worker tries the host's lock


class Payload(msgspec.Struct, forbid_unknown_fields=True):
    token: str
    positions: list[Any]  # each checked alone, as on the HTTP road


@dataclass(frozen=True, slots=True)
class Broker:
    host: str
    port: int
    tls: bool
    username: str | None
    password: str | None


def broker_of(url: str, username: str = "", password: str = "") -> Broker:
    """``mqtt://[user:password@]host[:port]`` (or ``mqtts://``, TLS, port 8883)."""
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
        raise ValueError(f"AUTOLEASE_MQTT_URL must be mqtt://host:port, not {url!r}")
    tls = parts.scheme == "mqtts"
    return Broker(
        host=parts.hostname, port=parts.port or (8883 if tls else 1883), tls=tls,
        username=username or (unquote(parts.username) if parts.username else None),
        password=password or (unquote(parts.password) if parts.password else None),
    )  # fmt: skip


def topic_filter(prefix: str, share_group: str = "") -> str:
    plain = f"{prefix.strip('/')}/+/positions"
    return f"$share/{share_group}/{plain}" if share_group else plain


def default_client_id() -> str:
    return f"autolease-{socket.gethostname()}"[:64]


def _fix(p: PositionIn) -> Fix:
    if p.at.tzinfo is None:
        raise msgspec.ValidationError("`at` needs its time zone")
    return Fix(at=p.at, lat=p.lat, lon=p.lon, speed_kmh=p.speed_kmh, heading=p.heading,
               altitude_m=p.altitude_m, accuracy_m=p.accuracy_m, satellites=p.satellites,
               ignition=p.ignition, tamper=tuple(p.tamper))  # fmt: skip


class MqttRoad:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime],
        secret_key: str, broker: Broker, *, prefix: str, client_id: str, share_group: str = "",
    ) -> None:  # fmt: skip
        self.sessions = sessions
        self.clock = clock
        self.secret_key = secret_key
        self.broker = broker
        self.topic = topic_filter(prefix, share_group)
        self.client_id = client_id
        self.subscribed = asyncio.Event()  # set while subscribed (tests wait for it)
        self.taken = 0  # messages committed and acknowledged

    def client(self) -> aiomqtt.Client:
        client = aiomqtt.Client(
            self.broker.host, self.broker.port, username=self.broker.username,
            password=self.broker.password, identifier=self.client_id, clean_session=False,
            tls_context=ssl.create_default_context() if self.broker.tls else None,
            keepalive=30, timeout=10,
        )  # fmt: skip
        # Acknowledge after the commit, not on receipt (aiomqtt 2.5 has no public switch).
        client._client.manual_ack_set(True)
        return client

    async def run(self) -> None:
        """Subscribe and take messages until cancelled, reconnecting with backoff."""
        wait = BACKOFF_S[0]
        while True:
            try:
                async with self.client() as client:
                    await client.subscribe(self.topic, qos=1)
                    self.subscribed.set()
                    log.info("MQTT: subscribed to %s as %s", self.topic, self.client_id)
                    async for message in client.messages:
                        if await self.take(message):
                            client._client.ack(message.mid, message.qos)
                            self.taken += 1
                            wait = BACKOFF_S[0]
                        else:
                            break  # not stored: leave unacknowledged, reconnect, get it again
            except asyncio.CancelledError:
                raise
            except aiomqtt.MqttError as error:
                log.warning("MQTT: %s; reconnecting in %.0f s", error, wait)
            except Exception:
                log.exception("MQTT: the subscriber failed; reconnecting in %.0f s", wait)
            self.subscribed.clear()
            await asyncio.sleep(wait * random.uniform(0.8, 1.2))
            wait = min(BACKOFF_S[1], wait * 2)

    async def take(self, message: aiomqtt.Message) -> bool:
        """Store one message's positions; True: acknowledge it (stored, or never storable)."""
        try:
            payload = msgspec.json.decode(bytes(message.payload or b""), type=Payload)
        except msgspec.DecodeError as error:
            log.warning("MQTT: a message on %s is not a position batch: %s", message.topic, error)
            return True
        if len(payload.positions) > pipeline.MAX_BATCH:
            log.warning("MQTT: %d positions in one message (at most %d): dropped",
                        len(payload.positions), pipeline.MAX_BATCH)  # fmt: skip
            return True
        fixes: list[Fix] = []
        rejected: list[int] = []
        for k, raw in enumerate(payload.positions):
            try:
                fixes.append(_fix(msgspec.convert(raw, PositionIn)))
            except msgspec.ValidationError:
                rejected.append(k)
        if rejected:
            log.warning("MQTT: positions %s on %s rejected", rejected[:20], message.topic)
        try:
            async with self.sessions() as db:
                terminal = await terminals.by_token(db, self.secret_key, payload.token)
                if terminal is None:
                    log.warning("MQTT: unknown terminal token on %s: dropped", message.topic)
                    return True
                await pipeline.ingest(db, terminal, fixes, Road.MQTT, self.clock())
                await db.commit()
        except Exception:
            log.exception("MQTT: storing a message from %s failed", message.topic)
            return False
        return True


async def run_as_host_leader(road: MqttRoad, lock_dir: Path) -> None:
    """Run `road` while holding this host's lock for its client id; wait for the lock first.
    The kernel frees the lock when its holder dies, however it dies."""
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / f"mqtt-{road.client_id}.lock", "a") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                await asyncio.sleep(LEADER_POLL_S)
        try:
            await road.run()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
