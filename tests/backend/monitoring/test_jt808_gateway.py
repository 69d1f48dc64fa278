"""The JT/T 808 gateway over a real TCP socket on 127.0.0.1: a registered phone number gets an
auth code (0x8100 result 0), an unknown one result 4 and nothing else; auth with the wrong code
fails; location reports and batches from the authenticated terminal are stored (and answered
only after the commit), from anyone else refused and not stored; corrupt frames are answered or
dropped and the connection goes on; idle connections close; a bound on connections holds; the
app listens when `jt808_port` is set."""

from __future__ import annotations

import asyncio
import socket
from datetime import timedelta

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from backend.app import create_app
from backend.commands.simulate_terminal import Jt808Terminal, SimulatorError
from backend.db.models import Position
from common.jt808 import (
    BatchKind,
    Heartbeat,
    LocationBatch,
    PlatformGeneralResponse,
    PlatformResult,
    RegisterResponse,
    RegisterResult,
    TerminalAuth,
    TerminalRegister,
    encode_frame,
)
from common.monitoring.fix import Fix, Tamper
from common.monitoring.from_jt808 import report_of
from tests.backend.auth.lessee_helpers import session
from tests.backend.monitoring.helpers import PHONE, along, monitored
from tests.backend.monitoring.roads import gateway, utcnow

REGISTER = TerminalRegister(province=11, city=100, maker_id="ALSIM", model="M", terminal_id="T1",
                            plate_colour=2, plate="京A00001")  # fmt: skip


def fix_at(k: int, seconds_ago: int, **kw) -> Fix:
    lon, lat = along(k)
    return Fix(at=(utcnow() - timedelta(seconds=seconds_ago)).replace(microsecond=0), lat=lat,
               lon=lon, speed_kmh=60.0, heading=120, satellites=9, ignition=True,
               mileage_km=1000.0, **kw)  # fmt: skip


async def count(settings) -> int:
    async with session(settings) as db:
        return int(await db.scalar(select(func.count()).select_from(Position)) or 0)


async def test_register_authenticate_and_report(client, settings):
    await monitored(client, settings)
    async with gateway(settings) as gw:
        t = Jt808Terminal("127.0.0.1", gw.port, PHONE)
        await t.connect()
        [serial] = t.write([REGISTER])
        registered = await t.reply(serial, RegisterResponse)
        assert registered.result is RegisterResult.SUCCESS and len(registered.auth_code) >= 8
        [serial] = t.write([TerminalAuth("wrong-code")])
        assert (await t.reply(serial, PlatformGeneralResponse)).result is PlatformResult.FAILURE
        [serial] = t.write([TerminalAuth(registered.auth_code)])
        assert (await t.reply(serial, PlatformGeneralResponse)).result is PlatformResult.SUCCESS
        [serial] = t.write([Heartbeat()])
        assert (await t.reply(serial, PlatformGeneralResponse)).result is PlatformResult.SUCCESS
        # three reports in one write (one ingest), then a batch 0x0704 of two
        await t.send([fix_at(k, 300 - 30 * k) for k in range(3)])
        late = tuple(report_of(fix_at(k, 200 - 30 * k)) for k in (3, 4))
        batch = LocationBatch(BatchKind.BLIND_AREA, late)
        [serial] = t.write([batch])
        assert (await t.reply(serial, PlatformGeneralResponse)).result is PlatformResult.SUCCESS
        await t.__aexit__(None, None, None)
    async with session(settings) as db:
        rows = list(await db.scalars(select(Position).order_by(Position.fix_time)))
    assert len(rows) == 5 and {r.road for r in rows} == {"jt808"}
    first = rows[0]
    assert (first.lat, first.lon) == pytest.approx(along(0)[::-1], abs=1e-6)
    assert (first.speed_kmh, first.heading, first.satellites, first.ignition) == (60, 120, 9, True)


async def test_an_unknown_phone_is_not_registered_and_reports_unauthenticated_are_refused(
    client, settings
):
    await monitored(client, settings)
    async with gateway(settings) as gw:
        stranger = Jt808Terminal("127.0.0.1", gw.port, "013900000000")
        await stranger.connect()
        with pytest.raises(SimulatorError, match="NO_SUCH_TERMINAL"):
            await stranger.login()
        # the registered phone, never authenticated on this connection: refused, not stored
        t = Jt808Terminal("127.0.0.1", gw.port, PHONE)
        await t.connect()
        with pytest.raises(SimulatorError, match="FAILURE"):
            await t.send([fix_at(1, 60)])
        await t.login()
        # another terminal's phone on an authenticated connection: refused too
        t.phone = "013900000000"
        with pytest.raises(SimulatorError, match="FAILURE"):
            await t.send([fix_at(2, 30)])
        t.phone = PHONE
        await t.send([fix_at(3, 10)])
    assert await count(settings) == 1


async def test_corrupt_frames_are_answered_or_dropped_and_the_connection_goes_on(client, settings):
    await monitored(client, settings)
    async with gateway(settings) as gw, Jt808Terminal("127.0.0.1", gw.port, PHONE) as t:
        good = encode_frame(Heartbeat(), phone=PHONE, serial=500)
        assert b"\x7d" not in good  # the check code is one plain byte: flip it
        bad_check = good[:-2] + bytes([good[-2] ^ 0x01]) + good[-1:]
        garbage = b"\x00\xff junk \x7e\x7d\x05\x7e"  # bytes outside frames and a broken escape
        oversized = b"\x7e" + b"\x11" * 5000 + b"\x7e"
        [serial] = t.write([Heartbeat()], raw=garbage + bad_check + oversized)
        answer = await t.reply(500, PlatformGeneralResponse)
        assert answer.result is PlatformResult.MESSAGE_ERROR  # the bad check, answered
        assert (await t.reply(serial, PlatformGeneralResponse)).result is PlatformResult.SUCCESS
        await t.send([fix_at(1, 30)])  # still usable
        assert t.inbox == []  # nothing answered the garbage, the bad escape or the oversized frame
    assert await count(settings) == 1


async def test_a_tamper_alarm_over_jt808_opens_a_tamper_alert(client, settings):
    _contract, _headers, monitor = await monitored(client, settings)
    async with gateway(settings) as gw, Jt808Terminal("127.0.0.1", gw.port, PHONE) as t:
        await t.send([fix_at(1, 30, tamper=(Tamper.ANTENNA_CUT,))])
    [alert] = (await client.get("/api/monitoring/alerts", headers=monitor)).json()
    assert alert["type"] == "tamper" and "GNSS天线被剪断" in alert["reasons"][0]


async def test_idle_connections_close_and_connections_are_bounded(client, settings):
    async with gateway(settings, idle_timeout_s=0.3, max_connections=1) as gw:
        reader, writer = await asyncio.open_connection("127.0.0.1", gw.port)
        await asyncio.sleep(0.05)
        other_reader, other_writer = await asyncio.open_connection("127.0.0.1", gw.port)
        assert await asyncio.wait_for(other_reader.read(10), 2) == b""  # over the bound: closed
        assert await asyncio.wait_for(reader.read(10), 2) == b""  # idle: closed
        assert gw.connections == 0
        for w in (writer, other_writer):
            w.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_the_app_listens_for_jt808_when_a_port_is_set(client, settings):
    await monitored(client, settings)
    port = _free_port()
    app = create_app(settings.with_(jt808_port=port))
    async with AsyncTestClient(app=app), Jt808Terminal("127.0.0.1", port, PHONE) as t:
        assert t.auth_code
        await t.send([fix_at(1, 30)])
    assert await count(settings) == 1
