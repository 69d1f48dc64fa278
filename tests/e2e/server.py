"""The real backend (with the app mounted at /app) on a free port, with a temp data dir: what
`autolease demo` runs, started in a thread so the browser tests and the benchmark can use it."""

from __future__ import annotations

import asyncio
import base64
import socket
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
import uvicorn

if TYPE_CHECKING:
    from backend.settings import Settings

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _seed(url: str) -> None:
    from backend.db.session import make_engine, make_sessionmaker
    from backend.seed import seed_demo

    engine = make_engine(url)
    async with make_sessionmaker(engine)() as db:
        await seed_demo(db)
    await engine.dispose()


@dataclass
class RunningBackend:
    base_url: str
    server: uvicorn.Server
    thread: threading.Thread
    settings: Settings  # what it runs with (its database, keys): tests set up data with them

    @property
    def app_url(self) -> str:
        return f"{self.base_url}/app/"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start_backend(data_dir: Path) -> RunningBackend:
    from backend.app import create_app
    from backend.commands.serve import app_mounts
    from backend.db.migrate import upgrade
    from backend.settings import Settings

    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    database_url = f"sqlite+aiosqlite:///{data_dir / 'autolease.db'}"

    def prepare() -> None:  # in its own thread: the caller may already run an event loop
        upgrade(database_url)
        asyncio.run(_seed(database_url))

    preparing = threading.Thread(target=prepare)
    preparing.start()
    preparing.join()
    settings = Settings(
        database_url=database_url,
        data_dir=data_dir,
        secret_key="e2e-secret-" * 4,
        pii_key=base64.b64encode(b"e2e-pii-key-of-exactly-32-bytes!").decode(),
        audit_signing_key=base64.b64encode(b"e2e-audit-signing-seed-32-bytes!").decode(),
        public_url=base_url,
        log_level="WARNING",
    )
    config = uvicorn.Config(
        create_app(settings, mounts=app_mounts(settings)),  # what `autolease demo` serves
        host="127.0.0.1",
        port=port,
        log_level="warning",
        ws="websockets-sansio",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                return RunningBackend(base_url, server, thread, settings)
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.should_exit = True
    raise RuntimeError("the backend did not start within 30 s")


def in_own_thread(work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run async set-up (``work()``) to completion in a thread with its own event loop: the
    browser's driver owns the test thread's loop."""
    result: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(asyncio.run(work()))
        except BaseException as exc:
            failure.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    return result[0]
