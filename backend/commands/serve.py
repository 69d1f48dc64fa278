"""`autolease serve` (migrate, then run) and `autolease demo` (the same, SQLite, demo data).

Composition at the edge: this command, not `create_app`, decides whether the Flet web app is
served at /app beside the API (`demo` serves it unless `--no-app`; `serve` only with
`--with-app`), builds its mount and hands it to `create_app`. With ``--workers N`` uvicorn builds
each worker's app from the environment through `worker_app`, which mounts the app when this
command set ``AUTOLEASE_WORKER_WITH_APP=1``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backend import http_security
from backend.commands import demo_keys
from backend.db.migrate import upgrade
from backend.providers.registry import providers_problem
from backend.settings import Settings

if TYPE_CHECKING:
    from litestar import Litestar

    from backend.app import Mount

WITH_APP_ENV = "AUTOLEASE_WORKER_WITH_APP"  # set by this command for its worker processes


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    for name, help_text in (
        ("serve", "run the API (with --with-app, the app at /app too); applies migrations first"),
        ("demo", "run everything on SQLite with demo organisations and accounts (password: demo)"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)
        demo = name == "demo"
        p.add_argument(
            "--with-app",
            dest="with_app",
            action="store_true",
            default=demo,
            help="also serve the Flet web app at /app" + (" (the default)" if demo else ""),
        )
        p.add_argument(
            "--no-app",
            dest="with_app",
            action="store_false",
            help="serve the API only" + ("" if demo else " (the default)"),
        )
        p.add_argument(
            "--workers", type=int, default=1, help="worker processes (PostgreSQL; SQLite wants 1)"
        )
        p.add_argument(
            "--jt808-port",
            type=int,
            default=6808 if demo else None,
            help="the TCP port JT/T 808 terminals connect to, on --host (0: off; default "
            + ("6808)" if demo else "AUTOLEASE_JT808_PORT, else off)"),
        )
        if name == "demo":
            p.add_argument("--data-dir", type=Path, default=Path("data/demo"))
        p.set_defaults(handler=run, demo=name == "demo")


def settings_for(args: argparse.Namespace, env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    settings = Settings.from_env(env)
    if args.demo:
        data_dir = args.data_dir.resolve()
        moved = demo_keys.set_aside_keyless_data(data_dir)
        if moved is not None:
            print(f"demo data from before the demo had its own keys moved to {moved}")
        settings = settings.with_(
            data_dir=data_dir,
            database_url=f"sqlite+aiosqlite:///{data_dir / 'autolease.db'}",
            **demo_keys.load_or_create(data_dir),
        )
    jt808_port = getattr(args, "jt808_port", None)
    if jt808_port is not None:
        settings = settings.with_(jt808_port=jt808_port, jt808_host=args.host)
    if "AUTOLEASE_PUBLIC_URL" not in env:
        host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host  # noqa: S104
        settings = settings.with_(public_url=f"http://{host}:{args.port}")
    return settings


def app_mounts(settings: Settings) -> list[Mount]:
    """The Flet web app at /app; its sessions call the API at ``settings.public_url``."""
    from app_mobile.web import flet_asgi_app  # the edge may serve the app; the API never imports it

    return [
        flet_asgi_app(
            settings.public_url, client_headers=http_security.client_attestation(settings)
        )
    ]


def worker_app() -> Litestar:
    """uvicorn's factory for ``--workers N``: each worker's app, from the environment."""
    from backend.app import create_app

    settings = Settings.from_env()
    mounts = app_mounts(settings) if os.environ.get(WITH_APP_ENV) == "1" else []
    return create_app(settings, mounts=mounts)


async def _seed(settings: Settings) -> tuple[bool, int]:
    """Accounts on an empty database, then demo applications decided by the real rule engine."""
    from backend.db.session import make_engine, make_sessionmaker
    from backend.seed import seed_demo, seed_demo_data

    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as db:
            accounts = await seed_demo(db)
            applications = await seed_demo_data(db, settings)
            if applications:  # a fresh demo: yesterday's conversations in the staff inbox
                await _seed_conversations(db, settings)
            return accounts, applications
    finally:
        await engine.dispose()


async def _seed_conversations(db: Any, settings: Settings) -> None:
    from datetime import UTC, datetime

    from backend.assistant.demo import seed_demo_conversations
    from backend.intake.catalogue import Catalogue
    from backend.security.pii import PiiCipher

    pii = PiiCipher(settings.pii_key_bytes(), settings.lookup_key_bytes())
    await seed_demo_conversations(db, pii, Catalogue.load(), datetime.now(UTC))


def server_options(host: str, port: int, max_header_bytes: int) -> dict[str, Any]:
    """How uvicorn serves the API (bench/baseline_app.py serves its baseline the same way)."""
    return {
        "host": host,
        "port": port,
        "log_level": "warning",
        "ws": "websockets-sansio",  # the Flet app talks over a websocket at /app/ws
        "http": "h11",  # httptools takes request heads of any size; h11 has a bound
        "h11_max_incomplete_event_size": max_header_bytes,
        # X-Forwarded-* are read by the app itself, and only from AUTOLEASE_TRUSTED_PROXIES.
        "proxy_headers": False,
        "server_header": False,
    }


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from backend.app import create_app

    settings = settings_for(args)
    problem = settings.key_problem() or providers_problem(settings.providers)
    if problem is not None:
        print(f"autolease serve: {problem}; refusing to start", file=sys.stderr)
        return 2
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.database_url)
    if args.demo:
        accounts, applications = asyncio.run(_seed(settings))
        if accounts:
            print(
                "demo accounts: staff, staff2, dealer, dealer2, lessee, risk, monitor, admin"
                " (password: demo)"
            )
        if applications:
            print(f"demo applications filed and decided: {applications}")
        key_file = settings.data_dir / "funder-api-key.txt"
        if key_file.exists():
            print(
                "demo contracts: `lessee` (陈建国) has one active and one to sign; the funder"
                f" API key (X-Api-Key) is in {key_file}"
            )
    base = settings.public_url
    print(
        f"AutoLease is running.\n  API docs: {base}/docs\n"
        + (f"  App:      {base}/app\n" if args.with_app else "")
        + (
            f"  JT/T 808: {settings.jt808_host}:{settings.jt808_port} (TCP)\n"
            if settings.jt808_port
            else ""
        ),
        flush=True,
    )
    options = server_options(args.host, args.port, settings.max_header_bytes)
    if args.workers > 1:
        # Each worker builds its own app from the environment (a process cannot share one).
        os.environ.update(settings.to_env())
        os.environ[WITH_APP_ENV] = "1" if args.with_app else "0"
        uvicorn.run(
            "backend.commands.serve:worker_app", factory=True, workers=args.workers, **options
        )
    else:
        mounts = app_mounts(settings) if args.with_app else []
        uvicorn.run(create_app(settings, mounts=mounts), **options)
    return 0
