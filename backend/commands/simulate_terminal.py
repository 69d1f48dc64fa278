"""`autolease simulate-terminal`: a GPS terminal driving a route with a scenario's events
(common/monitoring/simulator.py), over JT/T 808, MQTT or HTTP.

    autolease simulate-terminal --protocol jt808 --phone 013912345678 \\
        --route assets/monitoring/routes/beijing-tianjin.geojson --scenario deviation
    autolease simulate-terminal --protocol http --token trm_... --url http://127.0.0.1:8000 ...
    autolease simulate-terminal --protocol mqtt --token trm_... --host 127.0.0.1 --port 1883 ...

A fix every `--interval-s` at `--speed-kmh`; `--time-scale N` plays the route N times faster
than real (fix times keep their real spacing and are never ahead of the clock). Fixes that fall
due together are sent together (one HTTP batch, one MQTT message, back-to-back 0x0200 frames).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

import httpx
import msgspec

from common.jt808 import (
    FrameReader,
    Header,
    Jt808Error,
    Message,
    PlatformGeneralResponse,
    PlatformResult,
    ProtocolVersion,
    RegisterResponse,
    RegisterResult,
    TerminalAuth,
    TerminalRegister,
    decode_content,
    encode_frame,
)
from common.monitoring import simulator
from common.monitoring.fix import Fix
from common.monitoring.from_jt808 import report_of

ROUTE = Path(__file__).resolve().parents[2] / "assets" / "monitoring" / "routes"
MAX_SEND = 100  # fixes per HTTP batch / MQTT message / burst of frames
REPLY_TIMEOUT_S = 10.0
_M = TypeVar("_M")


class SimulatorError(Exception):
    """The platform refused the terminal (unknown, not authenticated, a report not stored)."""


class Sender(Protocol):
    async def send(self, fixes: list[Fix]) -> None: ...


def position(f: Fix) -> dict[str, Any]:
    """A fix as the HTTP and MQTT roads take it (PositionIn)."""
    return {"at": f.at.isoformat(), "lat": f.lat, "lon": f.lon, "speed_kmh": f.speed_kmh,
            "heading": f.heading, "altitude_m": f.altitude_m, "satellites": f.satellites,
            "ignition": f.ignition, "tamper": [t.value for t in f.tamper]}  # fmt: skip


class Jt808Terminal:
    """A terminal on a TCP connection: registers (0x0100 -> 0x8100 auth code), authenticates
    (0x0102), then sends 0x0200 reports and waits for each one's 0x8001."""

    def __init__(self, host: str, port: int, phone: str,
                 version: ProtocolVersion = ProtocolVersion.V2013) -> None:  # fmt: skip
        self.host, self.port, self.phone, self.version = host, port, phone, version
        self.serial = 0
        self.auth_code = ""
        self.frames = FrameReader()
        self.inbox: list[tuple[Header, Message]] = []
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> Self:
        await self.connect()
        await self.login()
        return self

    async def connect(self) -> None:
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)

    async def login(self) -> None:
        """Register (0x0100 -> the 0x8100's auth code), then authenticate (0x0102)."""
        register = TerminalRegister(province=11, city=100, maker_id="ALSIM",
                                    model="AUTOLEASE-SIM", terminal_id="SIM0001",
                                    plate_colour=2, plate="京A00001")  # fmt: skip
        [serial] = self.write([register])
        answer = await self.reply(serial, RegisterResponse)
        if answer.result is not RegisterResult.SUCCESS:
            raise SimulatorError(f"registration refused: {answer.result.name}")
        self.auth_code = answer.auth_code
        [serial] = self.write([TerminalAuth(self.auth_code)])
        if (await self.reply(serial, PlatformGeneralResponse)).result is not PlatformResult.SUCCESS:
            raise SimulatorError("authentication refused")

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        tb: TracebackType | None) -> None:  # fmt: skip
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(ConnectionError):
                await self._writer.wait_closed()

    def write(self, messages: Sequence[Any], *, raw: bytes = b"") -> list[int]:
        """Frames for `messages` in one write (after `raw` bytes, if any); their serials."""
        assert self._writer is not None
        serials, frames = [], [raw]
        for message in messages:
            frames.append(encode_frame(message, phone=self.phone, serial=self.serial,
                                       version=self.version))  # fmt: skip
            serials.append(self.serial)
            self.serial = (self.serial + 1) & 0xFFFF
        self._writer.write(b"".join(frames))
        return serials

    async def reply(self, serial: int, kind: type[_M]) -> _M:
        """The platform's answer to our message `serial`."""
        assert self._reader is not None
        deadline = time.monotonic() + REPLY_TIMEOUT_S
        while True:
            for k, (_header, message) in enumerate(self.inbox):
                if isinstance(message, kind) and getattr(message, "reply_serial", None) == serial:
                    del self.inbox[k]
                    return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SimulatorError(f"no answer to message {serial} in {REPLY_TIMEOUT_S:.0f} s")
            data = await asyncio.wait_for(self._reader.read(65536), remaining)
            if not data:
                raise SimulatorError("the platform closed the connection")
            for item in self.frames.feed(data):
                if not isinstance(item, Jt808Error):
                    self.inbox.append(decode_content(item))

    async def send(self, fixes: list[Fix]) -> None:
        serials = self.write([report_of(f) for f in fixes])
        for serial in serials:
            answer = await self.reply(serial, PlatformGeneralResponse)
            if answer.result is not PlatformResult.SUCCESS:
                raise SimulatorError(f"report {serial} answered {answer.result.name}")


class HttpTerminal:
    def __init__(
        self, client: httpx.AsyncClient, token: str, path: str = "/api/telemetry/positions"
    ) -> None:
        self.client, self.token, self.path = client, token, path

    async def send(self, fixes: list[Fix]) -> None:
        r = await self.client.post(self.path, json={"positions": [position(f) for f in fixes]},
                                   headers={"Authorization": f"Bearer {self.token}"})  # fmt: skip
        if r.status_code != 200:
            raise SimulatorError(f"HTTP {r.status_code}: {r.text[:200]}")


class MqttTerminal:
    """Publishes each batch as one QoS 1 message (awaited until the broker's PUBACK)."""

    def __init__(self, client: Any, token: str, topic: str) -> None:
        self.client, self.token, self.topic = client, token, topic

    async def send(self, fixes: list[Fix]) -> None:
        body = {"token": self.token, "positions": [position(f) for f in fixes]}
        await self.client.publish(self.topic, json.dumps(body), qos=1)


async def drive(
    sender: Sender, steps: Sequence[simulator.Step], *, time_scale: float = 1.0,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> list[Fix]:  # fmt: skip
    """Send the plan's fixes as they fall due; the fixes sent."""
    start = simulator.start_for(now(), steps, time_scale)
    began = time.monotonic()
    sent: list[Fix] = []
    k = 0
    while k < len(steps):
        wait = steps[k].offset_s / time_scale - (time.monotonic() - began)
        if wait > 0:
            await sleep(wait)
        played = (time.monotonic() - began) * time_scale
        end = k + 1
        while end < len(steps) and end - k < MAX_SEND and steps[end].offset_s <= played:
            end += 1
        batch = [simulator.fix(s, start) for s in steps[k:end]]
        await sender.send(batch)
        sent.extend(batch)
        k = end
    return sent


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "simulate-terminal",
        help="drive a GPS terminal along a route (JT/T 808, MQTT or HTTP) with a deviation,"
        " a bad fix, a signal loss or tamper",
    )
    p.add_argument("--protocol", choices=["jt808", "mqtt", "http"], required=True)
    p.add_argument("--route", type=Path, default=ROUTE / "beijing-tianjin.geojson",
                   help="GeoJSON LineString or JSON list of [lon, lat]")  # fmt: skip
    p.add_argument("--scenario", choices=[s.value for s in simulator.Scenario], required=True)
    p.add_argument("--phone", help="jt808: the terminal phone number it was registered with")
    p.add_argument("--token", help="mqtt, http: the terminal's token (trm_...)")
    p.add_argument("--host", default="127.0.0.1", help="jt808 gateway or MQTT broker")
    p.add_argument("--port", type=int, help="default 6808 (jt808) or 1883 (mqtt)")
    p.add_argument("--url", default="http://127.0.0.1:8000", help="http: the API's base URL")
    p.add_argument("--topic-prefix", default="autolease/telemetry", help="mqtt: topic prefix")
    p.add_argument("--speed-kmh", type=float, default=80.0)
    p.add_argument("--interval-s", type=float, default=30.0)
    p.add_argument("--time-scale", type=float, default=1.0, help="N times faster than real")
    p.set_defaults(handler=run)


async def simulate(args: argparse.Namespace) -> list[Fix]:
    route = simulator.load_route(json.loads(args.route.read_text(encoding="utf-8")))
    steps = simulator.plan(route, simulator.Scenario(args.scenario), speed_kmh=args.speed_kmh,
                           interval_s=args.interval_s)  # fmt: skip
    scale = args.time_scale
    if args.protocol == "jt808":
        if not args.phone:
            raise SimulatorError("--phone is needed for jt808")
        async with Jt808Terminal(args.host, args.port or 6808, args.phone) as terminal:
            return await drive(terminal, steps, time_scale=scale)
    if not args.token:
        raise SimulatorError(f"--token is needed for {args.protocol}")
    if args.protocol == "http":
        async with httpx.AsyncClient(base_url=args.url, timeout=30) as client:
            return await drive(HttpTerminal(client, args.token), steps, time_scale=scale)
    import aiomqtt

    topic = f"{args.topic_prefix.strip('/')}/{args.phone or 'simulator'}/positions"
    async with aiomqtt.Client(args.host, args.port or 1883) as client:
        return await drive(MqttTerminal(client, args.token, topic), steps, time_scale=scale)


def run(args: argparse.Namespace) -> int:
    try:
        sent = asyncio.run(simulate(args))
    except (SimulatorError, simulator.RouteError, OSError, msgspec.DecodeError,
            json.JSONDecodeError) as error:  # fmt: skip
        print(f"simulate-terminal: {error}", file=sys.stderr)
        return 1
    if not sent:
        print("simulate-terminal: nothing to send", file=sys.stderr)
        return 1
    print(f"{len(sent)} fixes sent over {args.protocol}, {sent[0].at:%H:%M:%S} to "
          f"{sent[-1].at:%H:%M:%S} UTC ({args.scenario})")  # fmt: skip
    if args.scenario == simulator.Scenario.SIGNAL_LOSS:
        print(f"silent since {sent[-1].at:%H:%M:%S} UTC while driving: the silence sweep opens "
              "a signal-loss alert once the contract's SLA has passed")  # fmt: skip
    return 0
