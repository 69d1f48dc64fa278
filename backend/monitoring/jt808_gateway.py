"""The JT/T 808 road: an asyncio TCP gateway 部标网关 feeding the one ingest pipeline.

Per connection: a `FrameReader` and a `Reassembler`; register 0x0100 from a registered phone
number is answered 0x8100 with result 0 and a fresh auth code (an unknown number: result 4,
终端不在数据库中, and nothing else changes); auth 0x0102 -> 0x8001 success or failure; heartbeat
0x0002 -> 0x8001. Location reports 0x0200 and batches 0x0704 are taken only from the connection's
authenticated terminal (else 0x8001 failure, nothing stored). The location messages of one read
go into one `ingest` call, in one transaction of a session of their own; each is acknowledged
(0x8001 success) only after that transaction commits, so nothing acknowledged is lost; if it
fails they are answered failure and the terminal sends them again. Corrupt frames are answered
per `reply_for` or dropped, never closing the connection. Idle connections are closed after
`idle_timeout_s`; beyond `max_connections` new ones are closed at once.

The gateway keeps no state across connections (the auth code is in the database), so any number
of them can listen on one port (SO_REUSEPORT) on one machine or many.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.db.models import Terminal
from backend.monitoring import ingest as pipeline
from backend.monitoring import terminals
from common.jt808 import (
    FrameReader,
    Header,
    Heartbeat,
    Jt808Error,
    LocationBatch,
    LocationReport,
    Message,
    PlatformGeneralResponse,
    PlatformResult,
    Reassembler,
    RegisterResponse,
    RegisterResult,
    TerminalAuth,
    TerminalGeneralResponse,
    TerminalRegister,
    decode_header,
    decode_message,
    encode_frame,
    reply_for,
)
from common.monitoring.fix import Fix, Road
from common.monitoring.from_jt808 import fix_of

log = logging.getLogger(__name__)

READ_BYTES = 64 * 1024


@dataclass(slots=True)
class _Located:
    """Location messages of the authenticated terminal waiting for one ingest."""

    headers: list[Header] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)


class _Connection:
    def __init__(self, gateway: Jt808Gateway, writer: asyncio.StreamWriter) -> None:
        self.gateway = gateway
        self.writer = writer
        self.frames = FrameReader()
        self.parts = Reassembler()
        self.serial = 0
        self.terminal_id: str | None = None  # set by a successful 0x0102
        self.phone: str | None = None  # the header phone it authenticated with

    def send(self, header: Header, message: Message) -> None:
        frame = encode_frame(message, phone=header.phone, serial=self.serial,
                             version=header.version,
                             protocol_version=header.protocol_version)  # fmt: skip
        self.serial = (self.serial + 1) & 0xFFFF
        self.writer.write(frame)

    def answer(self, header: Header, result: PlatformResult) -> None:
        self.send(header, PlatformGeneralResponse(header.serial, header.message_id, result))

    async def chunk(self, data: bytes) -> None:
        """One read: every frame in it handled in order, locations batched."""
        located = _Located()
        for item in self.frames.feed(data):
            try:
                if isinstance(item, Jt808Error):
                    raise item
                header, body = decode_header(item)
                whole = self.parts.add(header, body, time.monotonic())
                if whole is None:
                    continue
                header, message = whole[0], decode_message(*whole)
            except Jt808Error as error:
                reply = reply_for(error)
                if reply is not None and error.header is not None:
                    self.send(error.header, reply)
                continue
            if isinstance(message, LocationReport | LocationBatch):
                self.locate(header, message, located)
                continue
            await self.flush(located)  # answers keep the order the frames came in
            await self.handle(header, message)
        await self.flush(located)

    def locate(self, header: Header, message: LocationReport | LocationBatch,
               located: _Located) -> None:  # fmt: skip
        if self.terminal_id is None or header.phone != self.phone:
            self.answer(header, PlatformResult.FAILURE)  # not authenticated: nothing stored
            return
        now = self.gateway.clock()
        reports = message.reports if isinstance(message, LocationBatch) else (message,)
        located.headers.append(header)
        located.fixes.extend(fix_of(r, now) for r in reports)

    async def flush(self, located: _Located) -> None:
        if not located.headers:
            return
        headers, fixes = list(located.headers), list(located.fixes)
        located.headers.clear()
        located.fixes.clear()
        assert self.terminal_id is not None
        stored = await self.gateway.store(self.terminal_id, fixes)
        if stored is None:  # the terminal is gone (deactivated): it must register again
            self.terminal_id = self.phone = None
        result = PlatformResult.SUCCESS if stored else PlatformResult.FAILURE
        for header in headers:
            self.answer(header, result)

    async def handle(self, header: Header, message: Message) -> None:
        if isinstance(message, TerminalRegister):
            code = await self.gateway.register(header.phone)
            if code is None:
                self.send(header, RegisterResponse(header.serial, RegisterResult.NO_SUCH_TERMINAL))
            else:
                self.send(header, RegisterResponse(header.serial, RegisterResult.SUCCESS, code))
        elif isinstance(message, TerminalAuth):
            terminal_id = await self.gateway.authenticate(header.phone, message.auth_code)
            if terminal_id is not None:
                self.terminal_id, self.phone = terminal_id, header.phone
            self.answer(header, PlatformResult.SUCCESS if terminal_id else PlatformResult.FAILURE)
        elif isinstance(message, Heartbeat):
            self.answer(header, PlatformResult.SUCCESS)
        elif isinstance(message, TerminalGeneralResponse):
            pass  # the terminal's answer to us: nothing to answer
        # platform-side messages (0x8001, 0x8100) sent by a terminal: nothing answers those


class Jt808Gateway:
    """`start()` binds (port 0: an ephemeral one, see `port`), `stop()` closes everything."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime], *,
        host: str = "127.0.0.1", port: int = 0, idle_timeout_s: float = 300.0,
        max_connections: int = 10_000,
    ) -> None:  # fmt: skip
        self.sessions = sessions
        self.clock = clock
        self.host = host
        self.requested_port = port
        self.idle_timeout_s = idle_timeout_s
        self.max_connections = max_connections
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def port(self) -> int:
        assert self._server is not None, "not started"
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._serve, self.host, self.requested_port, reuse_port=self.requested_port != 0,
            limit=READ_BYTES,
        )  # fmt: skip
        log.info("JT/T 808 gateway listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if self.connections >= self.max_connections:
            log.warning("JT/T 808: %d connections, refusing another", self.connections)
            writer.close()
            return
        self.connections += 1
        if task is not None:
            self._tasks.add(task)
        connection = _Connection(self, writer)
        try:
            while True:
                try:
                    data = await asyncio.wait_for(reader.read(READ_BYTES), self.idle_timeout_s)
                except TimeoutError:
                    break  # idle: the terminal reconnects and authenticates again
                if not data:
                    break
                await connection.chunk(data)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except Exception:
            log.exception("JT/T 808 connection failed")
        finally:
            self.connections -= 1
            if task is not None:
                self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def register(self, phone: str) -> str | None:
        """0x0100: a fresh auth code for a registered terminal, None for an unknown number."""
        async with self.sessions() as db:
            terminal = await terminals.by_phone(db, phone)
            if terminal is None:
                return None
            code = await terminals.give_auth_code(db, terminal, self.clock())
            await db.commit()
            return code

    async def authenticate(self, phone: str, code: str) -> str | None:
        """0x0102: the terminal's id when the code is the one it was given."""
        async with self.sessions() as db:
            terminal = await terminals.by_phone(db, phone)
            if terminal is None or not terminals.authenticates(terminal, code):
                return None
            return terminal.id

    async def store(self, terminal_id: str, fixes: list[Fix]) -> bool | None:
        """Ingest and commit; True once committed, False if it failed (nothing acknowledged),
        None if the terminal is no longer active."""
        try:
            async with self.sessions() as db:
                terminal = await db.get(Terminal, terminal_id)
                if terminal is None or not terminal.active:
                    return None
                now = self.clock()
                for at in range(0, len(fixes), pipeline.MAX_BATCH):
                    await pipeline.ingest(db, terminal, fixes[at : at + pipeline.MAX_BATCH],
                                          Road.JT808, now)  # fmt: skip
                await db.commit()
                return True
        except Exception:
            log.exception("JT/T 808: storing %d fixes of %s failed", len(fixes), terminal_id)
            return False
